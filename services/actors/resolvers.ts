import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Directive, FieldResolver, Float, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { MergeableLabel } from '../../schema/model';
import { requireRole } from '../shared/auth';
import { CitationInput, SortDirection, type NodeRow } from '../shared/graphql/common';
import { connectionFrom, needsTotal, PageArgs, toPage } from '../shared/graphql/pagination';
import { badInput, checkCount } from '../shared/errors';
import { loadOrNotFound, type RequestContext } from '../shared/subgraph';
import * as repo from './repository';
import {
  Affiliation,
  AffiliationConnection,
  OrgIdentifier,
  EntityType,
  Initiative,
  InitiativeRole,
  Organization,
  OrganizationConnection,
  OrganizationFilter,
  OrganizationInput,
  OrganizationSort,
  Partnership,
  Person,
  PersonConnection,
  PersonInput,
  Place,
  PlaceConnection,
  PlaceKind,
  SearchHitConnection,
  Source,
  DUPLICATE_KIND_LABEL,
  DuplicateCandidate,
  DuplicateKind,
  DuplicateVerdict,
  Judgement,
} from './types';

type Row = NodeRow & Record<string, unknown>;
const asRow = (value: unknown) => value as Row;

@Resolver(() => Organization)
export class OrganizationResolver {
  @Directive('@shareable') // the networks subgraph serves it too (see there)
  @Query(() => Organization, { description: 'One organization by id; NOT_FOUND when there is none.' })
  organization(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return loadOrNotFound(ctx, 'Organization', id, { info, prefetchable: repo.PREFETCHABLE });
  }

  @Query(() => OrganizationConnection, { description: 'Organizations, filtered and sorted, a page at a time.' })
  async organizations(
    @Args() pageArgs: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => OrganizationFilter, { nullable: true, description: 'Filters; all must hold.' }) filter?: OrganizationFilter,
    @Arg('sort', () => OrganizationSort, { nullable: true, description: 'Sort field (default name).' }) sort?: OrganizationSort,
    @Arg('direction', () => SortDirection, { nullable: true, description: 'Sort direction (default ASC).' }) direction?: SortDirection,
    @Info() info?: GraphQLResolveInfo,
  ) {
    const page = toPage(pageArgs, ctx.maxPageSize);
    const { items, total } = await repo.listOrganizations(
      ctx.db,
      filter ?? {},
      sort ?? OrganizationSort.NAME,
      direction ?? SortDirection.ASC,
      { ...page, withTotal: needsTotal(info) },
    );
    return connectionFrom(items, page, total);
  }

  @FieldResolver(() => [OrgIdentifier], {
    description: 'Identifiers from the imported data: its IATI organisation identifier, its OCDS party identifier (scheme + id).',
  })
  identifiers(@Root() org: Organization & { iatiRef?: string; ocdsScheme?: string; ocdsIdentifier?: string }): OrgIdentifier[] {
    return [
      ...(org.iatiRef ? [{ scheme: 'IATI', id: org.iatiRef }] : []),
      ...(org.ocdsIdentifier ? [{ scheme: org.ocdsScheme ?? 'unknown', id: org.ocdsIdentifier }] : []),
    ];
  }

  @Directive('@shareable') // the networks subgraph gives it too
  @FieldResolver(() => Place, { nullable: true, description: 'Where the organization is based.' })
  async basedIn(@Root() org: Organization, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.basedIn).load(org.id))[0]?.node ?? null;
  }

  @FieldResolver(() => [Place], { description: 'Places the organization works in, besides its base.' })
  async worksIn(@Root() org: Organization, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.worksIn).load(org.id)).map((n) => n.node);
  }

  @FieldResolver(() => [Place], { description: 'Jurisdictions a government body governs.' })
  async governs(@Root() org: Organization, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.governs).load(org.id)).map((n) => n.node);
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The organization this one is a unit of.' })
  async parent(@Root() org: Organization, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.parentOrganization).load(org.id))[0]?.node ?? null;
  }

  @FieldResolver(() => [Organization], { description: 'Units (departments, programmes, hubs) of this organization.' })
  async units(@Root() org: Organization, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.units).load(org.id)).map((n) => n.node);
  }

  @FieldResolver(() => AffiliationConnection, { description: 'People who work for or represent the organization.' })
  async people(@Root() org: Organization, @Args() pageArgs: PageArgs, @Ctx() ctx: RequestContext) {
    const page = toPage(pageArgs, ctx.maxPageSize);
    const { items, total } = await ctx.loaders.neighbourPage(repo.Rel.people, page).load(org.id);
    return connectionFrom(
      items.map((r) => ({ person: r.node, organization: org, role: r.rel.role, title: r.rel.title, sources: r.rel.sources })),
      page,
      total,
    );
  }

  @FieldResolver(() => [Partnership], { description: 'Stated partnerships with other organizations.' })
  async partners(@Root() org: Organization, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.partners).load(org.id)).map((r) => ({
      partner: r.node,
      context: r.rel.context,
      sources: r.rel.sources,
    }));
  }

  @FieldResolver(() => [InitiativeRole], { description: 'Initiatives (platforms, portals, mechanisms) the organization runs or supports.' })
  async initiatives(@Root() org: Organization, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.initiatives).load(org.id)).map((r) => ({
      initiative: r.node,
      organization: org,
      role: r.rel.role,
      sources: r.rel.sources,
    }));
  }

  @Mutation(() => Organization, { description: 'Creates an organization (curator API key). The id defaults to a slug of the name.' })
  async createOrganization(
    @Arg('input', () => OrganizationInput) input: OrganizationInput,
    @Arg('citation', () => CitationInput, { description: 'The source of the new facts.' }) citation: CitationInput,
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { nullable: true, description: 'Stable id to use instead of the name slug.' }) id?: string,
  ) {
    requireRole(ctx.caller, 'curator');
    return repo.createOrganization(ctx.db, input, citation, id);
  }

  @Mutation(() => Organization, { description: 'Updates the given fields of an organization (curator API key).' })
  async updateOrganization(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => OrganizationInput) input: OrganizationInput,
    @Arg('citation', () => CitationInput, { description: 'The source of the changed facts.' }) citation: CitationInput,
    @Ctx() ctx: RequestContext,
  ) {
    requireRole(ctx.caller, 'curator');
    return repo.updateOrganization(ctx.db, id, input, citation);
  }
}

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => Person, { description: 'One person by id; NOT_FOUND when there is none.' })
  person(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return loadOrNotFound(ctx, 'Person', id, { info, prefetchable: repo.PREFETCHABLE });
  }

  @Query(() => PersonConnection, { description: 'People, by name, a page at a time.' })
  async people(@Args() pageArgs: PageArgs, @Ctx() ctx: RequestContext, @Info() info?: GraphQLResolveInfo) {
    const page = { ...toPage(pageArgs, ctx.maxPageSize), withTotal: needsTotal(info) };
    const { items, total } = await repo.listPeople(ctx.db, page);
    return connectionFrom(items, page, total);
  }

  @FieldResolver(() => [Affiliation], { description: 'Organizations the person works for or represents, with role and title.' })
  async affiliations(@Root() person: Person, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.affiliations).load(person.id)).map((r) => ({
      person,
      organization: r.node,
      role: r.rel.role,
      title: r.rel.title,
      sources: r.rel.sources,
    }));
  }

  @FieldResolver(() => Place, { nullable: true, description: 'Where the person is based, when known.' })
  async basedIn(@Root() person: Person, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.personBasedIn).load(person.id))[0]?.node ?? null;
  }

  @Mutation(() => Person, { description: 'Creates a person (curator API key).' })
  async createPerson(
    @Arg('input', () => PersonInput) input: PersonInput,
    @Arg('citation', () => CitationInput, { description: 'The source of the new facts.' }) citation: CitationInput,
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { nullable: true, description: 'Stable id to use instead of the name slug.' }) id?: string,
  ) {
    requireRole(ctx.caller, 'curator');
    return repo.createPerson(ctx.db, input, citation, id);
  }

  @Mutation(() => Person, { description: 'Updates the given fields of a person (curator API key).' })
  async updatePerson(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => PersonInput) input: PersonInput,
    @Arg('citation', () => CitationInput, { description: 'The source of the changed facts.' }) citation: CitationInput,
    @Ctx() ctx: RequestContext,
  ) {
    requireRole(ctx.caller, 'curator');
    return repo.updatePerson(ctx.db, id, input, citation);
  }
}

@Resolver(() => Place)
export class PlaceResolver {
  @Query(() => Place, { description: 'One place by id; NOT_FOUND when there is none.' })
  place(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return loadOrNotFound(ctx, 'Place', id, { info, prefetchable: repo.PREFETCHABLE });
  }

  @Query(() => PlaceConnection, { description: 'Places, optionally of one kind or inside another place.' })
  async places(
    @Args() pageArgs: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg('kind', () => PlaceKind, { nullable: true, description: 'Only places of this kind.' }) kind?: PlaceKind,
    @Arg('within', () => ID, { nullable: true, description: 'Only places inside this place (at any depth).' }) within?: string,
    @Info() info?: GraphQLResolveInfo,
  ) {
    const page = { ...toPage(pageArgs, ctx.maxPageSize), withTotal: needsTotal(info) };
    const { items, total } = await repo.listPlaces(ctx.db, kind, within, page);
    return connectionFrom(items, page, total);
  }

  @FieldResolver(() => Place, { nullable: true, description: 'The place this one lies in.' })
  async parent(@Root() place: Place, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.placeParent).load(place.id))[0]?.node ?? null;
  }

  @FieldResolver(() => [Place], { description: 'Places directly inside this one.' })
  async children(@Root() place: Place, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.placeChildren).load(place.id)).map((n) => n.node);
  }

  @FieldResolver(() => OrganizationConnection, {
    description: 'Organizations based in, working in or governing this place or any place inside it.',
  })
  async organizations(@Root() place: Place, @Args() pageArgs: PageArgs, @Ctx() ctx: RequestContext, @Info() info?: GraphQLResolveInfo) {
    const page = { ...toPage(pageArgs, ctx.maxPageSize), withTotal: needsTotal(info) };
    const { items, total } = await repo.organizationsInPlace(ctx.db, place.id, page);
    return connectionFrom(items, page, total);
  }
}

@Resolver(() => Initiative)
export class InitiativeResolver {
  @Query(() => Initiative, { description: 'One initiative by id; NOT_FOUND when there is none.' })
  initiative(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return loadOrNotFound(ctx, 'Initiative', id, { info, prefetchable: repo.PREFETCHABLE });
  }

  @FieldResolver(() => [InitiativeRole], { description: 'Organizations that run, built or support the initiative.' })
  async runBy(@Root() initiative: Initiative, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.initiativeRunners).load(initiative.id)).map((r) => ({
      initiative,
      organization: r.node,
      role: r.rel.role,
      sources: r.rel.sources,
    }));
  }
}

@Resolver(() => Source)
export class SourceResolver {
  @Query(() => Source, { description: 'One source document or file by id; NOT_FOUND when there is none.' })
  source(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return loadOrNotFound(ctx, 'Source', id, { info, prefetchable: repo.PREFETCHABLE });
  }
}

@Resolver()
export class SearchResolver {
  @Query(() => SearchHitConnection, {
    description: 'Finds entities by any of their names, forgiving accents, case and small typos; exact name or alias matches rank first.',
  })
  async search(
    @Arg('text', { description: 'What to look for, e.g. "Asociacion Civil" or "IMCO".' }) text: string,
    @Args() pageArgs: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg('types', () => [EntityType], { nullable: true, description: 'Only entities of these types (default all).' }) types?: EntityType[],
  ) {
    const page = toPage(pageArgs, ctx.maxPageSize);
    const { items, total } = await repo.search(ctx.db, text, types ?? [], page);
    return connectionFrom(
      items.map((hit) => ({ ...hit, entity: asRow(hit.entity) })),
      page,
      total,
    );
  }
}

/** A curator's reason: said, and short enough to store beside the judgement. */
function checkReason(reason: string): void {
  if (!reason.trim() || reason.length > 1000) throw badInput('reason', 'must say why, in at most 1,000 characters');
}

function checkScore(field: string, value: number): void {
  if (!(value >= 0 && value <= 1)) throw badInput(field, 'must be between 0 and 1');
}

/** Scored candidate pairs with both entities loaded (merged-away ids are never candidates: they are not live). */
async function duplicateCandidates(ctx: RequestContext, label: MergeableLabel, id: string | undefined, minScore: number, first: number) {
  const scored = await repo.findDuplicateCandidates(ctx.db, label, id, minScore, first);
  const entities = ctx.loaders.entity(label);
  return Promise.all(scored.map(async (p) => ({ ...p, a: await entities.load(p.a), b: await entities.load(p.b) })));
}

@Resolver()
export class DuplicateResolver {
  @Query(() => [DuplicateCandidate], {
    description:
      'Pairs of organizations (or people) that may be one, best first, each with its score and evidence; pairs judged NOT_SAME are left out (researcher API key: it reads the whole graph).',
  })
  async duplicateCandidates(
    @Ctx() ctx: RequestContext,
    @Arg('kind', () => DuplicateKind, { defaultValue: DuplicateKind.ORGANIZATION, description: 'Organizations or people.' })
    kind: DuplicateKind = DuplicateKind.ORGANIZATION,
    @Arg('minScore', () => Float, { defaultValue: 0.5, description: 'Only pairs scoring at least this (0-1).' }) minScore = 0.5,
    @Arg('first', () => Int, { defaultValue: 20, description: 'Most pairs to return (1-500).' }) first = 20,
  ) {
    requireRole(ctx.caller, 'researcher');
    checkScore('minScore', minScore);
    checkCount('first', first, 500);
    return duplicateCandidates(ctx, DUPLICATE_KIND_LABEL[kind], undefined, minScore, first);
  }

  @Query(() => [Judgement], {
    description: "Curators' judgements of duplicate pairs, newest first, undone ones included: all, or those about one entity.",
  })
  judgements(
    @Ctx() ctx: RequestContext,
    @Arg('entity', () => ID, { nullable: true, description: 'Only judgements of pairs this entity is in.' }) entity?: string,
    @Arg('first', () => Int, { defaultValue: 50, description: 'Most judgements to return (1-500).' }) first = 50,
  ) {
    checkCount('first', first, 500);
    return repo.listJudgements(ctx.db, entity, first);
  }

  @Mutation(() => Judgement, {
    description:
      "Judges a possible duplicate pair (curator API key). SAME merges the two into one entity (the kept one; the other's id keeps answering as it), NOT_SAME keeps the pair from being proposed again, UNSURE records the doubt. Every judgement can be undone.",
  })
  async judgeDuplicate(
    @Arg('a', () => ID, { description: 'One of the pair.' }) a: string,
    @Arg('b', () => ID, { description: 'The other.' }) b: string,
    @Arg('verdict', () => DuplicateVerdict) verdict: DuplicateVerdict,
    @Arg('reason', { description: 'Why (at most 1,000 characters).' }) reason: string,
    @Ctx() ctx: RequestContext,
    @Arg('keep', () => ID, {
      nullable: true,
      description: 'SAME: which of the pair to keep (default: the one with more relationships, ties to the smaller id).',
    })
    keep?: string,
  ) {
    requireRole(ctx.caller, 'curator');
    checkReason(reason);
    return repo.judgePair(ctx.db, { a, b, verdict, reason: reason.trim(), keep: keep ?? undefined, by: ctx.caller.label ?? 'curator' });
  }

  @Mutation(() => Judgement, {
    description:
      'Undoes a judgement (curator API key): an undone SAME restores the merged-away entity with every relationship and name the merge moved; an undone NOT_SAME lets the pair be proposed again.',
  })
  async undoJudgement(
    @Arg('id', () => ID, { description: 'The judgement.' }) id: string,
    @Arg('reason', { description: 'Why it is undone.' }) reason: string,
    @Ctx() ctx: RequestContext,
  ) {
    requireRole(ctx.caller, 'curator');
    checkReason(reason);
    return repo.undoJudgement(ctx.db, id, reason.trim(), ctx.caller.label ?? 'curator');
  }
}

/** possibleDuplicates and mergedFrom, the same on organizations and people. */
function duplicateFields(label: MergeableLabel, type: typeof Organization | typeof Person) {
  @Resolver(() => type)
  class DuplicateFieldsResolver {
    @FieldResolver(() => [DuplicateCandidate], {
      description: 'Entities that may be this one, best first, with score and evidence (pairs judged NOT_SAME left out).',
    })
    possibleDuplicates(
      @Root() entity: { id: string },
      @Ctx() ctx: RequestContext,
      @Arg('minScore', () => Float, { defaultValue: 0.3, description: 'Only pairs scoring at least this (0-1).' }) minScore = 0.3,
      @Arg('first', () => Int, { defaultValue: 10, description: 'Most pairs to return (1-100).' }) first = 10,
    ) {
      checkScore('minScore', minScore);
      checkCount('first', first, 100);
      return duplicateCandidates(ctx, label, entity.id, minScore, first);
    }

    @FieldResolver(() => [ID], { description: 'Ids curators merged into this entity (SAME judgements): each still answers as this one.' })
    mergedFrom(@Root() entity: { id: string }, @Ctx() ctx: RequestContext) {
      return ctx.loaders.custom('mergedFrom', () => repo.mergedFromLoader(ctx.db)).load(entity.id);
    }
  }
  return DuplicateFieldsResolver;
}

export const resolvers = [
  OrganizationResolver,
  PersonResolver,
  PlaceResolver,
  InitiativeResolver,
  SourceResolver,
  SearchResolver,
  DuplicateResolver,
  duplicateFields('Organization', Organization),
  duplicateFields('Person', Person),
] as const;
