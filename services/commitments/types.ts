import { Directive, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PartialDate } from '../shared/graphql/scalars';
import { Citation } from '../shared/graphql/common';
import { EntityReference, NamedEntity } from '../shared/graphql/entity';
import { ConnectionType } from '../shared/graphql/pagination';

export const OrganizationReference = EntityReference('Organization', 'An organization (owned by the actors subgraph).');
export const PlaceReference = EntityReference('Place', 'A place (owned by the actors subgraph).');
export const NetworkReference = EntityReference('Network', 'A network (owned by the networks subgraph).');
export const InitiativeReference = EntityReference('Initiative', 'An initiative (owned by the actors subgraph).');

@Directive('@key(fields: "id")')
@ObjectType({ description: 'An open-government action plan of a national or local government.' })
export class ActionPlan extends NamedEntity {
  @Field(() => Int, { nullable: true, description: 'First year the plan covers.' })
  startYear?: number;

  @Field(() => Int, { nullable: true, description: 'Last year the plan covers.' })
  endYear?: number;

  @Field(() => Int, { nullable: true, description: "Its number in its government's cycle of OGP plans (1 for the first)." })
  number?: number;

  @Field({ description: 'Level of the government that made it: municipal, state, national.' })
  level!: string;

  @Field({ description: 'Whether the plan is part of OGP (local plans may be made outside it, as in Veracruz).' })
  ogp!: boolean;
}

@ObjectType({ description: "The Independent Reporting Mechanism's assessment of an OGP commitment (missing values stay null)." })
export class Assessment {
  @Field({ nullable: true, description: 'How specific the commitment is.' }) specificity?: string;
  @Field({ nullable: true, description: 'Potential impact (None, Minor, Moderate, Transformative).' }) potentialImpact?: string;
  @Field({ nullable: true, description: 'Completion at the progress (midterm) report.' }) completionMidterm?: string;
  @Field({ nullable: true, description: 'Completion at the end of term.' }) completionEndOfTerm?: string;
  @Field({ nullable: true, description: 'Did it open government (overall).' }) didItOpenGovernment?: string;
  @Field({ nullable: true, description: 'Starred commitment (end of term, current formula).' }) starred?: boolean;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A commitment made in an action plan.' })
export class Commitment extends NamedEntity {
  @Field({ nullable: true, description: 'What the commitment is.' })
  description?: string;

  @Field({ nullable: true, description: "OGP's unique identifier of the commitment (e.g. AR0045)." })
  ogpId?: string;

  @Field({ nullable: true, description: 'Theme as OGP records it.' })
  theme?: string;

  @Field(() => PartialDate, { nullable: true, description: 'Start date.' })
  startDate?: string;

  @Field(() => PartialDate, { nullable: true, description: 'End date.' })
  endDate?: string;

  @Field(() => [String], { description: 'OGP policy areas the commitment is tagged with.' })
  tags!: string[];

  @Field(() => [String], {
    description:
      'Institutions the source names only as a kind of body ("lead: civil society", "supporting: line ministries"): kept as text, never joined to an organization, since they stand for no one body.',
  })
  institutionsAsText!: string[];
}

@ObjectType({ description: 'An organization responsible for a commitment, and its role (lead or supporting).' })
export class CommitmentRole {
  @Field(() => OrganizationReference, { description: 'The organization.' })
  organization!: { id: string };

  @Field(() => Commitment, { description: 'The commitment.' })
  commitment!: Commitment;

  @Field({ nullable: true, description: 'lead or supporting.' })
  role?: string;

  @Field({ nullable: true, description: 'The institution text the name was extracted from (contact details removed).' })
  rawText?: string;

  @Field(() => Float, { nullable: true, description: 'How sure the extraction of this name from free text is (0-1); absent when curated.' })
  confidence?: number;

  @Field(() => [Citation], { description: 'Where the responsibility is stated.' })
  sources!: Citation[];
}

@ObjectType({ description: 'An organization that took part in making an action plan.' })
export class PlanContribution {
  @Field(() => OrganizationReference, { description: 'The organization.' })
  organization!: { id: string };

  @Field({ nullable: true, description: 'Its role (e.g. partner).' })
  role?: string;

  @Field(() => [Citation], { description: 'Where this is stated.' })
  sources!: Citation[];
}

export const CommitmentConnection = ConnectionType('Commitment', () => Commitment, 'A page of commitments.');
export const ActionPlanConnection = ConnectionType('ActionPlan', () => ActionPlan, 'A page of action plans.');

@InputType({ description: 'A commitment a curator records or corrects.' })
export class CommitmentInput {
  @Field({ nullable: true, description: 'Title (required when creating).' })
  name?: string;

  @Field({ nullable: true, description: 'What the commitment is.' })
  description?: string;

  @Field(() => ID, { nullable: true, description: 'The action plan it belongs to (required when creating).' })
  actionPlanId?: string;

  @Field(() => ID, { nullable: true, description: 'The responsible organization (required when creating).' })
  organizationId?: string;

  @Field({ nullable: true, description: "The organization's role: lead (default) or supporting." })
  role?: string;
}
