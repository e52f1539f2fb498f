/** A versioned schema change. Statements must be idempotent (IF NOT EXISTS) so a half-applied one can be rerun. */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

// Migrations are frozen: their statements are written out, not derived from model.ts, so a new label means a new
// migration instead of a silently edited old one (applied migrations are checked by checksum).
const ENTITY_LABELS_V1 = [
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
];
const SEARCHABLE_LABELS_V3 = ['Organization', 'Person', 'Place', 'Network', 'Event', 'Grant', 'ActionPlan', 'Commitment', 'Initiative'];

const uniqueIds = ENTITY_LABELS_V1.map(
  (label) => `CREATE CONSTRAINT ${label.toLowerCase()}_id_unique IF NOT EXISTS FOR (n:${label}) REQUIRE n.id IS UNIQUE`,
);

/** Every lookup the API does that is not by id. */
const lookups: Array<[name: string, target: string, props: string]> = [
  ['organization_kind', '(n:Organization)', 'n.kind'],
  ['organization_country', '(n:Organization)', 'n.country'],
  ['organization_norm_name', '(n:Organization)', 'n.normName'],
  ['organization_iati_ref', '(n:Organization)', 'n.iatiRef'],
  ['person_norm_name', '(n:Person)', 'n.normName'],
  ['place_kind', '(n:Place)', 'n.kind'],
  ['place_iso2', '(n:Place)', 'n.iso2'],
  ['place_norm_name', '(n:Place)', 'n.normName'],
  ['network_kind', '(n:Network)', 'n.kind'],
  ['event_date', '(n:Event)', 'n.date'],
  ['grant_signed', '(n:Grant)', 'n.signedDate'],
  ['commitment_status', '(n:Commitment)', 'n.status'],
  ['flag_kind', '(n:DataQualityFlag)', 'n.kind'],
  ['member_of_since', '()-[r:MEMBER_OF]-()', 'r.since'],
  ['funded_date', '()-[r:FUNDED]-()', 'r.date'],
];
const lookupIndexes = lookups.map(([name, target, prop]) => `CREATE INDEX ${name} IF NOT EXISTS FOR ${target} ON (${prop})`);

/** The ordered list of migrations; append only, never edit an applied one (checksums catch it). */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'unique ids for every entity label',
    statements: [
      'CREATE CONSTRAINT schema_migration_version IF NOT EXISTS FOR (m:SchemaMigration) REQUIRE m.version IS UNIQUE',
      ...uniqueIds,
    ],
  },
  { version: 2, name: 'lookup indexes', statements: lookupIndexes },
  {
    version: 3,
    name: 'accent- and case-insensitive full-text search over names and aliases',
    statements: [
      // standard-folding = Lucene's standard analyzer + ASCII folding, so "Asociacion" finds "Asociación".
      `CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:${SEARCHABLE_LABELS_V3.join('|')}) ON EACH [n.name, n.searchText] ` +
        "OPTIONS { indexConfig: { `fulltext.analyzer`: 'standard-folding', `fulltext.eventually_consistent`: false } }",
    ],
  },
  {
    version: 4,
    name: 'IATI lookups',
    statements: [
      'CREATE INDEX grant_iati_identifier IF NOT EXISTS FOR (n:Grant) ON (n.iatiIdentifier)',
      'CREATE INDEX funded_grant IF NOT EXISTS FOR ()-[r:FUNDED]-() ON (r.grantId)',
    ],
  },
  {
    version: 5,
    name: 'OCDS contracting processes',
    statements: [
      'CREATE CONSTRAINT contractingprocess_id_unique IF NOT EXISTS FOR (n:ContractingProcess) REQUIRE n.id IS UNIQUE',
      'CREATE INDEX organization_ocds_ref IF NOT EXISTS FOR (n:Organization) ON (n.ocdsRef)',
    ],
  },
  // IATI imports gave a transaction's FUNDED flow and FUNDS_ACTIVITY link the transaction's own id, so views and
  // exports met the same edge id twice. Idempotent: renamed ids no longer match.
  {
    version: 6,
    name: 'unique ids for IATI money flows and activity links',
    statements: [
      "MATCH ()-[r:FUNDED]->() WHERE r.id CONTAINS '#t' AND NOT r.id ENDS WITH '|funded' CALL { WITH r SET r.id = r.id + '|funded' } IN TRANSACTIONS OF 10000 ROWS",
      "MATCH ()-[r:FUNDS_ACTIVITY]->() WHERE NOT r.id ENDS WITH '|activity' CALL { WITH r SET r.id = r.id + '|activity' } IN TRANSACTIONS OF 10000 ROWS",
    ],
  },
  // No question seeks relationships by these properties (date windows filter during traversal; a grant's flows are
  // reached through its transactions), yet while any relationship property index exists Neo4j sorts and inspects
  // every relationship of every write transaction for it: ~6% of an IATI import's server time.
  {
    version: 7,
    name: 'drop the relationship property indexes no query uses',
    statements: ['DROP INDEX funded_grant IF EXISTS', 'DROP INDEX funded_date IF EXISTS', 'DROP INDEX member_of_since IF EXISTS'],
  },
  // The change journal the insights subgraph's in-memory collaboration index reads (services/shared/graph-changes.ts).
  {
    version: 8,
    name: 'change journal for the collaboration index',
    statements: [
      'CREATE INDEX graph_change_id IF NOT EXISTS FOR (c:GraphChange) ON (c.id)',
      'CREATE INDEX graph_change_at IF NOT EXISTS FOR (c:GraphChange) ON (c.at)',
    ],
  },
  // One organization per identifier, whatever the source (services/shared/org-identifiers.ts): organizations
  // imported before get their canonical identifier from the IATI ref or OCDS scheme + id they kept. The folding is
  // written out here (frozen, like every migration): whitespace out, upper case, a bare DAC code as XM-DAC-, and
  // DFID's legacy GB-1..3 as GB-GOV-. Merging organizations that now share an identifier is the curators' review.
  {
    version: 9,
    name: 'canonical organization identifiers',
    statements: [
      'CREATE INDEX organization_identifier IF NOT EXISTS FOR (n:Organization) ON (n.orgIdentifier)',
      `MATCH (n:Organization) WHERE n.orgIdentifier IS NULL AND (n.iatiRef IS NOT NULL OR (n.ocdsScheme IS NOT NULL AND n.ocdsIdentifier IS NOT NULL))
     WITH n, CASE WHEN n.iatiRef IS NOT NULL THEN n.iatiRef
                  WHEN toUpper(n.ocdsIdentifier) STARTS WITH toUpper(n.ocdsScheme) + '-' THEN n.ocdsIdentifier
                  ELSE n.ocdsScheme + '-' + n.ocdsIdentifier END AS raw
     WITH n, toUpper(reduce(t = raw, ws IN [' ', '\t', '\n', '\r'] | replace(t, ws, ''))) AS folded
     WHERE folded =~ '.*[A-Z0-9].*'
     CALL { WITH n, folded SET n.orgIdentifier = CASE WHEN folded =~ '[0-9]{1,5}' THEN 'XM-DAC-' + folded
                                                    WHEN folded IN ['GB-1', 'GB-2', 'GB-3'] THEN 'GB-GOV-' + substring(folded, 3)
                                                    ELSE folded END } IN TRANSACTIONS OF 10000 ROWS`,
    ],
  },
  // Lists by name read one page in index order (a top-k over the index) instead of sorting every node of a label.
  // Not on Grant: IATI imports write grants by the million, and their lists sort by date or amount.
  {
    version: 10,
    name: 'name indexes for ordered lists',
    statements: [
      'CREATE INDEX organization_name IF NOT EXISTS FOR (n:Organization) ON (n.name)',
      'CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name)',
      'CREATE INDEX place_name IF NOT EXISTS FOR (n:Place) ON (n.name)',
      'CREATE INDEX network_name IF NOT EXISTS FOR (n:Network) ON (n.name)',
    ],
  },
  // Entity resolution (services/actors/duplicates.ts): merged-away entities are found by their old id, identifier
  // and folded name (old ids answer, imports join the canonical entity); judgements by pair and by id.
  {
    version: 11,
    name: 'merged entities and judgements',
    statements: [
      'CREATE INDEX merged_id IF NOT EXISTS FOR (n:Merged) ON (n.id)',
      'CREATE INDEX merged_identifier IF NOT EXISTS FOR (n:Merged) ON (n.orgIdentifier)',
      'CREATE INDEX merged_norm_name IF NOT EXISTS FOR (n:Merged) ON (n.normName)',
      'CREATE CONSTRAINT judgement_id_unique IF NOT EXISTS FOR (n:Judgement) REQUIRE n.id IS UNIQUE',
      'CREATE INDEX judgement_pair IF NOT EXISTS FOR (n:Judgement) ON (n.pairKey)',
    ],
  },
];
