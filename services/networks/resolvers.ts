import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Directive, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireRole } from '../shared/auth';
import type { Neighbour } from '../shared/cypher';
import { CitationInput } from '../shared/graphql/common';
import { connectionFrom, needsTotal, PageArgs, toPage } from '../shared/graphql/pagination';
import { PartialDate } from '../shared/graphql/scalars';
import { readsOnlyEnds } from '../shared/prefetch';
import { loadOrNotFound, type RequestContext } from '../shared/subgraph';
import * as repo from './repository';
import {
  Event,
  EventConnection,
  Membership,
  MembershipConnection,
  MembershipInput,
  Network,
  NetworkConnection,
  NetworkKind,
  OrganizationReference,
  Participation,
  PersonReference,
  PlaceReference,
} from './types';

type Ref = { id: string };
/** A Membership from a MEMBER_OF row: its fields named one by one, one object shape for every row (no spread). */
const membershipOf = (member: unknown, network: unknown, { rel }: Neighbour) => ({
  id: rel.id,
  member,
  network,
  role: rel.role,
  since: rel.since,
  until: rel.until,
  status: rel.status,
  sources: rel.sources,
});

@Resolver(() => Network)
export class NetworkResolver {
  @Query(() => Network, { description: 'One network by id; NOT_FOUND when there is none.' })
  network(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return loadOrNotFound(ctx, 'Network', id, { info, prefetchable: repo.PREFETCHABLE });
  }

  @Query(() => NetworkConnection, { description: 'Networks, optionally of some kinds, by name.' })
  async networks(
    @Args() pageArgs: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg('kinds', () => [NetworkKind], { nullable: true, description: 'Only these kinds.' }) kinds?: NetworkKind[],
    @Info() info?: GraphQLResolveInfo,
  ) {
    const page = { ...toPage(pageArgs, ctx.maxPageSize), withTotal: needsTotal(info) };
    const { items, total } = await repo.listNetworks(ctx.db, kinds, page);
    return connectionFrom(items, page, total);
  }

  @FieldResolver(() => MembershipConnection, { description: 'Members of the network with their roles, a page at a time.' })
  async members(
    @Root() network: Network,
    @Args() pageArgs: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg('role', { nullable: true, description: 'Only members with this role.' }) role?: string,
    @Info() info?: GraphQLResolveInfo,
  ) {
    // Only the members selected (no role, dates or sources): their memberships are read lean, as the prefetch does.
    const page = { ...repo.membersWindow({ ...pageArgs, role }, ctx.maxPageSize), lean: !!info && readsOnlyEnds(info, repo.MEMBER_ENDS) };
    const { items, total } = await ctx.loaders.loadNeighbourPage(repo.Rel.members, page, network.id);
    return connectionFrom(
      items.map((r) => membershipOf(r.node, network, r)),
      page,
      total,
    );
  }

  @FieldResolver(() => Network, { nullable: true, description: 'The programme this network (e.g. a cohort) is part of.' })
  async parent(@Root() network: Network, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.parentNetwork).load(network.id))[0]?.node ?? null;
  }

  @FieldResolver(() => [Network], { description: 'Cohorts or sub-networks that are part of this one.' })
  async cohorts(@Root() network: Network, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.cohorts).load(network.id)).map((r) => r.node);
  }

  @FieldResolver(() => [OrganizationReference], { description: 'Organizations that act as hub for this network or cohort.' })
  async hubs(@Root() network: Network, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.hubs).load(network.id)).map((r) => r.node);
  }

  @FieldResolver(() => [PlaceReference], {
    description: 'Places the network works in, as its sources state them (check dataQualityFlags).',
  })
  async places(@Root() network: Network, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.networkPlaces).load(network.id)).map((r) => r.node);
  }

  @FieldResolver(() => [Event], { description: 'Events the network organized or took part in.' })
  async events(@Root() network: Network, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.networkEvents).load(network.id)).map((r) => r.node);
  }

  @FieldResolver(() => [OrganizationReference], { description: 'Organizations that organized (convened) this network or programme.' })
  async organizers(@Root() network: Network, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.networkOrganizers).load(network.id)).map((r) => r.node);
  }

  @Mutation(() => Membership, {
    description: 'Records or corrects a membership (curator API key); the same member, network and role is updated, not duplicated.',
  })
  async upsertMembership(
    @Arg('input', () => MembershipInput) input: MembershipInput,
    @Arg('citation', () => CitationInput, { description: 'The source of the membership.' }) citation: CitationInput,
    @Ctx() ctx: RequestContext,
  ) {
    requireRole(ctx.caller, 'curator');
    const { rel, memberLabel, memberName } = await repo.upsertMembership(ctx.db, input, citation);
    const network = await ctx.loaders.entity('Network').load(input.networkId);
    return { ...rel, member: { id: input.memberId, name: memberName, __label: memberLabel }, network };
  }
}

@Resolver(() => Event)
export class EventResolver {
  @Query(() => Event, { description: 'One event by id; NOT_FOUND when there is none.' })
  event(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return loadOrNotFound(ctx, 'Event', id, { info, prefetchable: repo.PREFETCHABLE });
  }

  @Query(() => EventConnection, { description: 'Events in date order, optionally within dates or a place.' })
  async events(
    @Args() pageArgs: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg('from', () => PartialDate, { nullable: true, description: 'Only events on or after this date.' }) from?: string,
    @Arg('to', () => PartialDate, { nullable: true, description: 'Only events on or before this date.' }) to?: string,
    @Arg('place', () => ID, { nullable: true, description: 'Only events held in this place or a place inside it.' }) place?: string,
    @Info() info?: GraphQLResolveInfo,
  ) {
    const page = { ...toPage(pageArgs, ctx.maxPageSize), withTotal: needsTotal(info) };
    const { items, total } = await repo.listEvents(ctx.db, { from, to, place }, page);
    return connectionFrom(items, page, total);
  }

  @FieldResolver(() => PlaceReference, { nullable: true, description: 'Where the event was held.' })
  async place(@Root() event: Event, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.eventPlace).load(event.id))[0]?.node ?? null;
  }

  @FieldResolver(() => [Participation], { description: 'Who took part.' })
  async participants(@Root() event: Event, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.eventParticipants).load(event.id)).map((r) => ({
      participant: r.node,
      event,
      role: r.rel.role,
      sources: r.rel.sources,
    }));
  }

  @FieldResolver(() => [Participation], { description: 'Who organized or convened it.' })
  async organizers(@Root() event: Event, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.eventOrganizers).load(event.id)).map((r) => ({
      participant: r.node,
      event,
      role: r.rel.role ?? 'organizer',
      sources: r.rel.sources,
    }));
  }
}

@Resolver(() => OrganizationReference)
export class OrganizationNetworksResolver {
  /**
   * The actors subgraph's entry point, served here too (@shareable, the same loader and NOT_FOUND): a question that
   * starts at an organization and stays in its networks (memberships, members and their names) is then one fetch
   * to this subgraph instead of two, the gateway's planner choosing the subgraph that covers the selection.
   */
  @Directive('@shareable')
  @Query(() => OrganizationReference, { description: 'One organization by id; NOT_FOUND when there is none.' })
  organization(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return loadOrNotFound(ctx, 'Organization', id, { info, prefetchable: repo.PREFETCHABLE });
  }

  /** Shared with the actors subgraph, like `organization`: where an organization is, beside its networks, in one fetch. */
  @Directive('@shareable')
  @FieldResolver(() => PlaceReference, { nullable: true, description: 'Where the organization is based.' })
  async basedIn(@Root() org: Ref, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.orgBasedIn).load(org.id))[0]?.node ?? null;
  }

  @FieldResolver(() => [Membership], { description: "The organization's memberships in networks, programmes and cohorts." })
  async memberships(@Root() org: Ref, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.orgMemberships).load(org.id)).map((r) =>
      membershipOf({ ...org, __label: 'Organization' }, r.node, r),
    );
  }

  @FieldResolver(() => [Network], { description: 'Networks the organization belongs to (distinct).' })
  async networks(@Root() org: Ref, @Ctx() ctx: RequestContext) {
    return distinctNodes(await ctx.loaders.loadNeighbours(repo.Rel.orgMemberships, org.id, true));
  }

  @FieldResolver(() => [Network], { description: 'Networks or cohorts the organization acts as hub for.' })
  async hubFor(@Root() org: Ref, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.orgHubFor).load(org.id)).map((r) => r.node);
  }

  @FieldResolver(() => [Participation], { description: 'Events the organization took part in or organized.' })
  async events(@Root() org: Ref, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.orgEvents).load(org.id)).map((r) => ({
      participant: { ...org, __label: 'Organization' },
      event: r.node,
      role: r.rel.role ?? (r.rel.__type === 'ORGANIZED' ? 'organizer' : null),
      sources: r.rel.sources,
    }));
  }
}

@Resolver(() => PersonReference)
export class PersonNetworksResolver {
  @FieldResolver(() => [Membership], { description: "The person's memberships in networks and cohorts." })
  async memberships(@Root() person: Ref, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.personMemberships).load(person.id)).map((r) =>
      membershipOf({ ...person, __label: 'Person' }, r.node, r),
    );
  }

  @FieldResolver(() => [Network], { description: 'Networks the person belongs to (distinct).' })
  async networks(@Root() person: Ref, @Ctx() ctx: RequestContext) {
    return distinctNodes(await ctx.loaders.loadNeighbours(repo.Rel.personMemberships, person.id, true));
  }

  @FieldResolver(() => [Participation], { description: 'Events the person took part in.' })
  async events(@Root() person: Ref, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.personEvents).load(person.id)).map((r) => ({
      participant: { ...person, __label: 'Person' },
      event: r.node,
      role: r.rel.role,
      sources: r.rel.sources,
    }));
  }
}

@Resolver(() => PlaceReference)
export class PlaceNetworksResolver {
  @FieldResolver(() => [Event], { description: 'Events held in this place.' })
  async events(@Root() place: Ref, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.placeEvents).load(place.id)).map((r) => r.node);
  }

  @FieldResolver(() => [Network], { description: 'Networks and cohorts working in this place, as their sources state.' })
  async networks(@Root() place: Ref, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.placeNetworks).load(place.id)).map((r) => r.node);
  }
}

function distinctNodes(rows: Neighbour[]) {
  const seen = new Map(rows.map((r) => [r.node.id, r.node]));
  return [...seen.values()];
}

export const resolvers = [
  NetworkResolver,
  EventResolver,
  OrganizationNetworksResolver,
  PersonNetworksResolver,
  PlaceNetworksResolver,
] as const;
