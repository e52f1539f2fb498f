import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireRole } from '../shared/auth';
import type { Neighbour } from '../shared/cypher';
import { CitationInput, Money, SortDirection } from '../shared/graphql/common';
import { connectionFrom, connectionFromList, needsTotal, PageArgs, toPage } from '../shared/graphql/pagination';
import { badInput, checkCount } from '../shared/errors';
import { moneyOf } from '../shared/money';
import { Currency, PartialDate } from '../shared/graphql/scalars';
import { loadOrNotFound, type RequestContext } from '../shared/subgraph';
import * as repo from './repository';
import { fundingSide, QUOTED_LINES } from './summary';
import {
  ActivityFlow,
  Award,
  Contract,
  ContractingProcess,
  ContractingProcessConnection,
  ProcessParty,
  EventReference,
  FundingFlow,
  FundingSummary,
  Grant,
  GrantConnection,
  GrantFilter,
  GrantInput,
  GrantParticipant,
  GrantSort,
  ImportSummary,
  Narrative,
  OrganizationReference,
  RecipientCountry,
  Result,
  Sector,
  Supported,
  Transaction,
  TransactionConnection,
} from './types';

type Ref = { id: string };

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Most counterparts a funding summary lists per side. */
const MAX_COUNTERPARTS = 100;
type GrantRow = Grant & { amount?: number; currency?: string };

const flowOf = (r: Neighbour) => ({
  organization: r.node,
  value: moneyOf(r.rel.amount, r.rel.currency),
  date: r.rel.date,
  grantId: r.rel.grantId,
  purpose: (r.rel.purpose ?? r.rel.period ?? r.rel.note) as string | undefined,
  sources: r.rel.sources,
});

@Resolver(() => Grant)
export class GrantResolver {
  @Query(() => Grant, { description: 'One grant by id; NOT_FOUND when there is none.' })
  grant(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return loadOrNotFound(ctx, 'Grant', id, { info, prefetchable: repo.PREFETCHABLE });
  }

  @Query(() => GrantConnection, {
    description: 'Grants, filtered by funder, recipient, currency, amount and date, sorted, a page at a time.',
  })
  async grants(
    @Args() pageArgs: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => GrantFilter, { nullable: true, description: 'Filters; all must hold.' }) filter?: GrantFilter,
    @Arg('sort', () => GrantSort, { nullable: true, description: 'Sort field (default signedDate).' }) sort?: GrantSort,
    @Arg('direction', () => SortDirection, { nullable: true, description: 'Sort direction (default DESC: newest first).' })
    direction?: SortDirection,
    @Info() info?: GraphQLResolveInfo,
  ) {
    const page = { ...toPage(pageArgs, ctx.maxPageSize), withTotal: needsTotal(info) };
    const { items, total } = await repo.listGrants(
      ctx.db,
      filter ?? {},
      sort ?? GrantSort.SIGNED_DATE,
      direction ?? SortDirection.DESC,
      page,
    );
    return connectionFrom(items, page, total);
  }

  @FieldResolver(() => Money, {
    nullable: true,
    description:
      'The amount granted, with its currency (for IATI activities: the sum of their commitments, or else disbursements, when in one currency).',
  })
  value(@Root() grant: GrantRow) {
    return moneyOf(grant.amount, grant.currency);
  }

  @FieldResolver(() => Boolean, { description: "True while the grant is only known from another activity's reference." })
  stub(@Root() grant: GrantRow) {
    return (grant as { stub?: boolean }).stub ?? false;
  }

  @FieldResolver(() => [String], { description: 'IATI budgets as "start..end amount currency".' })
  budgets(@Root() grant: GrantRow) {
    return (grant as { budgets?: string[] }).budgets ?? [];
  }

  @FieldResolver(() => [Narrative], { description: 'Titles in every language given.' })
  titles(@Root() grant: GrantRow & { titleLangs?: string[]; titleTexts?: string[] }) {
    return (grant.titleLangs ?? []).map((lang, i) => ({ lang, text: grant.titleTexts![i]! }));
  }

  @FieldResolver(() => [Narrative], { description: 'Descriptions in every language given.' })
  descriptions(@Root() grant: GrantRow & { descriptionLangs?: string[]; descriptionTexts?: string[] }) {
    return (grant.descriptionLangs ?? []).map((lang, i) => ({ lang, text: grant.descriptionTexts![i]! }));
  }

  @FieldResolver(() => [RecipientCountry], { description: 'Recipient countries with their percentages.' })
  recipientCountries(@Root() grant: GrantRow & { recipientCountries?: string[]; recipientCountryPercentages?: number[] }) {
    return (grant.recipientCountries ?? []).map((code, i) => ({ code, percentage: grant.recipientCountryPercentages?.[i] ?? 100 }));
  }

  @FieldResolver(() => [Sector], { description: 'Sectors with their vocabularies.' })
  sectors(@Root() grant: GrantRow & { sectors?: string[]; sectorVocabularies?: string[] }) {
    return (grant.sectors ?? []).map((code, i) => ({ code, vocabulary: grant.sectorVocabularies?.[i] ?? '1' }));
  }

  @FieldResolver(() => TransactionConnection, { description: "The grant's IATI transactions, by date." })
  async transactions(@Root() grant: Grant, @Args() pageArgs: PageArgs, @Ctx() ctx: RequestContext) {
    const rows = await ctx.loaders.neighbours(repo.Rel.transactions).load(grant.id);
    const sorted = rows.map((r) => r.node).sort((a, b) => String(a.date).localeCompare(String(b.date)) || a.id.localeCompare(b.id));
    return connectionFromList(
      sorted.map((t) => ({ ...t, value: moneyOf(t.amount, t.currency) })),
      pageArgs,
      ctx.maxPageSize,
    );
  }

  @FieldResolver(() => [ActivityFlow], {
    description: 'Activities this one funds (its outgoing transactions name their receiver-activity-id).',
  })
  async fundsActivities(@Root() grant: Grant, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.fundsActivities).load(grant.id)).map((r) => ({
      activity: r.node,
      value: moneyOf(r.rel.amount, r.rel.currency),
      date: r.rel.date,
      sources: r.rel.sources,
    }));
  }

  @FieldResolver(() => [ActivityFlow], {
    description: 'Activities that fund this one (provider-activity-id), possibly from other publishers.',
  })
  async fundedByActivities(@Root() grant: Grant, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.fundedByActivities).load(grant.id)).map((r) => ({
      activity: r.node,
      value: moneyOf(r.rel.amount, r.rel.currency),
      date: r.rel.date,
      sources: r.rel.sources,
    }));
  }

  @FieldResolver(() => [GrantParticipant], {
    description: 'Organizations taking part and their roles (funding, recipient, implementing...).',
  })
  async participants(@Root() grant: Grant, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.participants).load(grant.id)).map((r) => ({
      organization: r.node,
      role: r.rel.role,
      sources: r.rel.sources,
    }));
  }

  @FieldResolver(() => [OrganizationReference], { description: 'Organizations funding the grant.' })
  async funders(@Root() grant: Grant, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.participants).load(grant.id)).filter((r) => r.rel.role === 'funding').map((r) => r.node);
  }

  @FieldResolver(() => [OrganizationReference], { description: 'Organizations receiving or implementing the grant.' })
  async recipients(@Root() grant: Grant, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.participants).load(grant.id))
      .filter((r) => r.rel.role === 'recipient' || r.rel.role === 'implementing')
      .map((r) => r.node);
  }

  @FieldResolver(() => [Result], { description: 'Intended and achieved results: what the money produced.' })
  async results(@Root() grant: Grant, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.results).load(grant.id)).map((r) => ({ status: 'unknown', ...r.node }));
  }

  @FieldResolver(() => [Supported], { description: 'What the grant paid for: events, networks, initiatives.' })
  async supported(@Root() grant: Grant, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.supported).load(grant.id)).map((r) => r.node);
  }

  @Mutation(() => ImportSummary, {
    description: 'Imports an IATI activity file sent as text (curator API key); the same importer as `npm run import -- iati`.',
  })
  async importIati(@Arg('xml', { description: 'The IATI activity XML.' }) xml: string, @Ctx() ctx: RequestContext) {
    requireRole(ctx.caller, 'curator');
    if (xml.length > 10_000_000) throw badInput('xml', 'is larger than 10 MB; use npm run import for big files');
    const name = 'curator-upload.xml';
    // The text is characters already: a UTF-8 byte-order mark makes the importer read it as such, whatever encoding its
    // XML declaration names. It is imported from memory, never written to disk.
    // A wiring fault of ours, not the caller's: every server entry point passes the importer in.
    if (!ctx.importIati) throw new Error('this server was started without the IATI importer (RequestEnvironment.importIati)');
    const report = await ctx.importIati(ctx.db, [{ name, bytes: Buffer.concat([UTF8_BOM, Buffer.from(xml, 'utf8')]) }]);
    const f = report.files[0]!;
    if (f.status === 'failed') throw badInput('xml', f.error!.replace(`${name}: `, ''));
    return {
      ...report.totals,
      rejections: report.rejections.map((r) => `line ${r.line} ${r.identifier || '(no identifier)'}: ${r.reason}`),
    };
  }

  @Mutation(() => Grant, { description: 'Records a grant with its funder and recipient (curator API key).' })
  async createGrant(
    @Arg('input', () => GrantInput) input: GrantInput,
    @Arg('citation', () => CitationInput, { description: 'The source of the grant.' }) citation: CitationInput,
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { nullable: true, description: 'Stable id to use instead of the title slug.' }) id?: string,
  ) {
    requireRole(ctx.caller, 'curator');
    return repo.createGrant(ctx.db, input, citation, id);
  }

  @Mutation(() => Grant, { description: 'Corrects the given fields of a grant (curator API key).' })
  async updateGrant(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => GrantInput) input: GrantInput,
    @Arg('citation', () => CitationInput, { description: 'The source of the correction.' }) citation: CitationInput,
    @Ctx() ctx: RequestContext,
  ) {
    requireRole(ctx.caller, 'curator');
    return repo.updateGrant(ctx.db, id, input, citation);
  }
}

@Resolver(() => OrganizationReference)
export class OrganizationFundingResolver {
  @FieldResolver(() => [Grant], { description: 'Grants the organization funds.' })
  async grantsGiven(@Root() org: Ref, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.orgGrants).load(org.id)).filter((r) => r.rel.role === 'funding').map((r) => r.node);
  }

  @FieldResolver(() => [Grant], { description: 'Grants the organization receives or implements.' })
  async grantsReceived(@Root() org: Ref, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.orgGrants).load(org.id))
      .filter((r) => r.rel.role === 'recipient' || r.rel.role === 'implementing')
      .map((r) => r.node);
  }

  @FieldResolver(() => FundingSummary, {
    description:
      'What a funder asks first: the money this organization received and gave between two dates, net per transaction type, currency and year, and by counterpart, each figure with its transactions and their sources. Sums are exact.',
  })
  async fundingSummary(
    @Root() org: Ref,
    @Ctx() ctx: RequestContext,
    @Arg('from', () => PartialDate, { nullable: true, description: 'Only transactions on or after this date.' }) from?: string,
    @Arg('to', () => PartialDate, {
      nullable: true,
      description: 'Only transactions on or before this date (a year or month includes all of it).',
    })
    to?: string,
    @Arg('counterparts', () => Int, { defaultValue: 10, description: `How many counterparts to list per side (1-${MAX_COUNTERPARTS}).` })
    counterparts = 10,
    @Arg('rankByType', {
      nullable: true,
      description:
        'Rank counterparts by their net figure of this transaction type (e.g. "3", disbursements), with rankByCurrency; by default they are ranked by how many transactions they share.',
    })
    rankByType?: string,
    @Arg('rankByCurrency', () => Currency, {
      nullable: true,
      description: 'The currency of the figure counterparts are ranked by (with rankByType).',
    })
    rankByCurrency?: string,
  ): Promise<FundingSummary> {
    checkCount('counterparts', counterparts, MAX_COUNTERPARTS);
    if ((rankByType === undefined || rankByType === null) !== (rankByCurrency === undefined || rankByCurrency === null)) {
      throw badInput(rankByType ? 'rankByCurrency' : 'rankByType', 'rankByType and rankByCurrency go together');
    }
    if (from && to && from > `${to}~`) throw badInput('from', `is after to (${from} > ${to})`);
    const groups = await repo.fundingGroups(ctx.db, org.id, from, to, QUOTED_LINES);
    const rankBy = rankByType && rankByCurrency ? { type: rankByType, currency: rankByCurrency } : undefined;
    return {
      from,
      to,
      received: fundingSide(
        groups.filter((g) => g.side === 'received'),
        counterparts,
        rankBy,
      ),
      given: fundingSide(
        groups.filter((g) => g.side === 'given'),
        counterparts,
        rankBy,
      ),
    };
  }

  @FieldResolver(() => [Money], {
    description: 'Total of the grants the organization funds, one amount per currency (never summed across currencies).',
  })
  totalGiven(@Root() org: Ref, @Ctx() ctx: RequestContext) {
    return ctx.loaders.custom('totals:given', () => repo.totalsLoader(ctx.db, ['funding'])).load(org.id);
  }

  @FieldResolver(() => [Money], { description: 'Total of the grants the organization receives, one amount per currency.' })
  totalReceived(@Root() org: Ref, @Ctx() ctx: RequestContext) {
    return ctx.loaders.custom('totals:received', () => repo.totalsLoader(ctx.db, ['recipient', 'implementing'])).load(org.id);
  }

  @FieldResolver(() => [FundingFlow], { description: 'Who funded this organization directly, with amounts when known.' })
  async fundedBy(@Root() org: Ref, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.fundedBy).load(org.id)).map(flowOf);
  }

  @FieldResolver(() => [ContractingProcess], { description: 'OCDS contracting processes the organization is a party to.' })
  async contractingProcesses(@Root() org: Ref, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.orgProcesses).load(org.id)).map((r) => r.node);
  }

  @FieldResolver(() => [FundingFlow], { description: 'Whom this organization funded directly, with amounts when known.' })
  async funded(@Root() org: Ref, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.funded).load(org.id)).map(flowOf);
  }
}

@Resolver(() => EventReference)
export class EventFundingResolver {
  @FieldResolver(() => [Grant], { description: 'Grants that paid for this event.' })
  async supportedBy(@Root() event: Ref, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.eventSupport).load(event.id)).map((r) => r.node);
  }
}

@Resolver(() => Transaction)
export class TransactionResolver {
  @FieldResolver(() => OrganizationReference, { nullable: true, description: 'Where the money came from.' })
  async provider(@Root() t: Transaction, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.transactionProvider).load(t.id))[0]?.node ?? null;
  }

  @FieldResolver(() => OrganizationReference, { nullable: true, description: 'Where the money went.' })
  async receiver(@Root() t: Transaction, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.transactionReceiver).load(t.id))[0]?.node ?? null;
  }
}

type ProcessRow = ContractingProcess & {
  amount?: number;
  currency?: string;
  awardIds?: string[];
  awardTitles?: string[];
  awardStatuses?: string[];
  awardAmounts?: number[];
  awardCurrencies?: string[];
  awardDates?: string[];
  awardSuppliers?: string[];
  contractAwardIds?: string[];
  contractTitles?: string[];
  contractStatuses?: string[];
  contractAmounts?: number[];
  contractCurrencies?: string[];
  contractSignedDates?: string[];
  contractStartDates?: string[];
  contractEndDates?: string[];
};

@Resolver(() => ContractingProcess)
export class ContractingProcessResolver {
  @Query(() => ContractingProcess, { description: 'One OCDS contracting process by id (ocds-<ocid>); NOT_FOUND when there is none.' })
  contractingProcess(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return loadOrNotFound(ctx, 'ContractingProcess', id, { info, prefetchable: repo.PREFETCHABLE });
  }

  @Query(() => ContractingProcessConnection, {
    description: 'Contracting processes, newest first, optionally those one organization is a party to.',
  })
  async contractingProcesses(
    @Args() pageArgs: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg('organization', () => ID, { nullable: true, description: 'Only processes this organization is a party to.' })
    organization?: string,
    @Info() info?: GraphQLResolveInfo,
  ) {
    const page = { ...toPage(pageArgs, ctx.maxPageSize), withTotal: needsTotal(info) };
    const { items, total } = await repo.listProcesses(ctx.db, organization, page);
    return connectionFrom(items, page, total);
  }

  @FieldResolver(() => Money, { nullable: true, description: 'Tender value.' })
  value(@Root() p: ProcessRow) {
    return moneyOf(p.amount, p.currency);
  }

  @FieldResolver(() => [String], { description: 'Contract ids.' })
  contractIds(@Root() p: ProcessRow) {
    return p.contractIds ?? [];
  }

  @FieldResolver(() => [Award], { description: 'Awards with their values and suppliers.' })
  awards(@Root() p: ProcessRow) {
    return (p.awardIds ?? []).map((id, i) => ({
      id,
      title: p.awardTitles?.[i] || undefined,
      status: p.awardStatuses?.[i] || undefined,
      value: (p.awardAmounts?.[i] ?? -1) >= 0 ? moneyOf(p.awardAmounts![i], p.awardCurrencies?.[i]) : undefined,
      date: p.awardDates?.[i] || undefined,
      suppliers: (p.awardSuppliers ?? []).filter((s) => s.startsWith(`${i}:`)).map((s) => s.slice(String(i).length + 1)),
    }));
  }

  @FieldResolver(() => [Contract], { description: 'Contracts with their values, dates and status.' })
  contracts(@Root() p: ProcessRow): Contract[] {
    return (p.contractIds ?? []).map((id, i) => ({
      id,
      awardId: p.contractAwardIds?.[i] || undefined,
      title: p.contractTitles?.[i] || undefined,
      status: p.contractStatuses?.[i] || undefined,
      value: (p.contractAmounts?.[i] ?? -1) >= 0 ? moneyOf(p.contractAmounts![i], p.contractCurrencies?.[i]) : undefined,
      dateSigned: p.contractSignedDates?.[i] || undefined,
      startDate: p.contractStartDates?.[i] || undefined,
      endDate: p.contractEndDates?.[i] || undefined,
    }));
  }

  @FieldResolver(() => [ProcessParty], { description: 'Parties with their roles.' })
  async parties(@Root() p: ProcessRow, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.neighbours(repo.Rel.processParties).load(p.id)).map((r) => ({
      organization: r.node,
      roles: r.rel.roles,
      sources: r.rel.sources,
    }));
  }
}

@Resolver(() => Result)
export class ResultResolver {
  @FieldResolver(() => [String], { description: "IATI indicators: title, baseline, and each period's target and actual." })
  indicators(@Root() result: Result) {
    return result.indicators ?? [];
  }
}

export const resolvers = [
  GrantResolver,
  OrganizationFundingResolver,
  EventFundingResolver,
  TransactionResolver,
  ResultResolver,
  ContractingProcessResolver,
] as const;
