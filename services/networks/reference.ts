import { entityReference, extensionReference } from '../shared/subgraph';
import { PREFETCHABLE } from './repository';

/**
 * Reference resolvers: for the entities this subgraph owns, and for those it adds relationships to (their
 * relationships selected below N representations are read in one statement).
 */
export const referenceResolvers = {
  Network: entityReference('Network', PREFETCHABLE),
  Event: entityReference('Event', PREFETCHABLE),
  Organization: extensionReference('Organization', PREFETCHABLE),
  Person: extensionReference('Person', PREFETCHABLE),
  Place: extensionReference('Place', PREFETCHABLE),
};
