import { buildFederatedSchema } from '../shared/federation';
import type { SubgraphModule } from '../shared/subgraph';
import { referenceResolvers } from './reference';
import { resolvers } from './resolvers';

/** commitments: ActionPlan and Commitment; adds commitments and action plans to Organization and Place. */
export const commitments: SubgraphModule = {
  name: 'commitments',
  buildSchema: () => buildFederatedSchema({ resolvers }, referenceResolvers),
};
