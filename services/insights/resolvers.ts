import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Int, Query, Resolver } from 'type-graphql';
import { RelTypes } from '../../schema/model';
import { badInput, checkCount, notFound } from '../shared/errors';
import type { RequestContext } from '../shared/subgraph';
import * as repo from './repository';
import { MAX_DEPTH, MAX_VIEW_NODES } from '../shared/relationship-view';
import { CypherResult, RelationshipView } from './types';
import { JSONObject } from '../shared/graphql/scalars';
import { requireRole } from '../shared/auth';
import { runReadOnlyCypher } from '../shared/read-only-cypher';
import { selectsAlong } from '../shared/prefetch';
import { NetworkQuestionsResolver } from './network-questions';
import { NetworkScienceResolver, OrganizationScienceResolver } from './science-questions';

@Resolver()
export class RelationshipViewResolver {
  @Query(() => RelationshipView, {
    description: 'The neighbourhood of any entity to depth 1-3 as nodes and edges, ready to draw; NOT_FOUND for an unknown id.',
  })
  async relationshipView(
    @Arg('id', () => ID, { description: 'Id of the centre entity.' }) id: string,
    @Ctx() ctx: RequestContext,
    @Arg('depth', () => Int, { defaultValue: 1, description: 'How many hops out (1-3).' }) depth: number,
    @Arg('kinds', () => [String], {
      nullable: true,
      description: 'Only these relationship types (e.g. MEMBER_OF, WORKS_FOR); default all.',
    })
    kinds?: string[],
    @Arg('limit', () => Int, { defaultValue: 200, description: `Most nodes to return, centre included (at most ${MAX_VIEW_NODES}).` })
    limit?: number,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<RelationshipView> {
    checkCount('depth', depth, MAX_DEPTH);
    const nodeLimit = limit ?? 200;
    checkCount('limit', nodeLimit, MAX_VIEW_NODES);
    const unknown = (kinds ?? []).filter((k) => !(k in RelTypes));
    if (unknown.length > 0) throw badInput('kinds', `unknown relationship types: ${unknown.join(', ')}`);
    // Places and sources cost a walk per node and per edge: read only when selected.
    const detail = info
      ? {
          places: selectsAlong(info, ['nodes', 'city']) || selectsAlong(info, ['nodes', 'country']),
          sources: selectsAlong(info, ['edges', 'sources']),
        }
      : undefined;
    const view = await repo.relationshipView(ctx.db, id, depth, kinds ?? [], nodeLimit, detail);
    if (!view) throw notFound('entity', id);
    return view as unknown as RelationshipView;
  }
}

export const MAX_CYPHER_ROWS = 10_000;

@Resolver()
export class ResearchCypherResolver {
  @Query(() => CypherResult, {
    description: `Runs a read-only Cypher query (researcher role): refused with FORBIDDEN when it would write, change the schema, administer the server or LOAD CSV; runs in a READ transaction under the transaction timeout; at most maxRows rows (up to ${MAX_CYPHER_ROWS}).`,
  })
  async cypher(
    @Arg('query', { description: 'The Cypher query, e.g. "MATCH (o:Organization {country: $c}) RETURN o.name AS name".' }) query: string,
    @Ctx() ctx: RequestContext,
    @Arg('params', () => JSONObject, {
      nullable: true,
      description: 'Query parameters ($name in the query); whole numbers are sent as integers.',
    })
    params?: Record<string, unknown>,
    @Arg('maxRows', () => Int, { defaultValue: 1000, description: `Most rows to return (1-${MAX_CYPHER_ROWS}).` }) maxRows?: number,
  ): Promise<CypherResult> {
    requireRole(ctx.caller, 'researcher');
    const cap = maxRows ?? 1000;
    checkCount('maxRows', cap, MAX_CYPHER_ROWS);
    if (query.length > 20_000) throw badInput('query', 'longer than 20000 characters');
    return runReadOnlyCypher(ctx.db, query, params ?? {}, cap);
  }
}

export const resolvers = [
  RelationshipViewResolver,
  NetworkQuestionsResolver,
  NetworkScienceResolver,
  OrganizationScienceResolver,
  ResearchCypherResolver,
] as const;
