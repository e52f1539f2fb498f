import type { RequestContext } from '../shared/subgraph';

/**
 * Federation reference resolvers: the gateway sends N representations in one `_entities` call and the DataLoader
 * turns them into ONE Cypher query (UNWIND $ids), not N.
 */
const byId = (label: 'Organization' | 'Person' | 'Place' | 'Initiative' | 'Source') => ({
  __resolveReference: (reference: { id: string }, ctx: RequestContext) => ctx.loaders.entity(label).load(reference.id),
});

export const referenceResolvers = {
  Organization: byId('Organization'),
  Person: byId('Person'),
  Place: byId('Place'),
  Initiative: byId('Initiative'),
  Source: byId('Source'),
};
