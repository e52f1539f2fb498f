import { buildSubgraphSchema, printSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { isUnionType, type GraphQLSchema, type GraphQLTypeResolver } from 'graphql';
import gql from 'graphql-tag';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';

/** The Federation version every subgraph links; one place, so all subgraphs agree. */
const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5",
  import: ["@key", "@shareable", "@external", "@requires", "@provides", "@tag", "@inaccessible"])`;

/**
 * Builds a Federation 2 subgraph schema from type-graphql classes: type-graphql makes the schema, its SDL (with
 * @key/@shareable directives) goes to @apollo/subgraph in the array form it requires, and the reference
 * resolvers are merged with type-graphql's own resolvers.
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  referenceResolvers: GraphQLResolverMap<unknown> = {},
): Promise<GraphQLSchema> {
  const schema = await buildSchema({ ...options, skipCheck: true, validate: false });
  const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
  for (const [typeName, fields] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...(fields as object) } as never;
  }
  return resolvingLabelsAtOnce(
    buildSubgraphSchema([{ typeDefs: gql`${FEDERATION_LINK} ${printSchemaWithDirectives(schema)}`, resolvers }]),
  );
}

/**
 * type-graphql wraps each union's resolveType in an async function, so every member of a union list cost a promise
 * and made graphql-js await its parent object (a page of 150 members: hundreds of promises). A value read from the
 * graph carries its node label (`__label`), which names its GraphQL type: when the union has that type, it resolves
 * at once; any other value goes to the union's own resolveType.
 */
function resolvingLabelsAtOnce(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isUnionType(type) || !type.resolveType) continue;
    const members = new Set(type.getTypes().map((t) => t.name));
    const own: GraphQLTypeResolver<unknown, unknown> = type.resolveType;
    type.resolveType = (value, ...rest) => {
      const label = (value as { __label?: unknown } | null)?.__label;
      return typeof label === 'string' && members.has(label) ? label : own(value, ...rest);
    };
  }
  return schema;
}

/** The subgraph SDL as the gateway's composition sees it (committed under schema/subgraphs). */
export const subgraphSdl = (schema: GraphQLSchema): string => printSubgraphSchema(schema);
