/**
 * The graph model as code: every node label and relationship type, what it means and its identity key.
 * Migrations (schema/migrations.ts) derive constraints and indexes from it; the seed schema and the
 * subgraphs name labels and types through these constants so a typo is a compile error.
 */

export const Labels = {
  Organization: 'A government body, civil-society organization, business, funder, multilateral, academic or media outlet, or network hub.',
  Person: 'A named individual.',
  Place: 'A city, state, country or region; places nest with IN.',
  Network:
    'A network, partnership, programme or cohort that actors belong to (OGP, OGP Local, LOCI, a LOCI city cohort, a regional transparency network).',
  Event: 'A meeting, convening, launch or summit.',
  Grant: 'A grant or IATI activity: money from funders to recipients for a purpose.',
  Transaction: 'One IATI transaction (a money flow) of a grant.',
  Result: 'An intended or achieved result of a grant (impact metric, IATI result/indicator).',
  ActionPlan: 'An open-government action plan of a government (national or local).',
  Commitment: 'A commitment made in an action plan.',
  Initiative: 'A platform, portal, mechanism, convention or other named initiative that actors run, build or join.',
  ContractingProcess: 'An OCDS contracting process (ocid): tender, awards and contracts, with its parties.',
  Source: 'A document or file the facts come from.',
  DataQualityFlag: 'A contradiction or doubt found in a source, kept instead of silently resolved.',
  Merged:
    'An organization or person a curator judged the same as another: it keeps its id, its names and MERGED_INTO the canonical entity, so old ids still answer and the merge can be undone.',
  Judgement: "A curator's verdict on a possible duplicate pair (SAME, NOT_SAME, UNSURE): who, when, why, and what a merge moved.",
  SchemaMigration: 'A schema migration applied to this database.',
} as const;
export type Label = keyof typeof Labels;

/** Labels of the entities a user can look up by id (each has a unique `id`). */
export const ENTITY_LABELS = [
  'Organization',
  'Person',
  'Place',
  'Network',
  'Event',
  'Grant',
  'Transaction',
  'Result',
  'ActionPlan',
  'Commitment',
  'Initiative',
  'Source',
  'DataQualityFlag',
  'ContractingProcess',
] as const satisfies readonly Label[];
export type EntityLabel = (typeof ENTITY_LABELS)[number];

/** Labels of the entities curators can judge duplicates of and merge (services/actors/duplicates.ts). */
export const MERGEABLE_LABELS = ['Organization', 'Person'] as const;
export type MergeableLabel = (typeof MERGEABLE_LABELS)[number];

/** Labels found by the name search (full-text over name + aliases). */
export const SEARCHABLE_LABELS = [
  'Organization',
  'Person',
  'Place',
  'Network',
  'Event',
  'Grant',
  'ActionPlan',
  'Commitment',
  'Initiative',
] as const;

/**
 * Entity labels whose nodes always carry a `name` (their GraphQL types declare `name: String!`, read straight from the
 * property): the searchable ones, whose name the search reads, and contracting processes. A list of them sorts by name
 * without looking for a `title`, which for a node without one means reading all its properties.
 */
export const NAMED_LABELS = [...SEARCHABLE_LABELS, 'ContractingProcess'] as const satisfies readonly EntityLabel[];

export const RelTypes = {
  IN: 'Place → Place: a city lies in a state, a state in a country, a country in a region.',
  BASED_IN: 'Organization|Person → Place: where an actor is based.',
  WORKS_IN: 'Organization|Person → Place: where an actor works, when different from its base.',
  GOVERNS: 'Organization → Place: a government body governs that jurisdiction.',
  WORKS_FOR: 'Person → Organization: employment or representation; props role, title.',
  PART_OF: 'Organization → Organization (unit of), or Network → Network (cohort of a programme).',
  MEMBER_OF: 'Organization|Person → Network: membership; props role, since, until, status.',
  HUB_FOR: 'Organization → Network: the organization hosts or supports a cohort as its hub.',
  PARTNERS_WITH: 'Organization → Organization: a stated partnership or collaboration; prop context.',
  PARTICIPATES_IN_GRANT: 'Organization → Grant: a role in a grant (funding, accountable, extending, implementing, reporting, recipient).',
  FUNDED: 'Organization → Organization: money given; props amount, currency, date, grantId.',
  SUPPORTED: 'Grant → Event|Network|ActionPlan: what the money paid for.',
  HAS_RESULT: 'Grant → Result.',
  HAS_TRANSACTION: 'Grant → Transaction.',
  PARTICIPATED_IN: 'Organization|Person → Event: took part; prop role.',
  HELD_IN: 'Event → Place.',
  ORGANIZED: 'Organization|Network → Event|Network: organized or convened.',
  MADE_COMMITMENT: 'Organization → Commitment: the body responsible for a commitment; prop role (lead, supporting).',
  IN_PLAN: 'Commitment → ActionPlan.',
  PLAN_OF: 'ActionPlan → Place: the jurisdiction an action plan covers.',
  ADOPTED: 'Organization → ActionPlan: the government that adopted the plan.',
  CONTRIBUTED_TO: 'Organization|Person → ActionPlan|Initiative|Network: took part in creating or running it; prop role.',
  RUNS: 'Organization|Network → Initiative: runs, developed or administers it; prop role.',
  REALIZED_BY: 'Commitment → Initiative: the initiative delivers the commitment.',
  MENTIONS: 'Source → any entity the document is about (used for people and bodies it only names).',
  FLAGS: 'DataQualityFlag → any entity the flag concerns.',
  PARTY_TO:
    'Organization → ContractingProcess: a party of a contracting process; prop roles (buyer, procuringEntity, tenderer, supplier, payer, payee).',
  PROCURED_FROM: 'Organization → Organization: a buyer awarded a contract to a supplier; props ocid, amount, currency, date.',
  PROVIDED: 'Organization → Transaction: the organization the money came from.',
  RECEIVED: 'Transaction → Organization: the organization the money went to.',
  FUNDS_ACTIVITY: 'Grant → Grant: money from one IATI activity to another (provider-/receiver-activity-id), across publishers.',
  RELATED_ACTIVITY: 'Grant → Grant: IATI related-activity (parent, child, sibling, co-funded, third party); prop type.',
  AUTHORED: 'Person|Organization → Source: authorship of a source document.',
  MERGED_INTO: 'Merged → Organization|Person: a merged-away entity and the canonical one it now answers as; prop judgementId.',
} as const;
export type RelType = keyof typeof RelTypes;

export const ORGANIZATION_KINDS = [
  'government',
  'civil_society',
  'business',
  'funder',
  'multilateral',
  'academic',
  'media',
  'network_hub',
] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

export const GOVERNMENT_LEVELS = ['municipal', 'state', 'national', 'international'] as const;
export const PLACE_KINDS = ['city', 'state', 'country', 'region'] as const;
export const NETWORK_KINDS = ['partnership', 'programme', 'cohort', 'regional_network', 'mechanism'] as const;
export const INITIATIVE_KINDS = ['platform', 'portal', 'mechanism', 'convention', 'system', 'alliance', 'publication'] as const;
export const SOURCE_KINDS = [
  'web_page',
  'blog_post',
  'case_study',
  'news',
  'iati_file',
  'ogp_export',
  'ocds_file',
  'reference',
  'curation',
] as const;

/*
 * Provenance is stored on every sourced node and relationship as two aligned lists: `sourceIds[i]` names a Source
 * node's id and `quotes[i]` is the phrase (or, for files, the locator) that supports it (services/shared/cypher.ts).
 */
