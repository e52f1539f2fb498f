import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  getNamedType,
  isListType,
  isNonNullType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  isObjectType,
  isInterfaceType,
  type GraphQLField,
  GraphQLObjectType,
  GraphQLInterfaceType,
} from 'graphql';
import { AppError } from '../services/shared/errors';

/** Assumed size of a list field that has no `first` argument, for the cost estimate. */
export const DEFAULT_LIST_SIZE = 10;

export interface Limits {
  maxDepth: number;
  maxComplexity: number;
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/** The deepest field nesting of a selection (introspection fields excluded, so GraphiQL's schema query passes). */
export function depthOf(selectionSet: SelectionSetNode, walk: Walk, visited: Set<string> = new Set()): number {
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      const inner = selection.selectionSet ? depthOf(selection.selectionSet, walk, visited) : 0;
      deepest = Math.max(deepest, 1 + inner);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, walk, visited));
    } else {
      const name = selection.name.value;
      const fragment = walk.fragments[name];
      if (!fragment || visited.has(name)) continue;
      deepest = Math.max(deepest, depthOf(fragment.selectionSet, walk, new Set([...visited, name])));
    }
  }
  return deepest;
}

/**
 * Estimated cost: every field costs 1, and a list field multiplies the cost of what it selects by its `first`
 * argument (or DEFAULT_LIST_SIZE), so `organizations(first: 100) { edges { node { networks { ... } } } }` costs
 * what it would really fetch. A single object with a `limit` (relationshipView(limit: 100) { nodes edges }) is not
 * multiplied itself: its limit sizes the lists directly inside it instead of DEFAULT_LIST_SIZE.
 */
export function costOf(
  selectionSet: SelectionSetNode,
  parent: GraphQLOutputType,
  walk: Walk,
  visited: Set<string> = new Set(),
  listSize = DEFAULT_LIST_SIZE,
): number {
  let total = 0;
  const named = getNamedType(parent);
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      const field = fieldOf(named, selection.name.value);
      const limited =
        field && !returnsList(field) && !getNamedType(field.type).name.endsWith('Connection') ? limitOf(selection, walk) : undefined;
      const childCost =
        selection.selectionSet && field ? costOf(selection.selectionSet, field.type, walk, visited, limited ?? DEFAULT_LIST_SIZE) : 0;
      // A connection's `first` already counts its edges: do not multiply them again.
      const times = named.name.endsWith('Connection') || limited !== undefined ? 1 : multiplier(selection, field, walk, listSize);
      total += 1 + times * childCost;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const target = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : named;
      total += costOf(selection.selectionSet, (target ?? named) as GraphQLOutputType, walk, visited, listSize);
    } else {
      const name = selection.name.value;
      const fragment = walk.fragments[name];
      if (!fragment || visited.has(name)) continue;
      const target = walk.schema.getType(fragment.typeCondition.name.value) ?? named;
      total += costOf(fragment.selectionSet, target as GraphQLOutputType, walk, new Set([...visited, name]), listSize);
    }
  }
  return total;
}

function fieldOf(type: unknown, name: string): GraphQLField<unknown, unknown> | undefined {
  return isObjectType(type) || isInterfaceType(type) ? (type as GraphQLObjectType | GraphQLInterfaceType).getFields()[name] : undefined;
}

function multiplier(node: FieldNode, field: GraphQLField<unknown, unknown> | undefined, walk: Walk, listSize: number): number {
  const first = limitOf(node, walk);
  if (first !== undefined) return first;
  return field && returnsList(field) ? listSize : 1;
}

/** The `first` or `limit` argument of a field, when it has one (literal or variable; a default counts as absent). */
function limitOf(node: FieldNode, walk: Walk): number | undefined {
  const arg = node.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'limit');
  const value = arg ? valueOf(arg.value, walk.variables) : undefined;
  return typeof value === 'number' && value >= 0 ? Math.max(1, value) : undefined;
}

function returnsList(field: GraphQLField<unknown, unknown>): boolean {
  const type = isNonNullType(field.type) ? field.type.ofType : field.type;
  return isListType(type);
}

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  return undefined;
}

/** The depth and estimated cost of an operation, as the limits below count them. */
export function measureOperation({
  operation,
  document,
  request,
  schema,
}: {
  operation: OperationDefinitionNode;
  document: { definitions: readonly unknown[] };
  request: { variables?: Record<string, unknown> };
  schema: GraphQLSchema;
}): { depth: number; cost: number } {
  const fragments = Object.fromEntries(
    (document.definitions as FragmentDefinitionNode[]).filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const walk: Walk = { schema, fragments, variables: request.variables ?? {} };
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  return { depth: depthOf(operation.selectionSet, walk), cost: costOf(operation.selectionSet, root!, walk) };
}

/** Rejects operations deeper than maxDepth (QUERY_TOO_DEEP) or costlier than maxComplexity (QUERY_TOO_COMPLEX) before any subgraph is called. */
export function queryLimitsPlugin(limits: Limits): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema }) {
          if (!operation) return;
          const { depth, cost } = measureOperation({ operation, document, request, schema });
          if (depth > limits.maxDepth) {
            throw new AppError(
              'QUERY_TOO_DEEP',
              `The operation nests ${depth} levels deep; the maximum is ${limits.maxDepth} (MAX_QUERY_DEPTH).`,
              { depth, maxDepth: limits.maxDepth },
            );
          }
          if (cost > limits.maxComplexity) {
            throw new AppError(
              'QUERY_TOO_COMPLEX',
              `The operation is estimated to cost ${cost}; the maximum is ${limits.maxComplexity} (MAX_QUERY_COMPLEXITY). Ask for smaller pages or fewer nested lists.`,
              { cost, maxComplexity: limits.maxComplexity },
            );
          }
        },
      };
    },
  };
}
