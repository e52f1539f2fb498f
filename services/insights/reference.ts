/**
 * Reference resolvers. The insights subgraph owns no entity; it adds network measures (brokerage, community) to
 * Organization, and those fields need only the id the gateway sends: a representation is answered as it comes, with
 * no read (an unknown id then gets null measures, as it is in no scope).
 */
export const referenceResolvers = {
  Organization: { __resolveReference: (reference: { id: string }) => ({ id: reference.id }) },
};
