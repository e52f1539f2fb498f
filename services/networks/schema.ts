import { buildFederatedSchema } from '../shared/federation';
import type { SubgraphModule } from '../shared/subgraph';
import { referenceResolvers } from './reference';
import { resolvers } from './resolvers';

/** networks: Network, Membership and Event; adds memberships, networks and events to Organization, Person and Place. */
export const networks: SubgraphModule = {
  name: 'networks',
  buildSchema: () => buildFederatedSchema({ resolvers }, referenceResolvers),
};
