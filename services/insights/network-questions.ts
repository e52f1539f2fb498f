import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, ID, Info, Int, Query, Resolver } from 'type-graphql';
import { badInput, checkCount, notFound } from '../shared/errors';
import { connectionFrom, PageArgs, toPage } from '../shared/graphql/pagination';
import { moneyOf, totalsByCurrency } from '../shared/money';
import { PartialDate } from '../shared/graphql/scalars';
import type { RequestContext } from '../shared/subgraph';
import { selectsAlong, selectsField } from '../shared/prefetch';
import * as collaboration from './collaboration';
import * as repo from './repository';
import { ALL_LINK_KINDS, hopsAlong, linkKindOf, type LinkKind } from './links';
import {
  Broker,
  BrokerMeasure,
  CityLink,
  CollaborationScope,
  CollaboratorConnection,
  FundingTrail,
  LinkKindEnum,
  NetworkOverlap,
  NetworkPairOverlap,
  Path,
  PathRelationship,
  TrailDirection,
} from './types';

export const MAX_HOPS = 3;
const MAX_CITY_HOPS = 2;
const MAX_TRAIL_DEPTH = 4;

type RawPath = collaboration.RawPath;

/** Turns a path from Cypher into the API's Path: link kinds named, money as { amount currency }, hops counted. */
export function toPath(raw: RawPath): Path {
  return {
    nodes: raw.nodes,
    hops: hopsAlong(raw.nodes.map((n) => n.label)),
    relationships: raw.relationships.map((r) => ({
      ...(r as unknown as PathRelationship),
      linkKind: linkKindOf(r.type) as LinkKindEnum | undefined,
      value: moneyOf(r.amount, r.currency),
    })),
  };
}

function checkWindow(from?: string, to?: string): void {
  if (from && to && from > to) throw badInput('from', 'must not be after `to`');
}

const kindsOrAll = (kinds?: LinkKindEnum[]): LinkKind[] => (kinds && kinds.length > 0 ? (kinds as LinkKind[]) : ALL_LINK_KINDS);

@Resolver()
export class NetworkQuestionsResolver {
  @Query(() => CollaboratorConnection, {
    description:
      'Organizations and people an actor collaborates with, nearest first, each with how they are linked and a shortest path whose every relationship carries its sources. NOT_FOUND for an unknown id; an actor with no links gets an empty list.',
  })
  async collaborators(
    @Arg('id', () => ID, { description: 'The actor (or any entity) to start from.' }) id: string,
    @Args() pageArgs: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg('linkKinds', () => [LinkKindEnum], { nullable: true, description: 'Only these kinds of link (default all).' })
    linkKinds?: LinkKindEnum[],
    @Arg('maxHops', () => Int, {
      defaultValue: 1,
      description: `Collaboration hops (1-${MAX_HOPS}); a shared context or a direct link is one hop.`,
    })
    maxHops = 1,
    @Arg('scope', () => CollaborationScope, {
      defaultValue: CollaborationScope.ANY,
      description: 'All collaborators, or only those in another city or country.',
    })
    scope: CollaborationScope = CollaborationScope.ANY,
    @Arg('from', () => PartialDate, { nullable: true, description: 'Only relationships still active on or after this date.' })
    from?: string,
    @Arg('to', () => PartialDate, { nullable: true, description: 'Only relationships begun on or before this date.' }) to?: string,
    @Info() info?: GraphQLResolveInfo,
  ) {
    checkCount('maxHops', maxHops, MAX_HOPS);
    checkWindow(from, to);
    const page = toPage(pageArgs, ctx.maxPageSize);
    const found = await collaboration.collaborators(ctx.db, {
      id,
      kinds: kindsOrAll(linkKinds),
      maxHops,
      scope,
      from: from ?? null,
      to: to ?? null,
      offset: page.offset,
      limit: page.limit,
      needTotal: !info || selectsAlong(info, ['totalCount']),
      needPaths: !info || selectsAlong(info, ['edges', 'node', 'path']),
      needRelationships: !info || selectsAlong(info, ['edges', 'node', 'path', 'relationships']),
    });
    if (!found) throw notFound('entity', id);
    const items = found.items.map((i) => ({
      actor: i.actor,
      hops: i.hops,
      linkKinds: [...i.kinds].sort() as LinkKindEnum[],
      path: i.path && toPath(i.path),
    }));
    return connectionFrom(items, page, found.total);
  }

  @Query(() => [Path], {
    description:
      'All shortest paths between two entities (up to `limit`), restricted to some link kinds if asked; every hop explained with its sources. Empty when they are not linked within maxHops.',
  })
  async shortestPaths(
    @Arg('from', () => ID, { description: 'Start entity.' }) from: string,
    @Arg('to', () => ID, { description: 'End entity.' }) to: string,
    @Ctx() ctx: RequestContext,
    @Arg('maxHops', () => Int, { defaultValue: 3, description: `Most collaboration hops (1-${MAX_HOPS}).` }) maxHops = 3,
    @Arg('linkKinds', () => [LinkKindEnum], { nullable: true, description: 'Only these kinds of link (default all).' })
    linkKinds?: LinkKindEnum[],
    @Arg('limit', () => Int, { defaultValue: 20, description: 'Most paths to return (1-100).' }) limit = 20,
    @Info() info?: GraphQLResolveInfo,
  ) {
    checkCount('maxHops', maxHops, MAX_HOPS);
    checkCount('limit', limit, 100);
    const withRelationships = !info || selectsAlong(info, ['relationships']);
    const { paths, bothEntities } = await collaboration.shortestPaths(
      ctx.db,
      from,
      to,
      kindsOrAll(linkKinds),
      maxHops,
      limit,
      withRelationships,
    );
    if (!bothEntities) {
      // Not both vouched for by the index (current as of this question): Neo4j says whether they exist.
      const found = await repo.endpointsExist(ctx.db, from, to);
      if (!found.fromFound) throw notFound('entity', from);
      if (!found.toFound) throw notFound('entity', to);
    }
    return paths.map(toPath);
  }

  @Query(() => [CityLink], {
    description:
      'Which pairs of cities are linked through collaborating actors, how strongly (distinct actor pairs) and by which kinds of link; for the given cities or all. Ready for a city network or a matrix.',
  })
  async cityCollaboration(
    @Ctx() ctx: RequestContext,
    @Arg('cities', () => [ID], { nullable: true, description: 'Only links among these cities (Place ids); default all cities.' })
    cities?: string[],
    @Arg('maxHops', () => Int, {
      defaultValue: 2,
      description: `Collaboration hops between the two actors (1-${MAX_CITY_HOPS}); 2 reaches cohorts that share a hub.`,
    })
    maxHops = 2,
    @Arg('linkKinds', () => [LinkKindEnum], { nullable: true, description: 'Only these kinds of link (default all).' })
    linkKinds?: LinkKindEnum[],
    @Arg('first', () => Int, {
      nullable: true,
      description: `How many of the strongest pairs to return, at most ${collaboration.CITY_PAIRS_KEPT.toLocaleString('en')} (default that many: every linked pair when there are fewer).`,
    })
    first?: number,
    @Info() info?: GraphQLResolveInfo,
  ) {
    checkCount('maxHops', maxHops, MAX_CITY_HOPS);
    if (first !== undefined && first !== null) checkCount('first', first, collaboration.CITY_PAIRS_KEPT);
    const { pairs, places, freshness } = await collaboration.cityPairs(
      ctx.db,
      cities && cities.length > 0 ? cities : null,
      kindsOrAll(linkKinds),
      maxHops,
      first ?? undefined,
      ctx.db.transactionTimeoutMs,
      // A pair's link kinds are those of its carriers: both are found by one more search, only when asked for.
      !info || selectsAlong(info, ['carriers']) || selectsAlong(info, ['linkKinds']),
    );
    const city = (id: string) => {
      const place = places.get(id);
      return place ? { id, name: place.name, country: place.country } : undefined;
    };
    // A city deleted by a concurrent write comes back without its place: leave it out.
    return pairs.flatMap((pair) => {
      const [a, b] = [city(pair.a), city(pair.b)];
      if (!a || !b) return [];
      const carriers = pair.carriers.map((c) => ({ a: c.a, b: c.b, linkKinds: c.kinds as LinkKindEnum[] }));
      return [
        { a, b, actorPairs: pair.actorPairs, linkKinds: [...new Set(carriers.flatMap((c) => c.linkKinds))].sort(), carriers, freshness },
      ];
    });
  }

  @Query(() => [Broker], {
    description:
      'Actors that bridge groups, ranked by how many distinct networks, cities or countries they and their direct collaborators span (at least 2), within a network, a country or everything.',
  })
  async brokers(
    @Ctx() ctx: RequestContext,
    @Arg('by', () => BrokerMeasure, { defaultValue: BrokerMeasure.NETWORKS, description: 'What is bridged.' })
    by: BrokerMeasure = BrokerMeasure.NETWORKS,
    @Arg('network', () => ID, { nullable: true, description: 'Only actors in this network or its cohorts.' }) network?: string,
    @Arg('country', { nullable: true, description: 'Only actors of this country (ISO 3166-1 alpha-2).' }) country?: string,
    @Arg('linkKinds', () => [LinkKindEnum], { nullable: true, description: 'Which links make collaborators (default all).' })
    linkKinds?: LinkKindEnum[],
    @Arg('limit', () => Int, { defaultValue: 20, description: 'Most brokers to return (1-200).' }) limit = 20,
  ) {
    checkCount('limit', limit, 200);
    if (network && (await repo.missingNetworks(ctx.db, [network])).length > 0) throw notFound('Network', network);
    const family = network ? await repo.networkFamily(ctx.db, network) : undefined;
    const scope = { members: family?.actors, networks: family?.networks, country: country ?? undefined };
    if (by === BrokerMeasure.NETWORKS) return collaboration.networkBrokers(ctx.db, scope, limit, ctx.db.transactionTimeoutMs);
    return collaboration.groupBrokers(ctx.db, by, kindsOrAll(linkKinds), scope, limit, ctx.db.transactionTimeoutMs);
  }

  @Query(() => FundingTrail, {
    description:
      'From a funder or a grant, where the money went (grantees, sub-grantees), with amounts per currency and dates, and what each recipient produced or joined; UPSTREAM from a recipient, who funded it, directly and above.',
  })
  async fundingTrail(
    @Arg('id', () => ID, { description: 'A funder, a grant, or (upstream) a recipient.' }) id: string,
    @Ctx() ctx: RequestContext,
    @Arg('direction', () => TrailDirection, { defaultValue: TrailDirection.DOWNSTREAM, description: 'Follow the money down or up.' })
    direction: TrailDirection = TrailDirection.DOWNSTREAM,
    @Arg('maxDepth', () => Int, { defaultValue: 3, description: `How many funding steps to follow (1-${MAX_TRAIL_DEPTH}).` }) maxDepth = 3,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<FundingTrail> {
    checkCount('maxDepth', maxDepth, MAX_TRAIL_DEPTH);
    // The reached organizations' grants, events and networks, and each flow's sources: read only when selected.
    const detail = info
      ? { organizations: selectsAlong(info, ['organizations']), sources: selectsAlong(info, ['flows', 'sources']) }
      : undefined;
    const row = await repo.fundingTrail(ctx.db, id, direction, maxDepth, detail);
    if (!row) throw notFound('entity', id);
    const flows = row.flows.map((f) => ({ ...(f as never as object), value: moneyOf(f.amount, f.currency) })) as FundingTrail['flows'];
    return {
      start: row.start as never,
      direction,
      flows,
      totals: totalsByCurrency(flows.flatMap((f) => (f.value ? [f.value] : []))),
      organizations: row.recipients.map((r) => ({
        ...r,
        grants: (r.grants as Array<Record<string, any>>).map((g) => ({ ...g, value: moneyOf(g.amount, g.currency) })),
      })) as FundingTrail['organizations'],
    };
  }

  @Query(() => NetworkOverlap, { description: 'Actors that belong to both networks (directly or through a cohort of either).' })
  async networkOverlap(
    @Arg('a', () => ID, { description: 'One network.' }) a: string,
    @Arg('b', () => ID, { description: 'The other network.' }) b: string,
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const { missing, count, members } = await repo.networkOverlap(ctx.db, a, b, selectsField(info, 'NetworkOverlap', 'members'));
    if (missing) throw notFound('Network', missing);
    return { count, members };
  }

  @Query(() => [NetworkPairOverlap], { description: 'Pairs of networks that share the most members, most first.' })
  topNetworkOverlaps(
    @Ctx() ctx: RequestContext,
    @Arg('limit', () => Int, { defaultValue: 10, description: 'Most pairs to return (1-100).' }) limit = 10,
    @Arg('within', () => ID, { nullable: true, description: 'Only networks that are part of this programme (e.g. the cohorts of LOCI).' })
    within?: string,
  ) {
    checkCount('limit', limit, 100);
    return repo.topOverlaps(ctx.db, limit, within ?? null);
  }
}
