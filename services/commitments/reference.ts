import type { RequestContext } from '../shared/subgraph';

/** Reference resolvers for ActionPlan and Commitment: one batched query for N representations. */
export const referenceResolvers = {
  ActionPlan: { __resolveReference: (ref: { id: string }, ctx: RequestContext) => ctx.loaders.entity('ActionPlan').load(ref.id) },
  Commitment: { __resolveReference: (ref: { id: string }, ctx: RequestContext) => ctx.loaders.entity('Commitment').load(ref.id) },
};
