import { createUnionType, Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../shared/graphql/pagination';
import { EntityReference, NamedEntity } from '../shared/graphql/entity';
import { Citation, SortDirection } from '../shared/graphql/common';
import { CountryCode, DateTime, PartialDate, URL } from '../shared/graphql/scalars';

export enum OrganizationKind {
  GOVERNMENT = 'government',
  CIVIL_SOCIETY = 'civil_society',
  BUSINESS = 'business',
  FUNDER = 'funder',
  MULTILATERAL = 'multilateral',
  ACADEMIC = 'academic',
  MEDIA = 'media',
  NETWORK_HUB = 'network_hub',
}
registerEnumType(OrganizationKind, { name: 'OrganizationKind', description: 'What kind of body an organization is.' });

export enum GovernmentLevel {
  MUNICIPAL = 'municipal',
  STATE = 'state',
  NATIONAL = 'national',
  INTERNATIONAL = 'international',
}
registerEnumType(GovernmentLevel, { name: 'GovernmentLevel', description: 'The level an organization works at.' });

export enum PlaceKind {
  CITY = 'city',
  STATE = 'state',
  COUNTRY = 'country',
  REGION = 'region',
}
registerEnumType(PlaceKind, { name: 'PlaceKind', description: 'City, state (or province, department), country or world region.' });

export enum EntityType {
  ORGANIZATION = 'Organization',
  PERSON = 'Person',
  PLACE = 'Place',
  NETWORK = 'Network',
  EVENT = 'Event',
  GRANT = 'Grant',
  ACTION_PLAN = 'ActionPlan',
  COMMITMENT = 'Commitment',
  INITIATIVE = 'Initiative',
}
registerEnumType(EntityType, { name: 'EntityType', description: 'The types of entity the name search covers.' });

export enum OrganizationSort {
  NAME = 'name',
  KIND = 'kind',
  COUNTRY = 'country',
}
registerEnumType(OrganizationSort, { name: 'OrganizationSort', description: 'Fields organizations can be sorted by (ties break on id).' });

export const NetworkReference = EntityReference('Network', 'A network, programme or cohort (owned by the networks subgraph).');
export const EventReference = EntityReference('Event', 'A meeting or launch (owned by the networks subgraph).');
export const GrantReference = EntityReference('Grant', 'A grant or IATI activity (owned by the funding subgraph).');
export const ActionPlanReference = EntityReference('ActionPlan', 'An action plan (owned by the commitments subgraph).');
export const CommitmentReference = EntityReference('Commitment', 'A commitment (owned by the commitments subgraph).');

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A place: city, state, country or region. Places nest: a city lies in a state, a state in a country.' })
export class Place extends NamedEntity {
  @Field(() => PlaceKind, { description: 'City, state, country or region.' })
  kind!: PlaceKind;

  @Field(() => CountryCode, { nullable: true, description: 'ISO 3166-1 alpha-2 code (countries only).' })
  iso2?: string;

  @Field({ nullable: true, description: 'ISO 3166-1 alpha-3 code (countries only).' })
  iso3?: string;
}

@Directive('@key(fields: "id")')
@ObjectType({
  description: 'A government body, civil-society organization, business, funder, multilateral, academic or media outlet, or network hub.',
})
export class Organization extends NamedEntity {
  @Field(() => OrganizationKind, { description: 'What kind of body it is.' })
  kind!: OrganizationKind;

  @Field(() => GovernmentLevel, { nullable: true, description: 'The level it works at (municipal, state, national, international).' })
  level?: GovernmentLevel;

  @Field(() => CountryCode, { nullable: true, description: 'ISO 3166-1 alpha-2 code of its country.' })
  country?: string;

  @Field({ nullable: true, description: 'What it does, in a sentence.' })
  description?: string;

  @Field({
    nullable: true,
    description:
      'Its canonical identifier in org-id.guide form (XM-DAC-41114, GB-CHC-202918): every source\'s identifier for it (an IATI ref such as the legacy "41114", an OCDS scheme + id) is folded to this one, so one identifier is one organization.',
  })
  orgIdentifier?: string;

  @Field(() => URL, { nullable: true, description: 'Its website.' })
  website?: string;
}

@ObjectType({ description: 'An identifier an organization has in an official register or a data standard.' })
export class OrgIdentifier {
  @Field({
    description:
      'The register or list: IATI for an IATI organisation identifier, or an org-id.guide scheme such as MX-RFC or GB-COH (from OCDS).',
  })
  scheme!: string;

  @Field({ description: 'The identifier within that scheme.' })
  id!: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A named individual.' })
export class Person extends NamedEntity {
  @Field({ nullable: true, description: 'Who the person is, in a sentence.' })
  description?: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A platform, portal, mechanism, convention or other named initiative that actors run, build or join.' })
export class Initiative extends NamedEntity {
  @Field({ description: 'platform, portal, mechanism, convention, system, alliance or publication.' })
  kind!: string;

  @Field({ nullable: true, description: 'Its status as the sources give it (e.g. proposed).' })
  status?: string;

  @Field(() => PartialDate, { nullable: true, description: 'When it was launched.' })
  launched?: string;

  @Field({ nullable: true, description: 'What it is, in a sentence.' })
  description?: string;

  @Field({ nullable: true, description: 'Figures the sources report about it, as a JSON object (check its data-quality flags).' })
  figures?: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A source document or file that facts in the graph come from.' })
export class Source {
  @Field(() => ID, { description: 'Stable id.' })
  id!: string;

  @Field({ description: 'Title of the document or name of the file.' })
  title!: string;

  @Field(() => PartialDate, { nullable: true, description: 'Publication date, when known.' })
  date?: string;

  @Field({ nullable: true, description: 'Author, when known.' })
  author?: string;

  @Field({ nullable: true, description: 'Publisher, when known.' })
  publisher?: string;

  @Field({ description: 'web_page, blog_post, case_study, news, iati_file, ogp_export, ocds_file, reference or curation.' })
  kind!: string;

  @Field({ nullable: true, description: 'File name of the document as kept in the project.' })
  file?: string;

  @Field(() => URL, { nullable: true, description: 'Web address, when known.' })
  url?: string;

  @Field({ description: 'Language of the document (BCP 47).' })
  language!: string;
}

@ObjectType({ description: 'A person working for or representing an organization, with role and title.' })
export class Affiliation {
  @Field(() => Person, { description: 'The person.' })
  person!: Person;

  @Field(() => Organization, { description: 'The organization.' })
  organization!: Organization;

  @Field({ nullable: true, description: 'The role (e.g. LOCI participant).' })
  role?: string;

  @Field({ nullable: true, description: 'The job title as the source gives it.' })
  title?: string;

  @Field(() => [Citation], { description: 'Where the affiliation is stated.' })
  sources!: Citation[];
}

@ObjectType({ description: 'A stated partnership between two organizations.' })
export class Partnership {
  @Field(() => Organization, { description: 'The partner organization.' })
  partner!: Organization;

  @Field({ nullable: true, description: 'What the partnership is about.' })
  context?: string;

  @Field(() => [Citation], { description: 'Where the partnership is stated.' })
  sources!: Citation[];
}

@ObjectType({ description: 'An organization or network running an initiative, and how.' })
export class InitiativeRole {
  @Field(() => Initiative, { description: 'The initiative.' })
  initiative!: Initiative;

  @Field(() => Organization, { nullable: true, description: 'The organization running it (null when a network runs it).' })
  organization?: Organization;

  @Field({ nullable: true, description: 'The role (developer, owner, supporter, administers...).' })
  role?: string;

  @Field(() => [Citation], { description: 'Where this is stated.' })
  sources!: Citation[];
}

export const SearchEntity = createUnionType({
  name: 'SearchEntity',
  description: 'Any entity the name search can find.',
  types: () =>
    [
      Organization,
      Person,
      Place,
      Initiative,
      NetworkReference,
      EventReference,
      GrantReference,
      ActionPlanReference,
      CommitmentReference,
    ] as const,
  resolveType: (value) => (value as unknown as { __label: string }).__label,
});

@ObjectType({ description: 'One search result, ranked: exact name or alias matches first, then by text relevance.' })
export class SearchHit {
  @Field(() => EntityType, { description: 'The type of the entity found.' })
  type!: EntityType;

  @Field(() => Float, { description: 'Relevance score (higher is better); exact name matches score above 100.' })
  score!: number;

  @Field(() => SearchEntity, { description: 'The entity found.' })
  entity!: typeof SearchEntity;
}

export const OrganizationConnection = ConnectionType('Organization', () => Organization, 'A page of organizations.');
export const PersonConnection = ConnectionType('Person', () => Person, 'A page of people.');
export const PlaceConnection = ConnectionType('Place', () => Place, 'A page of places.');
export const AffiliationConnection = ConnectionType('Affiliation', () => Affiliation, 'A page of affiliations.');
export const SearchHitConnection = ConnectionType('SearchHit', () => SearchHit, 'A page of search results.');

@InputType({ description: 'Filters for organizations; all given filters must hold.' })
export class OrganizationFilter {
  @Field(() => [OrganizationKind], { nullable: true, description: 'Only these kinds.' })
  kinds?: OrganizationKind[];

  @Field(() => CountryCode, { nullable: true, description: 'Only organizations of this country (ISO 3166-1 alpha-2).' })
  country?: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Only organizations based in, working in or governing this place or a place inside it (a Place id).',
  })
  place?: string;

  @Field(() => GovernmentLevel, { nullable: true, description: 'Only organizations at this level.' })
  level?: GovernmentLevel;

  @Field(() => ID, { nullable: true, description: 'Only members of this network or of its cohorts (a Network id).' })
  network?: string;
}

@InputType({ description: 'Fields of an organization a curator can set; the source and quote are required for every write.' })
export class OrganizationInput {
  @Field({ nullable: true, description: 'Name (required when creating).' })
  name?: string;

  @Field(() => [String], { nullable: true, description: 'Other names.' })
  aliases?: string[];

  @Field(() => OrganizationKind, { nullable: true, description: 'Kind (required when creating).' })
  kind?: OrganizationKind;

  @Field(() => GovernmentLevel, { nullable: true, description: 'Level.' })
  level?: GovernmentLevel;

  @Field(() => CountryCode, { nullable: true, description: 'ISO 3166-1 alpha-2 country code.' })
  country?: string;

  @Field({ nullable: true, description: 'What it does.' })
  description?: string;

  @Field(() => URL, { nullable: true, description: 'Its website.' })
  website?: string;
}

@InputType({ description: 'Fields of a person a curator can set.' })
export class PersonInput {
  @Field({ nullable: true, description: 'Name (required when creating).' })
  name?: string;

  @Field(() => [String], { nullable: true, description: 'Other names.' })
  aliases?: string[];

  @Field({ nullable: true, description: 'Who the person is.' })
  description?: string;
}

export { SortDirection, Int };
export { CitationInput } from '../shared/graphql/common';

// ---------- entity resolution (services/actors/duplicates.ts) ----------

export enum DuplicateVerdict {
  SAME = 'SAME',
  NOT_SAME = 'NOT_SAME',
  UNSURE = 'UNSURE',
}
registerEnumType(DuplicateVerdict, {
  name: 'DuplicateVerdict',
  description: "A curator's verdict on a possible duplicate pair.",
  valuesConfig: {
    SAME: { description: 'One real entity: the pair is merged (undoable).' },
    NOT_SAME: { description: 'Two entities: the pair is not proposed again.' },
    UNSURE: { description: 'Not known yet: the pair stays proposed, with this judgement beside it.' },
  },
});

// Values equal to names: a default argument value reaches resolvers by its name in a federated schema.
export enum DuplicateKind {
  ORGANIZATION = 'ORGANIZATION',
  PERSON = 'PERSON',
}
export const DUPLICATE_KIND_LABEL = { ORGANIZATION: 'Organization', PERSON: 'Person' } as const;
registerEnumType(DuplicateKind, { name: 'DuplicateKind', description: 'The kinds of entity duplicates are looked for among.' });

export enum MatchFeature {
  IDENTIFIER = 'IDENTIFIER',
  NAME = 'NAME',
  ALIAS = 'ALIAS',
  ACRONYM = 'ACRONYM',
  SAME_COUNTRY = 'SAME_COUNTRY',
  OTHER_COUNTRY = 'OTHER_COUNTRY',
  OTHER_IDENTIFIER = 'OTHER_IDENTIFIER',
  SHARED_COUNTERPARTS = 'SHARED_COUNTERPARTS',
}
registerEnumType(MatchFeature, { name: 'MatchFeature', description: 'A piece of evidence for (or against) two entities being one.' });

@ObjectType({ description: 'One piece of evidence of a candidate pair, and what it adds to (or takes from) the score.' })
export class MatchReason {
  @Field(() => MatchFeature, { description: 'What kind of evidence.' }) feature!: MatchFeature;
  @Field({ description: 'The evidence itself (the shared identifier, the folded name, the two countries...).' }) detail!: string;
  @Field(() => Float, { description: 'Its weight: the strongest key is the base score, the rest add or subtract.' }) weight!: number;
}

@ObjectType({ description: "A curator's judgement of a pair: a stored fact with who, when and why, undoable." })
export class Judgement {
  @Field(() => ID, { description: 'Stable id.' }) id!: string;
  @Field(() => DuplicateVerdict, { description: 'The verdict.' }) verdict!: DuplicateVerdict;
  @Field({ description: "Why, in the curator's words." }) reason!: string;
  @Field({ description: "Who: the label of the curator's API key." }) by!: string;
  @Field(() => DateTime, { description: 'When.' }) at!: string;
  @Field(() => ID, { description: 'One of the pair, as judged.' }) a!: string;
  @Field(() => ID, { description: 'The other.' }) b!: string;
  @Field(() => ID, { nullable: true, description: 'SAME: the entity kept; the other answers as it from then on.' }) kept?: string;
  @Field({ description: 'True once undone (or superseded by a later judgement of the pair).' }) undone!: boolean;
  @Field({ nullable: true, description: 'Who undid it.' }) undoneBy?: string;
  @Field(() => DateTime, { nullable: true, description: 'When it was undone.' }) undoneAt?: string;
  @Field({ nullable: true, description: 'Why it was undone ("superseded" when a later judgement replaced it).' }) undoReason?: string;
}

export const DuplicateEntity = createUnionType({
  name: 'DuplicateEntity',
  description: 'An organization or a person, one of a candidate pair.',
  types: () => [Organization, Person] as const,
  resolveType: (value) => (value as unknown as { __label: string }).__label,
});

@ObjectType({ description: 'Two entities that may be one, scored and explained.' })
export class DuplicateCandidate {
  @Field(() => DuplicateEntity, { description: 'One of the pair (the smaller id).' }) a!: typeof DuplicateEntity;
  @Field(() => DuplicateEntity, { description: 'The other.' }) b!: typeof DuplicateEntity;
  @Field(() => Float, { description: 'How likely they are one, 0-1: the strongest key, adjusted by the rest of the evidence.' })
  score!: number;
  @Field(() => [MatchReason], { description: 'The evidence, strongest first.' }) reasons!: MatchReason[];
  @Field(() => Judgement, { nullable: true, description: 'The standing UNSURE judgement of the pair, if any.' }) judgement?: Judgement;
}
