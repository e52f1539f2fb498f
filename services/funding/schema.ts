import { buildFederatedSchema } from '../shared/federation';
import type { SubgraphModule } from '../shared/subgraph';
import { referenceResolvers } from './reference';
import { resolvers } from './resolvers';

/** funding: Grant (IATI activities included) and results; adds grants, money flows and totals to Organization. */
export const funding: SubgraphModule = {
  name: 'funding',
  buildSchema: () => buildFederatedSchema({ resolvers }, referenceResolvers),
};
