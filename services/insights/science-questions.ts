import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { badInput, checkCount, notFound } from '../shared/errors';
import { PartialDate } from '../shared/graphql/scalars';
import type { ActorMeasures } from '../shared/actor-measures';
import type { Database } from '../shared/database';
import type { RequestContext } from '../shared/subgraph';
import { currentIndex, explain, freshnessOf, shared, sharedOrEarlier, type Answer, type Freshness } from './collaboration';
import type { CollaborationIndex } from './collaboration-index';
import { ALL_LINK_KINDS, type LinkKind } from './links';
import {
  brokerageTriads,
  groupOf,
  projectYielding,
  yearlyProjections,
  type ActorScope,
  type Partition,
  type Projection,
} from './network-science';
import { brokerageInWorker, centralityInWorker, communitiesInWorker, evolutionInWorker, holesInWorker } from './science-worker';
import * as repo from './repository';
import {
  BrokerageExplanation,
  BrokerageGrouping,
  BrokerageRole,
  BrokerageScore,
  CentralityMeasureEnum,
  CentralityRanking,
  Community,
  CommunityMethod,
  CommunityPartition,
  LinkKindEnum,
  NetworkPeriod,
  OrganizationReference,
  StructuralHoleScore,
  TimeStep,
} from './types';
import { toPath } from './network-questions';

const MAX_RANKED = 200;

/** The actors a whole-graph measure covers. */
@ArgsType()
class ScopeArgs {
  @Field(() => ID, { nullable: true, description: 'Only actors in this network or its cohorts.' }) network?: string;
  @Field({ nullable: true, description: 'Only actors of this country (ISO 3166-1 alpha-2).' }) country?: string;
  @Field(() => [LinkKindEnum], { nullable: true, description: 'Which links make ties (default all).' }) linkKinds?: LinkKindEnum[];
  @Field(() => PartialDate, {
    nullable: true,
    description: 'The graph as it was then: only relationships begun by this date and not ended before it (undated ones always count).',
  })
  at?: string;
}

/** The actors and links a question covers (a network's family: itself and its cohorts), and a key naming them. */
async function scopeOf(db: Database, { network, country, linkKinds, at }: ScopeArgs): Promise<{ scope: ActorScope; key: string }> {
  if (network && (await repo.missingNetworks(db, [network])).length > 0) throw notFound('Network', network);
  const members = network ? (await repo.networkFamily(db, network)).actors : undefined;
  const kinds = linkKinds && linkKinds.length > 0 ? (linkKinds as LinkKind[]) : ALL_LINK_KINDS;
  return {
    scope: { members, country, kinds, from: at, to: at },
    key: `${network ?? '*'}|${country ?? '*'}|${[...kinds].sort().join(',')}|${at ?? '*'}`,
  };
}

/**
 * The collaboration graph of a scope (a network's family, itself and its cohorts, and/or a country, with link
 * kinds), projected once per version of the index and shared; with the index and a key naming the scope.
 */
async function projectionOf(
  ctx: RequestContext,
  args: ScopeArgs,
): Promise<{ index: CollaborationIndex; projection: Projection; scope: ActorScope; key: string }> {
  const { scope, key } = await scopeOf(ctx.db, args);
  const index = await currentIndex(ctx.db, []);
  const projection = await projectionFor(index, scope, key, ctx.db.transactionTimeoutMs);
  return { index, projection, scope, key };
}

/** The projection of a scope for the index as it is now, made once per version and shared. */
const projectionFor = (index: CollaborationIndex, scope: ActorScope, key: string, budgetMs: number) =>
  shared(index, `projection|${key}`, budgetMs, 'Projecting the collaboration graph', () => projectYielding(index, scope));

/**
 * A whole-graph measure of a scope, with the projection it is computed on, once per version of the index; after a
 * write the earlier result is given (marked not current) while the new one is computed (`sharedOrEarlier`).
 */
async function measureOf<T>(
  db: Database,
  args: ScopeArgs,
  name: string,
  what: string,
  compute: (projection: Projection, index: CollaborationIndex) => Promise<T>,
  budgetMs = db.transactionTimeoutMs,
): Promise<{ index: CollaborationIndex; answer: Answer<T & { actors: number; ties: number }>; freshness: Freshness }> {
  const { scope, key } = await scopeOf(db, args);
  const index = await currentIndex(db, []);
  const answer = await sharedOrEarlier(index, `${name}|${key}`, budgetMs, what, async () => {
    // The projection must match the index the measure reads: made inside, waiting as long as the measure does.
    const projection = await projectionFor(index, scope, key, Number.POSITIVE_INFINITY);
    return { ...(await compute(projection, index)), actors: projection.actors.length, ties: projection.ties };
  });
  return { index, answer, freshness: freshnessOf(answer) };
}

async function summariesOf(ctx: RequestContext, ids: string[]) {
  const summaries = await repo.summariesById(ctx.db, ids);
  return (id: string) => summaries.get(id);
}

/** Each ranked item with its actor's summary; an actor deleted since the measure was computed is left out. */
async function withActors<T extends { id: string }, R>(
  ctx: RequestContext,
  items: T[],
  make: (item: T, actor: repo.SummaryRow) => R,
): Promise<R[]> {
  const summary = await summariesOf(
    ctx,
    items.map((item) => item.id),
  );
  return items.flatMap((item) => {
    const actor = summary(item.id);
    return actor ? [make(item, actor)] : [];
  });
}

/** The most frequent values, most first (ties by value), at most `first`. */
function dominant(values: Array<string | null | undefined>, first: number): string[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .slice(0, first)
    .map(([v]) => v);
}

/** Every actor of a projection with its brokerage roles, most brokerage first (ties by id). */
async function brokerageRanking(index: CollaborationIndex, projection: Projection, groupBy: BrokerageGrouping) {
  const roles = await brokerageInWorker(projection, groupOf(index, groupBy));
  return projection.actors
    .map((n, i) => ({ id: index.ids[n]!, roles: roles[i]! }))
    .sort((a, b) => b.roles.total - a.roles.total || (a.id < b.id ? -1 : 1));
}

/** The name `measureOf` keeps a brokerage ranking under (`brokerage` and an organization's explanation share it). */
const BROKERAGE_RANKING = (groupBy: BrokerageGrouping) => `brokerage-ranking|${groupBy}`;

/**
 * The brokerage ranking of the projection of the graph as it is now (never an earlier one: an organization's
 * explanation samples paths from that projection). The same computation `brokerage` asks `measureOf` for, under the
 * same key and with the same value, so the two never count the roles twice for one version.
 */
async function rankedBrokerage(
  ctx: RequestContext,
  index: CollaborationIndex,
  projection: Projection,
  key: string,
  groupBy: BrokerageGrouping,
) {
  const computed = await shared(
    index,
    `${BROKERAGE_RANKING(groupBy)}|${key}`,
    ctx.db.transactionTimeoutMs,
    'Counting brokerage roles',
    async () => ({
      ranked: await brokerageRanking(index, projection, groupBy),
      actors: projection.actors.length,
      ties: projection.ties,
    }),
  );
  return computed.ranked;
}

/** The communities of a scope's collaboration graph, once per version of the index and scope (or the earlier ones). */
const partitionOf = (db: Database, args: ScopeArgs, method: CommunityMethod, budgetMs?: number) =>
  measureOf(
    db,
    args,
    `communities|${method}`,
    'Finding communities',
    async (projection) => ({ partition: await communitiesInWorker(projection) }),
    budgetMs,
  );

/** Actors ranked by a centrality measure of a scope's collaboration graph, once per version (or the earlier ranking). */
const centralityOf = (db: Database, args: ScopeArgs, measure: CentralityMeasureEnum, budgetMs?: number) =>
  measureOf(db, args, `centrality|${measure}`, 'Computing centrality', (projection) => centralityInWorker(projection, measure), budgetMs);

/** Communities as the API shows them: size, a label from the best-connected members, dominant places, members. */
async function describeCommunities(
  ctx: RequestContext,
  index: CollaborationIndex,
  communities: Partition['communities'],
  membersFirst: number,
) {
  const summary = await summariesOf(
    ctx,
    communities.flatMap((c) => c.members.slice(0, membersFirst)),
  );
  const node = (id: string) => index.indexOf(id)!;
  return communities.map((c) => ({
    id: c.id,
    size: c.members.length,
    label:
      c.members
        .slice(0, 2)
        .map((id) => index.names[node(id)] ?? id)
        .join(' · ') + (c.members.length > 2 ? ` +${c.members.length - 2}` : ''),
    dominantCities: dominant(
      c.members.map((id) => index.cities[node(id)]),
      3,
    ),
    dominantCountries: dominant(
      c.members.map((id) => index.countries[node(id)]),
      3,
    ),
    members: c.members.slice(0, membersFirst).flatMap((id) => {
      const actor = summary(id);
      return actor ? [actor] : [];
    }) as never,
  }));
}

@Resolver()
export class NetworkScienceResolver {
  @Query(() => CentralityRanking, {
    description:
      'Actors ranked by a centrality measure over the collaboration graph of a scope (a network and its cohorts, a country, or everything), computed exactly; a scope too large to compute exactly within a request is refused with BAD_USER_INPUT saying how to narrow it.',
  })
  async centrality(
    @Arg('measure', () => CentralityMeasureEnum) measure: CentralityMeasureEnum,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20, description: `Most actors to return (1-${MAX_RANKED}).` }) first = 20,
    @Args() scopeArgs: ScopeArgs,
  ): Promise<CentralityRanking> {
    checkCount('first', first, MAX_RANKED);
    const { answer, freshness } = await centralityOf(ctx.db, scopeArgs, measure);
    const { ranked, estimate, actors, ties } = answer.value;
    const scores = await withActors(ctx, ranked.slice(0, first), (r, actor) => ({ actor, score: r.score, rank: r.rank }));
    return { measure, actors, ties, scores: scores as never, estimate, freshness };
  }

  @Query(() => CommunityPartition, {
    description:
      'Communities of the collaboration graph of a scope, largest first, each labelled by its best-connected members and its dominant cities and countries.',
  })
  async communities(
    @Ctx() ctx: RequestContext,
    @Arg('method', () => CommunityMethod, { defaultValue: CommunityMethod.LOUVAIN, description: 'How communities are found.' })
    method: CommunityMethod = CommunityMethod.LOUVAIN,
    @Arg('first', () => Int, { defaultValue: 20, description: `Most communities to return (1-${MAX_RANKED}).` }) first = 20,
    @Arg('membersFirst', () => Int, { defaultValue: 10, description: 'Most members to list per community (1-100).' }) membersFirst = 10,
    @Args() scopeArgs: ScopeArgs,
  ): Promise<CommunityPartition> {
    checkCount('first', first, MAX_RANKED);
    checkCount('membersFirst', membersFirst, 100);
    const { index, answer, freshness } = await partitionOf(ctx.db, scopeArgs, method);
    const { partition, actors } = answer.value;
    return {
      method,
      modularity: partition.modularity,
      actors,
      communities: await describeCommunities(ctx, index, partition.communities.slice(0, first), membersFirst),
      freshness,
    };
  }

  @Query(() => [BrokerageScore], {
    description:
      'Actors by their Gould-Fernandez brokerage roles between groups (cities, countries, kinds of actor, networks or sectors) over the collaboration graph of a scope, most brokerage first. Funding, employment, procurement and unit-of relationships keep their direction; shared contexts and partnerships tie both ways.',
  })
  async brokerage(
    @Arg('groupBy', () => BrokerageGrouping) groupBy: BrokerageGrouping,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20, description: `Most actors to return (1-${MAX_RANKED}).` }) first = 20,
    @Args() scopeArgs: ScopeArgs,
  ): Promise<BrokerageScore[]> {
    checkCount('first', first, MAX_RANKED);
    // A ranking may be given from before the latest writes, marked so.
    const { answer, freshness } = await measureOf(
      ctx.db,
      scopeArgs,
      BROKERAGE_RANKING(groupBy),
      'Counting brokerage roles',
      async (projection, index) => ({
        ranked: await brokerageRanking(index, projection, groupBy),
      }),
    );
    const brokers = answer.value.ranked.filter((b) => b.roles.total > 0).slice(0, first);
    return withActors(ctx, brokers, (b, actor) => ({ actor, roles: b.roles, freshness })) as never;
  }

  @Query(() => [StructuralHoleScore], {
    description:
      "Actors across structural holes (Burt's constraint, lowest first, and effective size) in the collaboration graph of a scope: those whose contacts do not know each other.",
  })
  async structuralHoles(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20, description: `Most actors to return (1-${MAX_RANKED}).` }) first = 20,
    @Args() scopeArgs: ScopeArgs,
  ): Promise<StructuralHoleScore[]> {
    checkCount('first', first, MAX_RANKED);
    const { answer, freshness } = await measureOf(ctx.db, scopeArgs, 'holes', 'Measuring structural holes', async (projection) => ({
      ranked: await holesInWorker(projection),
    }));
    return withActors(ctx, answer.value.ranked.slice(0, first), (h, actor) => ({
      actor,
      degree: h.degree,
      constraint: h.constraint,
      effectiveSize: h.effectiveSize,
      freshness,
    })) as never;
  }

  @Query(() => [NetworkPeriod], {
    description:
      "How the collaboration graph of a scope changed, period by period: actors, ties, density, components, modularity and the top brokers of each (the question behind a case study such as a country's OGP journey).",
  })
  async networkEvolution(
    @Arg('from', () => Int, { description: 'First year.' }) from: number,
    @Arg('to', () => Int, { description: 'Last year (at most 50 after `from`).' }) to: number,
    @Ctx() ctx: RequestContext,
    @Arg('step', () => TimeStep, { defaultValue: TimeStep.YEAR, description: 'Period length.' }) _step: TimeStep = TimeStep.YEAR,
    @Args() scopeArgs: ScopeArgs,
  ): Promise<NetworkPeriod[]> {
    if (!Number.isInteger(from) || from < 1900 || from > 2100) throw badInput('from', 'must be a year between 1900 and 2100');
    if (!Number.isInteger(to) || to < from || to > from + 50) throw badInput('to', 'must be a year from `from` to 50 years after it');
    if (scopeArgs.at) throw badInput('at', 'an evolution sets its own dates: leave `at` out');
    const { scope, key } = await scopeOf(ctx.db, scopeArgs);
    const index = await currentIndex(ctx.db, []);
    const answer = await sharedOrEarlier(
      index,
      `evolution|${from}|${to}|${key}`,
      ctx.db.transactionTimeoutMs,
      'Following the network over time',
      async () => evolutionInWorker(await yearlyProjections(index, scope, from, to)),
    );
    const periods = answer.value;
    const freshness = freshnessOf(answer);
    const summary = await summariesOf(ctx, [...new Set(periods.flatMap((p) => p.topBrokers.map((b) => b.id)))]);
    return periods.map((p) => ({
      ...p,
      freshness,
      topBrokers: p.topBrokers.flatMap((b) => {
        const actor = summary(b.id);
        return actor ? [{ actor, score: b.score, rank: b.rank }] : [];
      }),
    })) as never;
  }
}

@Resolver(() => OrganizationReference)
export class OrganizationScienceResolver {
  @FieldResolver(() => Community, {
    nullable: true,
    description:
      "The community this organization falls in, among the communities of a scope's collaboration graph (as `communities` finds them: the same id, size, label and members); null when it is not in the scope.",
  })
  async community(
    @Root() organization: { id: string },
    @Ctx() ctx: RequestContext,
    @Arg('method', () => CommunityMethod, { defaultValue: CommunityMethod.LOUVAIN, description: 'How communities are found.' })
    method: CommunityMethod = CommunityMethod.LOUVAIN,
    @Arg('membersFirst', () => Int, { defaultValue: 10, description: 'Most members to list (1-100).' }) membersFirst = 10,
    @Args() scopeArgs?: ScopeArgs,
  ): Promise<Community | null> {
    checkCount('membersFirst', membersFirst, 100);
    const { index, answer } = await partitionOf(ctx.db, scopeArgs ?? {}, method);
    const found = answer.value.partition.communities.find((c) => c.members.includes(organization.id));
    return found ? (await describeCommunities(ctx, index, [found], membersFirst))[0]! : null;
  }

  @FieldResolver(() => BrokerageExplanation, {
    nullable: true,
    description:
      "This organization's Gould-Fernandez brokerage roles between groups over the collaboration graph of a scope, explained by sample two-step paths through it with the sources of every step; null when it is not in the scope.",
  })
  async brokerage(
    @Root() organization: { id: string },
    @Arg('groupBy', () => BrokerageGrouping) groupBy: BrokerageGrouping,
    @Ctx() ctx: RequestContext,
    @Arg('triads', () => Int, { defaultValue: 5, description: 'Most sample paths to return (0-50).' }) triads = 5,
    @Arg('role', () => BrokerageRole, { nullable: true, description: 'Only sample paths of this role.' }) role?: BrokerageRole,
    @Args() scopeArgs?: ScopeArgs,
  ): Promise<BrokerageExplanation | null> {
    if (!Number.isInteger(triads) || triads < 0 || triads > 50) throw badInput('triads', 'must be an integer from 0 to 50');
    const { index, projection, scope, key } = await projectionOf(ctx, scopeArgs ?? {});
    const node = index.indexOf(organization.id);
    const position = node === undefined ? -1 : projection.actors.indexOf(node);
    if (position < 0) return null;
    const ranked = await rankedBrokerage(ctx, index, projection, key, groupBy);
    const group = groupOf(index, groupBy);
    const sample = brokerageTriads(projection, position, group, triads, role?.toLowerCase() as never);
    const actor = (i: number) => projection.actors[i]!;
    // Each step as the cheapest one-hop link the index holds between its two actors (searched before explaining:
    // a search reuses the index's scratch space).
    const steps = sample.map((t) => [index.oneHopPath(actor(t.a), node!, scope), index.oneHopPath(node!, actor(t.c), scope)]);
    const { summaries, toRaw } = await explain(
      ctx.db,
      index,
      steps.flat().filter((p) => p !== undefined),
    );
    return {
      groupBy,
      group: group(node!) ?? undefined,
      roles: ranked.find((b) => b.id === organization.id)!.roles,
      triads: sample.flatMap((t, i) => {
        const [from, to] = [summaries.get(index.ids[actor(t.a)]!), summaries.get(index.ids[actor(t.c)]!)];
        const paths = steps[i]!.map((p) => (p ? toRaw(p) : undefined));
        if (!from || !to || paths.some((p) => !p)) return []; // deleted meanwhile
        return [
          {
            role: t.role.toUpperCase() as BrokerageRole,
            from,
            to,
            fromGroup: group(actor(t.a)) ?? undefined,
            toGroup: group(actor(t.c)) ?? undefined,
            toBroker: toPath(paths[0]!),
            fromBroker: toPath(paths[1]!),
          },
        ];
      }) as never,
    };
  }
}

/**
 * Every actor's community and centrality scores in a scope, for the exports (the gateway passes this to them): the
 * same shared computations the API answers from, so a file and a query agree. Waits up to `budgetMs` for them.
 */
export const actorMeasures: ActorMeasures = async (db, { network, country, measures }, budgetMs) => {
  const args: ScopeArgs = { network, country };
  const values = new Map<string, Record<string, number>>();
  const valuesOf = (id: string) => values.get(id) ?? values.set(id, {}).get(id)!;
  const notes: string[] = [];
  for (const measure of measures) {
    if (measure === 'community') {
      const { answer, freshness } = await partitionOf(db, args, CommunityMethod.LOUVAIN, budgetMs);
      for (const c of answer.value.partition.communities) for (const id of c.members) valuesOf(id).community = c.id;
      notes.push(`community: Louvain, modularity ${answer.value.partition.modularity.toFixed(4)}${stale(freshness)}`);
    } else {
      const { answer, freshness } = await centralityOf(db, args, measure.toUpperCase() as CentralityMeasureEnum, budgetMs);
      for (const r of answer.value.ranked) valuesOf(r.id)[measure] = r.score;
      const estimate = answer.value.estimate;
      notes.push(
        `${measure}${estimate ? ` (estimated from ${estimate.samples} sources, within ${estimate.errorBound.toPrecision(3)} at ${estimate.confidence * 100}% confidence)` : ''}${stale(freshness)}`,
      );
    }
  }
  const scope = [network && `network ${network}`, country && `country ${country}`].filter(Boolean).join(', ') || 'every actor';
  return { values, note: `measures on the collaboration graph of ${scope}: ${notes.join('; ')}` };
};

const stale = (freshness: Freshness) => (freshness.current ? '' : `, as computed at ${freshness.computedAt} (before the latest writes)`);
