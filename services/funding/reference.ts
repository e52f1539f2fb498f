import { entityReference, extensionReference } from '../shared/subgraph';
import { PREFETCHABLE } from './repository';

/** Reference resolvers: Grant, which this subgraph owns, and the organizations and events it adds funding to. */
export const referenceResolvers = {
  Grant: entityReference('Grant', PREFETCHABLE),
  Organization: extensionReference('Organization', PREFETCHABLE),
  Event: extensionReference('Event', PREFETCHABLE),
};
