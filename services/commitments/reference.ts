import { entityReference, extensionReference } from '../shared/subgraph';
import { PREFETCHABLE } from './repository';

/** Reference resolvers: ActionPlan and Commitment, which this subgraph owns, and the organizations and places it adds plans to. */
export const referenceResolvers = {
  ActionPlan: entityReference('ActionPlan', PREFETCHABLE),
  Commitment: entityReference('Commitment', PREFETCHABLE),
  Organization: extensionReference('Organization', PREFETCHABLE),
  Place: extensionReference('Place', PREFETCHABLE),
};
