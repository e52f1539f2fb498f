import { entityReference } from '../shared/subgraph';
import { PREFETCHABLE } from './repository';

/**
 * Federation reference resolvers: the gateway sends N representations in one `_entities` call and the DataLoader
 * turns them into ONE Cypher query (UNWIND $ids), not N, which also reads the relationships selected below them.
 */
export const referenceResolvers = {
  Organization: entityReference('Organization', PREFETCHABLE),
  Person: entityReference('Person', PREFETCHABLE),
  Place: entityReference('Place', PREFETCHABLE),
  Initiative: entityReference('Initiative', PREFETCHABLE),
  Source: entityReference('Source', PREFETCHABLE),
};
