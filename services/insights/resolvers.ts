import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { RelTypes } from '../../schema/model';
import { badInput, notFound } from '../shared/errors';
import type { RequestContext } from '../shared/subgraph';
import * as repo from './repository';
import { RelationshipView } from './types';
import { NetworkQuestionsResolver } from './network-questions';

export const MAX_DEPTH = 3;
export const MAX_VIEW_NODES = 2000;

@Resolver()
export class RelationshipViewResolver {
  @Query(() => RelationshipView, { description: 'The neighbourhood of any entity to depth 1-3 as nodes and edges, ready to draw; NOT_FOUND for an unknown id.' })
  async relationshipView(
    @Arg('id', () => ID, { description: 'Id of the centre entity.' }) id: string,
    @Ctx() ctx: RequestContext,
    @Arg('depth', () => Int, { defaultValue: 1, description: 'How many hops out (1-3).' }) depth: number,
    @Arg('kinds', () => [String], { nullable: true, description: 'Only these relationship types (e.g. MEMBER_OF, WORKS_FOR); default all.' }) kinds?: string[],
    @Arg('limit', () => Int, { defaultValue: 200, description: `Most nodes to return, centre included (at most ${MAX_VIEW_NODES}).` }) limit?: number,
  ): Promise<RelationshipView> {
    if (!Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH) throw badInput('depth', `must be between 1 and ${MAX_DEPTH}`);
    const nodeLimit = limit ?? 200;
    if (!Number.isInteger(nodeLimit) || nodeLimit < 1 || nodeLimit > MAX_VIEW_NODES) throw badInput('limit', `must be between 1 and ${MAX_VIEW_NODES}`);
    const unknown = (kinds ?? []).filter((k) => !(k in RelTypes));
    if (unknown.length > 0) throw badInput('kinds', `unknown relationship types: ${unknown.join(', ')}`);
    const view = await repo.relationshipView(ctx.db, id, depth, kinds ?? [], nodeLimit);
    if (!view) throw notFound('entity', id);
    return view as unknown as RelationshipView;
  }
}

export const resolvers = [RelationshipViewResolver, NetworkQuestionsResolver] as const;
