import { createUnionType, Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Citation, Money } from '../shared/graphql/common';
import { EntityReference, NamedEntity, NamedEntityReference } from '../shared/graphql/entity';
import { ConnectionType } from '../shared/graphql/pagination';
import { Currency, NonNegativeFloat, PartialDate } from '../shared/graphql/scalars';

export const OrganizationReference = NamedEntityReference('Organization', 'An organization (owned by the actors subgraph).');
export const EventReference = EntityReference('Event', 'An event (owned by the networks subgraph).');
export const NetworkReference = EntityReference('Network', 'A network (owned by the networks subgraph).');
export const InitiativeReference = EntityReference('Initiative', 'An initiative (owned by the actors subgraph).');

export enum GrantRole {
  FUNDING = 'funding',
  ACCOUNTABLE = 'accountable',
  EXTENDING = 'extending',
  IMPLEMENTING = 'implementing',
  REPORTING = 'reporting',
  RECIPIENT = 'recipient',
}
registerEnumType(GrantRole, {
  name: 'GrantRole',
  description: "An organization's role in a grant (IATI participating-org roles plus recipient and reporting).",
});

export enum GrantSort {
  SIGNED_DATE = 'signedDate',
  AMOUNT = 'amount',
  NAME = 'name',
}
registerEnumType(GrantSort, { name: 'GrantSort', description: 'Fields grants can be sorted by (ties break on id).' });

@ObjectType({ description: 'An intended or achieved result of a grant (an impact metric or IATI result).' })
export class Result {
  @Field(() => ID, { description: 'Stable id.' })
  id!: string;

  @Field({ description: 'What the result is.' })
  title!: string;

  @Field({ description: 'fulfilled, partly_fulfilled, not_fulfilled or unknown.' })
  status!: string;

  @Field({ nullable: true, description: 'A note on the status (e.g. why it was only partly fulfilled).' })
  note?: string;

  @Field(() => [String], { description: "IATI indicators: title, baseline, and each period's target and actual." })
  indicators!: string[];

  @Field(() => [Citation], { description: 'Where the result is stated.' })
  sources!: Citation[];
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A grant or IATI activity: money from funders to recipients for a purpose.' })
export class Grant extends NamedEntity {
  @Field(() => Money, {
    nullable: true,
    description:
      'The amount granted, with its currency; for an IATI activity, its commitments (type 2) in one currency, net of negative ones, else its disbursements likewise.',
  })
  value?: Money;

  @Field(() => PartialDate, { nullable: true, description: 'When the grant agreement was signed.' })
  signedDate?: string;

  @Field({ nullable: true, description: 'What the grant is for.' })
  purpose?: string;

  @Field({ nullable: true, description: 'IATI activity identifier, when the grant is published in IATI.' })
  iatiIdentifier?: string;

  @Field({ nullable: true, description: 'IATI activity status: pipeline, implementation, finalisation, closed, cancelled, suspended.' })
  status?: string;

  @Field(() => PartialDate, { nullable: true, description: 'Planned start date (IATI activity-date 1).' }) plannedStart?: string;
  @Field(() => PartialDate, { nullable: true, description: 'Actual start date (IATI activity-date 2).' }) actualStart?: string;
  @Field(() => PartialDate, { nullable: true, description: 'Planned end date (IATI activity-date 3).' }) plannedEnd?: string;
  @Field(() => PartialDate, { nullable: true, description: 'Actual end date (IATI activity-date 4).' }) actualEnd?: string;

  @Field({ description: "True while the grant is only known from another activity's reference (its own file not imported yet)." })
  stub!: boolean;

  @Field(() => [String], { description: 'IATI budgets as "start..end amount currency".' })
  budgets!: string[];
}

@ObjectType({ description: 'An organization taking part in a grant, and its role.' })
export class GrantParticipant {
  @Field(() => OrganizationReference, { description: 'The organization.' })
  organization!: { id: string };

  @Field(() => GrantRole, { description: 'Its role in the grant.' })
  role!: GrantRole;

  @Field(() => [Citation], { description: 'Where the role is stated.' })
  sources!: Citation[];
}

export const Supported = createUnionType({
  name: 'Supported',
  description: 'What a grant paid for: an event, a network or an initiative.',
  types: () => [EventReference, NetworkReference, InitiativeReference] as const,
  resolveType: (value) => (value as unknown as { __label: string }).__label,
});

@ObjectType({ description: 'A direct flow of money between two organizations.' })
export class FundingFlow {
  @Field(() => OrganizationReference, { description: 'The organization at the other end (funder or recipient).' })
  organization!: { id: string };

  @Field(() => Money, { nullable: true, description: 'The amount, when the source gives one.' })
  value?: Money;

  @Field(() => PartialDate, { nullable: true, description: 'When the money was given.' })
  date?: string;

  @Field(() => ID, { nullable: true, description: 'The grant the flow belongs to, when known.' })
  grantId?: string;

  @Field({ nullable: true, description: 'What the money was for, or when, as the source words it.' })
  purpose?: string;

  @Field(() => [Citation], { description: 'Where the flow is stated.' })
  sources!: Citation[];
}

export const GrantConnection = ConnectionType('Grant', () => Grant, 'A page of grants.');

@InputType({ description: 'Filters for grants; all given filters must hold.' })
export class GrantFilter {
  @Field(() => ID, { nullable: true, description: 'Only grants this organization funds.' })
  funder?: string;

  @Field(() => ID, { nullable: true, description: 'Only grants this organization receives.' })
  recipient?: string;

  @Field(() => Currency, { nullable: true, description: 'Only grants in this currency.' })
  currency?: string;

  @Field(() => NonNegativeFloat, { nullable: true, description: 'Only grants of at least this amount.' })
  minAmount?: number;

  @Field(() => NonNegativeFloat, { nullable: true, description: 'Only grants of at most this amount.' })
  maxAmount?: number;

  @Field(() => PartialDate, { nullable: true, description: 'Only grants signed on or after this date.' })
  signedFrom?: string;

  @Field(() => PartialDate, { nullable: true, description: 'Only grants signed on or before this date.' })
  signedTo?: string;
}

@InputType({ description: 'A grant a curator records or corrects.' })
export class GrantInput {
  @Field({ nullable: true, description: 'Title (required when creating).' })
  name?: string;

  @Field(() => NonNegativeFloat, { nullable: true, description: 'Amount granted (with currency).' })
  amount?: number;

  @Field(() => Currency, { nullable: true, description: 'ISO 4217 currency of the amount.' })
  currency?: string;

  @Field(() => PartialDate, { nullable: true, description: 'When it was signed.' })
  signedDate?: string;

  @Field({ nullable: true, description: 'What it is for.' })
  purpose?: string;

  @Field(() => ID, { nullable: true, description: 'The funding organization (required when creating).' })
  funderId?: string;

  @Field(() => ID, { nullable: true, description: 'The recipient organization (required when creating).' })
  recipientId?: string;
}

export { Float };

@ObjectType({ description: 'A text in one language (IATI narratives are translations of each other).' })
export class Narrative {
  @Field({ description: 'Language code (lower case).' }) lang!: string;
  @Field({ description: 'The text.' }) text!: string;
}

@ObjectType({ description: 'A recipient country of an IATI activity, with its share.' })
export class RecipientCountry {
  @Field({ description: 'ISO 3166-1 alpha-2 code.' }) code!: string;
  @Field(() => Float, { description: 'Share of the activity, in percent.' }) percentage!: number;
}

@ObjectType({ description: 'A sector of an IATI activity.' })
export class Sector {
  @Field({ description: 'Sector code.' }) code!: string;
  @Field({ description: 'Vocabulary of the code (1 = OECD DAC 5-digit).' }) vocabulary!: string;
}

@ObjectType({ description: 'One IATI transaction: a flow of money of a grant.' })
export class Transaction {
  @Field(() => ID, { description: 'Stable id (<grant id>#t<position>).' }) id!: string;
  @Field({ description: 'IATI transaction type code (1-13).' }) type!: string;
  @Field({ description: 'Transaction type name (Disbursement, Incoming Funds, ...).' }) typeName!: string;
  @Field(() => PartialDate, { description: 'Transaction date.' }) date!: string;
  @Field(() => Money, {
    description:
      'The value, with its currency (the activity default when the value has none). May be negative: IATI publishes reversals, refunds, de-obligations and corrections so, and every total over transactions is net per type and currency.',
  })
  value!: Money;
  @Field({ nullable: true, description: 'Description.' }) description?: string;
  @Field(() => OrganizationReference, { nullable: true, description: 'Where the money came from.' }) provider?: { id: string };
  @Field(() => OrganizationReference, { nullable: true, description: 'Where the money went.' }) receiver?: { id: string };
  @Field(() => [Citation], { description: 'File and line of the transaction.' }) sources!: Citation[];
}

@ObjectType({ description: 'Money from one IATI activity to another (provider-/receiver-activity-id), possibly across publishers.' })
export class ActivityFlow {
  @Field(() => Grant, { description: 'The activity at the other end (a stub until its own file is imported).' }) activity!: Grant;
  @Field(() => Money, { nullable: true, description: 'The value of the linking transaction.' }) value?: Money;
  @Field(() => PartialDate, { nullable: true, description: 'Its date.' }) date?: string;
  @Field(() => [Citation], { description: 'File and line of the transaction that links them.' }) sources!: Citation[];
}

@ObjectType({ description: 'What an IATI import did.' })
export class ImportSummary {
  @Field(() => Int, { description: 'Activities in the file.' }) activities!: number;
  @Field(() => Int, { description: 'Activities created.' }) created!: number;
  @Field(() => Int, { description: 'Activities updated (a newer version replaced their children).' }) updated!: number;
  @Field(() => Int, { description: 'Activities unchanged.' }) unchanged!: number;
  @Field(() => Int, { description: 'Transactions written.' }) transactions!: number;
  @Field(() => [String], { description: 'Every rejection: line, identifier and reason.' }) rejections!: string[];
}

export const TransactionConnection = ConnectionType('Transaction', () => Transaction, 'A page of transactions, by date.');

@ObjectType({ description: 'An award of a contracting process.' })
export class Award {
  @Field(() => ID, { description: 'Award id within the process.' }) id!: string;
  @Field({ nullable: true, description: 'Title or description.' }) title?: string;
  @Field({ nullable: true, description: 'Status (pending, active, cancelled, unsuccessful).' }) status?: string;
  @Field(() => Money, { nullable: true, description: 'Awarded value.' }) value?: Money;
  @Field(() => PartialDate, { nullable: true, description: 'Award date.' }) date?: string;
  @Field(() => [String], { description: 'Supplier names as the release gives them.' }) suppliers!: string[];
}

@ObjectType({ description: 'A contract signed in a contracting process.' })
export class Contract {
  @Field(() => ID, { description: 'Contract id within the process.' }) id!: string;
  @Field({ nullable: true, description: 'The award it implements (awardID).' }) awardId?: string;
  @Field({ nullable: true, description: 'Title or description.' }) title?: string;
  @Field({ nullable: true, description: 'Status (pending, active, cancelled, terminated).' }) status?: string;
  @Field(() => Money, { nullable: true, description: 'Contract value.' }) value?: Money;
  @Field(() => PartialDate, { nullable: true, description: 'Date signed.' }) dateSigned?: string;
  @Field(() => PartialDate, { nullable: true, description: 'Start of the contract period.' }) startDate?: string;
  @Field(() => PartialDate, { nullable: true, description: 'End of the contract period.' }) endDate?: string;
}

@ObjectType({ description: 'An organization taking part in a contracting process, with its OCDS roles.' })
export class ProcessParty {
  @Field(() => OrganizationReference, { description: 'The organization.' }) organization!: { id: string };
  @Field(() => [String], { description: 'Roles: buyer, procuringEntity, tenderer, supplier, payer, payee...' }) roles!: string[];
  @Field(() => [Citation], { description: 'The file it comes from.' }) sources!: Citation[];
}

@ObjectType({ description: 'An OCDS contracting process (ocid): tender, awards and contracts, with its parties.' })
export class ContractingProcess {
  @Field(() => ID, { description: 'Stable id (ocds-<ocid>).' }) id!: string;
  @Field({ description: 'Open Contracting ID.' }) ocid!: string;
  @Field({ description: 'Tender title (or the ocid).' }) name!: string;
  @Field({ nullable: true, description: 'Tender status.' }) status?: string;
  @Field({ nullable: true, description: 'Procurement method (open, selective, limited, direct).' }) procurementMethod?: string;
  @Field(() => PartialDate, { nullable: true, description: 'Date of the latest release.' }) date?: string;
  @Field(() => Money, { nullable: true, description: 'Tender value.' }) value?: Money;
  @Field(() => [String], { description: 'Contract ids.' }) contractIds!: string[];
  @Field(() => PartialDate, { nullable: true, description: 'Start of the tender period.' }) tenderStart?: string;
  @Field(() => PartialDate, { nullable: true, description: 'End of the tender period.' }) tenderEnd?: string;
  @Field(() => [Citation], { description: 'The file it comes from.' }) sources!: Citation[];
}

export const ContractingProcessConnection = ConnectionType(
  'ContractingProcess',
  () => ContractingProcess,
  'A page of contracting processes.',
);

@ObjectType({
  description:
    'One net figure of a funding summary: the transactions of one type in one currency (and one year, in byYear), summed exactly.',
})
export class FundingFigure {
  @Field(() => Int, {
    nullable: true,
    description: 'The year of the transactions (in byYear; null elsewhere, or for a stated grant with no date).',
  })
  year?: number;
  @Field({
    nullable: true,
    description: 'IATI transaction type code (1-13); null for a grant as a source document states it, which is not an IATI transaction.',
  })
  type?: string;
  @Field({ description: 'Transaction type name (Disbursement, Incoming Funds, ...), or "Grant" for a stated grant.' }) typeName!: string;
  @Field(() => Currency, { description: 'ISO 4217 currency: figures are never summed across currencies.' }) currency!: string;
  @Field(() => Float, { description: 'The net sum (negative transactions subtract), rounded once to the nearest double.' }) amount!: number;
  @Field({
    description:
      'The same net sum as exact decimal text (e.g. "1250000.5"): what the publishers\' values add up to, without floating-point drift.',
  })
  exact!: string;
  @Field(() => Int, { description: 'How many transactions are behind the figure.' }) transactions!: number;
  @Field(() => [Citation], {
    description: 'The files the transactions come from, one citation per file, quoting where in it (the first lines, then how many more).',
  })
  sources!: Citation[];
}

@ObjectType({ description: 'What one counterpart gave to (or received from) the organization.' })
export class CounterpartFunding {
  @Field(() => OrganizationReference, {
    nullable: true,
    description: 'The organization at the other end; null for transactions that name none.',
  })
  organization?: { id: string; name?: string };
  @Field(() => Int, { description: 'How many transactions are behind the figures.' }) transactions!: number;
  @Field(() => [FundingFigure], { description: 'Net figures per transaction type and currency.' }) figures!: FundingFigure[];
}

@ObjectType({ description: 'Money on one side of an organization: received, or given.' })
export class FundingSide {
  @Field(() => Int, { description: 'How many transactions (and stated grants) are on this side.' }) transactions!: number;
  @Field(() => [FundingFigure], { description: 'Net figures per transaction type and currency, by type code.' }) byType!: FundingFigure[];
  @Field(() => [FundingFigure], { description: 'Net figures per year, transaction type and currency, oldest first.' })
  byYear!: FundingFigure[];
  @Field(() => [CounterpartFunding], { description: "The top counterparts (see fundingSummary's counterparts and rankBy arguments)." })
  counterparts!: CounterpartFunding[];
  @Field(() => Int, { description: 'How many counterparts there are in all (named or not), of which `counterparts` lists the top ones.' })
  counterpartCount!: number;
}

@ObjectType({
  description:
    'What a funder asks first: the money an organization received and gave, net per type, currency and year, by counterpart, each figure with its transactions and their sources.',
})
export class FundingSummary {
  @Field(() => PartialDate, { nullable: true, description: 'Only transactions on or after this date (as asked).' }) from?: string;
  @Field(() => PartialDate, {
    nullable: true,
    description: 'Only transactions on or before this date (as asked; a year or month includes all of it).',
  })
  to?: string;
  @Field(() => FundingSide, {
    description:
      'Money to the organization: transactions it is the receiver of (incoming funds and commitments, and disbursements others report to it), and grants stated to it.',
  })
  received!: FundingSide;
  @Field(() => FundingSide, {
    description: 'Money from the organization: transactions it is the provider of, and grants it is stated to give.',
  })
  given!: FundingSide;
}
