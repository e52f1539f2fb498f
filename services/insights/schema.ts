import { buildFederatedSchema } from '../shared/federation';
import type { SubgraphModule } from '../shared/subgraph';
import { warmIndex } from './collaboration';
import { referenceResolvers } from './reference';
import { resolvers } from './resolvers';
import { OrganizationReference } from './types';

/** insights: cross-domain network questions, over the collaboration index (neighbourhoods) and Cypher. */
export const insights: SubgraphModule = {
  name: 'insights',
  // Organization is extended (with brokerage) but returned by no field here: it must be named to be in the schema.
  buildSchema: () => buildFederatedSchema({ resolvers, orphanedTypes: [OrganizationReference] }, referenceResolvers),
  // The index loads in the background; questions that need it before it is ready wait for that one load.
  onStart: (db) => warmIndex(db, (line) => console.log(`[insights] ${line}`)),
};
