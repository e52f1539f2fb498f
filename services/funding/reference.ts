import type { RequestContext } from '../shared/subgraph';

/** Reference resolver for Grant: one batched query for N representations. */
export const referenceResolvers = {
  Grant: { __resolveReference: (ref: { id: string }, ctx: RequestContext) => ctx.loaders.entity('Grant').load(ref.id) },
};
