import { buildFederatedSchema } from '../shared/federation';
import type { SubgraphModule } from '../shared/subgraph';
import { resolvers } from './resolvers';

/** insights: cross-domain network questions answered by Cypher over the whole graph. */
export const insights: SubgraphModule = {
  name: 'insights',
  buildSchema: () => buildFederatedSchema({ resolvers }),
};
