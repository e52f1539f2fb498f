import { buildFederatedSchema } from '../shared/federation';
import type { SubgraphModule } from '../shared/subgraph';
import { referenceResolvers } from './reference';
import { resolvers } from './resolvers';
import { Source } from './types';

/** actors: Organization, Person, Place, Initiative and Source (identity and core fields), and the name search. */
export const actors: SubgraphModule = {
  name: 'actors',
  buildSchema: () => buildFederatedSchema({ resolvers, orphanedTypes: [Source] }, referenceResolvers),
};
