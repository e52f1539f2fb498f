import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireRole } from '../shared/auth';
import { CitationInput } from '../shared/graphql/common';
import { connectionFrom, needsTotal, PageArgs, toPage } from '../shared/graphql/pagination';
import { loadOrNotFound, type RequestContext } from '../shared/subgraph';
import * as repo from './repository';
import {
  ActionPlan,
  ActionPlanConnection,
  Assessment,
  Commitment,
  CommitmentConnection,
  CommitmentInput,
  CommitmentRole,
  InitiativeReference,
  NetworkReference,
  OrganizationReference,
  PlaceReference,
  PlanContribution,
} from './types';

type Ref = { id: string };

const planCycle = (ctx: RequestContext) => ctx.loaders.custom('plan-cycle', () => repo.planCycleLoader(ctx.db, ctx.loaders.provenance));

@Resolver(() => ActionPlan)
export class ActionPlanResolver {
  @Query(() => ActionPlan, { description: 'One action plan by id; NOT_FOUND when there is none.' })
  actionPlan(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return loadOrNotFound(ctx, 'ActionPlan', id, { info, prefetchable: repo.PREFETCHABLE });
  }

  @Query(() => ActionPlanConnection, { description: 'Action plans, newest first, optionally by level, OGP or not, and place.' })
  async actionPlans(
    @Args() pageArgs: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg('level', { nullable: true, description: 'Only plans at this level (municipal, state, national).' }) level?: string,
    @Arg('ogp', { nullable: true, description: 'Only OGP plans (true) or only plans outside OGP (false).' }) ogp?: boolean,
    @Arg('place', () => ID, { nullable: true, description: 'Only plans of this place or a place inside it.' }) place?: string,
    @Info() info?: GraphQLResolveInfo,
  ) {
    const page = { ...toPage(pageArgs, ctx.maxPageSize), withTotal: needsTotal(info) };
    const { items, total } = await repo.listActionPlans(ctx.db, { level, ogp, place }, page);
    return connectionFrom(items, page, total);
  }

  @FieldResolver(() => PlaceReference, { nullable: true, description: 'The jurisdiction the plan covers.' })
  async place(@Root() plan: ActionPlan, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.planPlace).load(plan.id))[0]?.node ?? null;
  }

  @FieldResolver(() => [OrganizationReference], { description: 'The government(s) that adopted the plan.' })
  async adoptedBy(@Root() plan: ActionPlan, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.planAdoptedBy).load(plan.id)).map((r) => r.node);
  }

  @FieldResolver(() => [PlanContribution], { description: 'Organizations that took part in making the plan.' })
  async contributors(@Root() plan: ActionPlan, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.planContributors).load(plan.id)).map((r) => ({
      organization: r.node,
      role: r.rel.role,
      sources: r.rel.sources,
    }));
  }

  @FieldResolver(() => NetworkReference, {
    nullable: true,
    description: "The programme the plan is made under (e.g. INAI's co-creation initiative).",
  })
  async programme(@Root() plan: ActionPlan, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.planProgramme).load(plan.id))[0]?.node ?? null;
  }

  @FieldResolver(() => ActionPlan, {
    nullable: true,
    description: 'The plan its government adopted before this one (by submission year, then number).',
  })
  async previous(@Root() plan: ActionPlan, @Ctx() ctx: RequestContext) {
    return (await planCycle(ctx).load(plan.id)).previous;
  }

  @FieldResolver(() => ActionPlan, { nullable: true, description: 'The plan its government adopted after this one.' })
  async next(@Root() plan: ActionPlan, @Ctx() ctx: RequestContext) {
    return (await planCycle(ctx).load(plan.id)).next;
  }

  @FieldResolver(() => CommitmentConnection, { description: 'The commitments of the plan.' })
  async commitments(@Root() plan: ActionPlan, @Args() pageArgs: PageArgs, @Ctx() ctx: RequestContext) {
    const page = toPage(pageArgs, ctx.maxPageSize);
    const { items, total } = await ctx.loaders.neighbourPage(repo.Rel.planCommitments, page).load(plan.id);
    return connectionFrom(
      items.map((r) => r.node),
      page,
      total,
    );
  }
}

@Resolver(() => Commitment)
export class CommitmentResolver {
  @Query(() => Commitment, { description: 'One commitment by id; NOT_FOUND when there is none.' })
  commitment(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return loadOrNotFound(ctx, 'Commitment', id, { info, prefetchable: repo.PREFETCHABLE });
  }

  @Query(() => CommitmentConnection, { description: 'Commitments, optionally of one action plan or one organization.' })
  async commitments(
    @Args() pageArgs: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg('actionPlan', () => ID, { nullable: true, description: 'Only commitments of this action plan.' }) actionPlan?: string,
    @Arg('organization', () => ID, { nullable: true, description: 'Only commitments this organization is responsible for.' })
    organization?: string,
    @Arg('tags', () => [String], {
      nullable: true,
      description: 'Only commitments tagged with every one of these OGP policy areas (e.g. "Open Contracting").',
    })
    tags?: string[],
    @Arg('theme', { nullable: true, description: 'Only commitments whose OGP theme contains this text (case ignored).' }) theme?: string,
    @Info() info?: GraphQLResolveInfo,
  ) {
    const page = { ...toPage(pageArgs, ctx.maxPageSize), withTotal: needsTotal(info) };
    const { items, total } = await repo.listCommitments(ctx.db, { actionPlan, organization, tags, theme }, page);
    return connectionFrom(items, page, total);
  }

  @FieldResolver(() => ActionPlan, { nullable: true, description: 'The action plan the commitment belongs to.' })
  async actionPlan(@Root() commitment: Commitment, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.commitmentPlan).load(commitment.id))[0]?.node ?? null;
  }

  @FieldResolver(() => [CommitmentRole], { description: 'Organizations responsible for the commitment, with their role (lead first).' })
  async madeBy(@Root() commitment: Commitment, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.commitmentMakers).load(commitment.id))
      .map((r) => ({
        organization: r.node,
        commitment,
        role: r.rel.role,
        rawText: r.rel.rawText,
        confidence: r.rel.confidence,
        sources: r.rel.sources,
      }))
      .sort((a, b) => Number(a.role !== 'lead') - Number(b.role !== 'lead'));
  }

  @FieldResolver(() => [String], { description: 'OGP policy areas the commitment is tagged with.' })
  tags(@Root() commitment: Commitment) {
    return commitment.tags ?? [];
  }

  @FieldResolver(() => [String], { description: 'Institutions the source names only as a kind of body, kept as text.' })
  institutionsAsText(@Root() commitment: Commitment) {
    return commitment.institutionsAsText ?? [];
  }

  @FieldResolver(() => Assessment, { nullable: true, description: 'The IRM assessment, for OGP commitments.' })
  assessment(@Root() commitment: Commitment & Partial<Assessment> & { ogpId?: string }) {
    if (!commitment.ogpId) return null;
    const { specificity, potentialImpact, completionMidterm, completionEndOfTerm, didItOpenGovernment, starred } = commitment;
    return { specificity, potentialImpact, completionMidterm, completionEndOfTerm, didItOpenGovernment, starred };
  }

  @FieldResolver(() => [InitiativeReference], { description: 'Initiatives (platforms, portals) that deliver the commitment.' })
  async realizedBy(@Root() commitment: Commitment, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.commitmentRealizedBy).load(commitment.id)).map((r) => r.node);
  }

  @Mutation(() => Commitment, { description: 'Records a commitment in an action plan, made by an organization (curator API key).' })
  async createCommitment(
    @Arg('input', () => CommitmentInput) input: CommitmentInput,
    @Arg('citation', () => CitationInput, { description: 'The source of the commitment.' }) citation: CitationInput,
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { nullable: true, description: 'Stable id to use instead of the title slug.' }) id?: string,
  ) {
    requireRole(ctx.caller, 'curator');
    return repo.createCommitment(ctx.db, input, citation, id);
  }

  @Mutation(() => Commitment, { description: "Corrects a commitment's title or description (curator API key)." })
  async updateCommitment(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => CommitmentInput) input: CommitmentInput,
    @Arg('citation', () => CitationInput, { description: 'The source of the correction.' }) citation: CitationInput,
    @Ctx() ctx: RequestContext,
  ) {
    requireRole(ctx.caller, 'curator');
    return repo.updateCommitment(ctx.db, id, input, citation);
  }
}

@Resolver(() => OrganizationReference)
export class OrganizationCommitmentsResolver {
  @FieldResolver(() => [CommitmentRole], { description: 'Commitments the organization is responsible for, with its role.' })
  async commitments(@Root() org: Ref, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.orgCommitments).load(org.id)).map((r) => ({
      organization: org,
      commitment: r.node,
      role: r.rel.role,
      sources: r.rel.sources,
    }));
  }

  @FieldResolver(() => [ActionPlan], { description: 'Action plans the organization adopted or helped make.' })
  async actionPlans(@Root() org: Ref, @Ctx() ctx: RequestContext) {
    const rows = await ctx.loaders.neighbours(repo.Rel.orgActionPlans).load(org.id);
    return [...new Map(rows.map((r) => [r.node.id, r.node])).values()];
  }
}

@Resolver(() => PlaceReference)
export class PlaceCommitmentsResolver {
  @FieldResolver(() => [ActionPlan], { description: 'Action plans covering this place.' })
  async actionPlans(@Root() place: Ref, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.placeActionPlans).load(place.id)).map((r) => r.node);
  }
}

export const resolvers = [ActionPlanResolver, CommitmentResolver, OrganizationCommitmentsResolver, PlaceCommitmentsResolver] as const;
