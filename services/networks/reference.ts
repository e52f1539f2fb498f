import type { RequestContext } from '../shared/subgraph';

/** Reference resolvers for the entities this subgraph owns: one batched query for N representations. */
export const referenceResolvers = {
  Network: { __resolveReference: (ref: { id: string }, ctx: RequestContext) => ctx.loaders.entity('Network').load(ref.id) },
  Event: { __resolveReference: (ref: { id: string }, ctx: RequestContext) => ctx.loaders.entity('Event').load(ref.id) },
};
