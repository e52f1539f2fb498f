import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import type { ManagedTransaction } from 'neo4j-driver';
import { RelTypes, type MergeableLabel, type RelType } from '../../schema/model';
import type { Database, Params } from '../shared/database';
import { recordGraphChange } from '../shared/graph-changes';
import { appendCitation, nodeProjection, pageOf, readPage, type NeighbourSpec } from '../shared/cypher';
import { alreadyExists, checkCitation, definedOnly, namingProps, slugify } from '../shared/curation';
import { AppError, badInput, notFound } from '../shared/errors';
import type { CitationInput, NodeRow } from '../shared/graphql/common';
import { toPage, type Page } from '../shared/page';
import type { Prefetchable } from '../shared/prefetch';
import { SEARCH_ENTITIES_CYPHER, searchParams } from '../shared/search';
import { ACRONYM_STOPWORDS, ordered, pairKey, pairsOf, scorePair, type PairFacts, type PairKey } from './duplicates';
import type { OrganizationFilter, OrganizationInput, PersonInput } from './types';

/** Every relationship the actors subgraph follows; one batched query per spec per request (shared/cypher.ts). */
export const Rel = {
  basedIn: { from: 'Organization', types: ['BASED_IN'], direction: 'out', to: ['Place'] },
  worksIn: { from: 'Organization', types: ['WORKS_IN'], direction: 'out', to: ['Place'] },
  governs: { from: 'Organization', types: ['GOVERNS'], direction: 'out', to: ['Place'] },
  parentOrganization: { from: 'Organization', types: ['PART_OF'], direction: 'out', to: ['Organization'] },
  units: { from: 'Organization', types: ['PART_OF'], direction: 'in', to: ['Organization'] },
  people: { from: 'Organization', types: ['WORKS_FOR'], direction: 'in', to: ['Person'] },
  partners: { from: 'Organization', types: ['PARTNERS_WITH'], direction: 'both', to: ['Organization'] },
  initiatives: { from: 'Organization', types: ['RUNS'], direction: 'out', to: ['Initiative'] },
  affiliations: { from: 'Person', types: ['WORKS_FOR'], direction: 'out', to: ['Organization'] },
  personBasedIn: { from: 'Person', types: ['BASED_IN'], direction: 'out', to: ['Place'] },
  placeParent: { from: 'Place', types: ['IN'], direction: 'out', to: ['Place'] },
  placeChildren: { from: 'Place', types: ['IN'], direction: 'in', to: ['Place'] },
  initiativeRunners: { from: 'Initiative', types: ['RUNS'], direction: 'in', to: ['Organization'] },
} as const satisfies Record<string, NeighbourSpec>;

/** The fields whose relationships are read in the statement that reads their node (shared/prefetch.ts). */
export const PREFETCHABLE: Prefetchable = {
  Organization: {
    basedIn: { spec: Rel.basedIn, nodeType: 'Place' },
    worksIn: { spec: Rel.worksIn, nodeType: 'Place' },
    governs: { spec: Rel.governs, nodeType: 'Place' },
    parent: { spec: Rel.parentOrganization, nodeType: 'Organization' },
    units: { spec: Rel.units, nodeType: 'Organization' },
    people: {
      spec: Rel.people,
      via: ['edges', 'node', 'person'],
      window: (args, maxPageSize) => toPage(args, maxPageSize),
      nodeType: 'Person',
    },
    partners: { spec: Rel.partners, via: ['partner'], nodeType: 'Organization' },
    initiatives: { spec: Rel.initiatives, via: ['initiative'], nodeType: 'Initiative' },
  },
  Person: {
    affiliations: { spec: Rel.affiliations, via: ['organization'], nodeType: 'Organization' },
    basedIn: { spec: Rel.personBasedIn, nodeType: 'Place' },
  },
  Place: {
    parent: { spec: Rel.placeParent, nodeType: 'Place' },
    children: { spec: Rel.placeChildren, nodeType: 'Place' },
  },
  Initiative: { runBy: { spec: Rel.initiativeRunners, via: ['organization'], nodeType: 'Organization' } },
};

const ORDER = { name: 'n.name', kind: 'n.kind', country: 'n.country' } as const;

// Every organization has a name; saying so lets Neo4j read a page by name in index order.
const LIST_ORGANIZATIONS = (order: string, direction: 'ASC' | 'DESC') =>
  pageOf(
    `
MATCH (n:Organization)
WHERE ${order === 'n.name' ? 'n.name IS NOT NULL AND ' : ''}($kinds IS NULL OR n.kind IN $kinds)
  AND ($country IS NULL OR n.country = $country)
  AND ($level IS NULL OR n.level = $level)
  AND ($place IS NULL OR EXISTS { MATCH (n)-[:BASED_IN|WORKS_IN|GOVERNS]->(:Place)-[:IN*0..6]->(:Place {id: $place}) })
  AND ($network IS NULL OR EXISTS { MATCH (n)-[:MEMBER_OF|HUB_FOR]->(:Network)-[:PART_OF*0..2]->(:Network {id: $network}) })`,
    `${order} ${direction}, n.id ASC`,
  );

/** A page of organizations matching the filter, in a stable order. */
export function listOrganizations(
  db: Database,
  filter: OrganizationFilter,
  sort: keyof typeof ORDER,
  direction: 'ASC' | 'DESC',
  page: Page,
) {
  return readPage(
    db,
    LIST_ORGANIZATIONS(ORDER[sort], direction),
    {
      kinds: filter.kinds ?? null,
      country: filter.country ?? null,
      level: filter.level ?? null,
      place: filter.place ?? null,
      network: filter.network ?? null,
    },
    page,
  );
}

const LIST_PEOPLE = pageOf('MATCH (n:Person) WHERE n.name IS NOT NULL', 'n.name, n.id');
export const listPeople = (db: Database, page: Page) => readPage(db, LIST_PEOPLE, {}, page);

const LIST_PLACES = pageOf(
  `
MATCH (n:Place)
WHERE ($kind IS NULL OR n.kind = $kind) AND ($within IS NULL OR EXISTS { MATCH (n)-[:IN*1..6]->(:Place {id: $within}) })`,
  `n.name, n.id`,
);
export const listPlaces = (db: Database, kind: string | undefined, within: string | undefined, page: Page) =>
  readPage(db, LIST_PLACES, { kind: kind ?? null, within: within ?? null }, page);

/** Organizations based in, working in or governing a place or any place inside it. */
const ORGANIZATIONS_IN_PLACE = pageOf(
  `
MATCH (p:Place {id: $place})
MATCH (n:Organization) WHERE EXISTS { MATCH (n)-[:BASED_IN|WORKS_IN|GOVERNS]->(:Place)-[:IN*0..6]->(p) }
WITH DISTINCT n`,
  `n.name, n.id`,
);
export const organizationsInPlace = (db: Database, place: string, page: Page) => readPage(db, ORGANIZATIONS_IN_PLACE, { place }, page);

const SEARCH = `${SEARCH_ENTITIES_CYPHER.replace(/RETURN node\.id AS id, label, rank\s+ORDER BY rank DESC, id ASC/, 'WITH node, label, rank ORDER BY rank DESC, node.id ASC')}
WITH collect({node: node, label: label, rank: rank}) AS hits
WITH size(hits) AS total, hits[$offset..($offset + $limit)] AS page
UNWIND (CASE WHEN size(page) = 0 THEN [null] ELSE page END) AS hit
WITH total, hit, hit.node AS n
RETURN total, CASE WHEN n IS NULL THEN null ELSE {type: hit.label, score: hit.rank, entity: ${nodeProjection('n')}} END AS hit`;

export interface SearchRow {
  type: string;
  score: number;
  entity: NodeRow;
}

/** Full-text search over names and aliases (accent- and case-insensitive), ranked, one page. */
export async function search(db: Database, text: string, types: string[], page: Page): Promise<{ total: number; items: SearchRow[] }> {
  const params = searchParams(text, types);
  if (!params) return { total: 0, items: [] };
  const rows = await db.readRows<{ total: number; hit: SearchRow | null }>(SEARCH, { ...params, offset: page.offset, limit: page.limit });
  return { total: rows[0]?.total ?? 0, items: rows.map((r) => r.hit).filter((h): h is SearchRow => h !== null) };
}

type ActorLabel = 'Organization' | 'Person';

const CREATE_ACTOR = (label: ActorLabel) => `
CREATE (n:${label} {id: $id}) SET n += $props, n.curatedAt = datetime(), ${appendCitation('n')}
RETURN ${nodeProjection('n')} AS node`;
const UPDATE_ACTOR = (label: ActorLabel) => `
MATCH (n:${label} {id: $id}) SET n += $props, n.curatedAt = datetime(), ${appendCitation('n')}
RETURN ${nodeProjection('n')} AS node`;
/** Organizations and people share one id space for curated writes: an id taken by either is taken. */
// A merged-away entity keeps its id (it still answers as the canonical one and may be restored): it is taken too.
const EXISTING =
  'MATCH (n:Organization|Person|Merged {id: $id}) RETURN labels(n)[0] AS label, n.name AS name, coalesce(n.aliases, []) AS aliases';

/** Creates an organization or person in one transaction; CONFLICT when the id exists. */
function createActor(
  db: Database,
  label: ActorLabel,
  input: OrganizationInput | PersonInput,
  citation: CitationInput,
  id?: string,
): Promise<NodeRow> {
  return db.write(async (tx) => {
    await checkCitation(db, tx, citation);
    const naming = namingProps(input.name, input.aliases);
    if (label === 'Organization' && !(input as OrganizationInput).kind) throw badInput('input.kind', 'is required');
    const newId = id ?? slugify(naming.name);
    if ((await db.run(tx, EXISTING, { id: newId }, 'WRITE')).records.length > 0) throw alreadyExists(label, newId);
    const result = await db.run(tx, CREATE_ACTOR(label), { id: newId, props: { ...definedOnly(input), ...naming }, citation }, 'WRITE');
    await recordGraphChange(db, tx, [newId]);
    return result.records[0]!.get('node') as NodeRow;
  });
}

/** Updates the given fields of an organization or person in one transaction; NOT_FOUND when it does not exist. */
function updateActor(
  db: Database,
  label: ActorLabel,
  id: string,
  input: OrganizationInput | PersonInput,
  citation: CitationInput,
): Promise<NodeRow> {
  return db.write(async (tx) => {
    await checkCitation(db, tx, citation);
    const existing = (await db.run(tx, EXISTING, { id }, 'WRITE')).records[0];
    if (!existing || existing.get('label') !== label) throw notFound(label, id);
    const naming = namingProps(input.name, input.aliases, { name: existing.get('name'), aliases: existing.get('aliases') });
    const result = await db.run(tx, UPDATE_ACTOR(label), { id, props: { ...definedOnly(input), ...naming }, citation }, 'WRITE');
    await recordGraphChange(db, tx, [id]);
    return result.records[0]!.get('node') as NodeRow;
  });
}

export const createOrganization = (db: Database, input: OrganizationInput, citation: CitationInput, id?: string) =>
  createActor(db, 'Organization', input, citation, id);
export const updateOrganization = (db: Database, id: string, input: OrganizationInput, citation: CitationInput) =>
  updateActor(db, 'Organization', id, input, citation);
export const createPerson = (db: Database, input: PersonInput, citation: CitationInput, id?: string) =>
  createActor(db, 'Person', input, citation, id);
export const updatePerson = (db: Database, id: string, input: PersonInput, citation: CitationInput) =>
  updateActor(db, 'Person', id, input, citation);

// ---------- entity resolution: candidates, judgements, merges (services/actors/duplicates.ts) ----------

/** A blocking group: entities sharing a key; for acronyms, `ids` are the acronyms and `others` the spelled-out names. */
export interface BlockingGroup {
  feature: PairKey['feature'];
  key: string;
  ids: string[];
  others: string[] | null;
}

// Words of a folded name that make initials; an acronym is a one-word name of 3-8 letters.
const WORDS = (v: string) => `[w IN split(coalesce(${v}.normName, ''), ' ') WHERE size(w) > 1 AND NOT w IN $stopwords]`;
const INITIALS = (words: string) =>
  `CASE WHEN size(${words}) >= 3 AND size(${words}) <= 8 THEN reduce(s = '', w IN ${words} | s + left(w, 1)) END`;

/**
 * Every blocking group of a label, over the whole graph. A key shared by more than $maxGroup entities ("ministry of
 * health") says too little alone and would make thousands of pairs: it is skipped.
 */
const BLOCKING_GROUPS = (label: MergeableLabel) => `
CALL {
  MATCH (a:${label}) WHERE a.orgIdentifier IS NOT NULL
  WITH a.orgIdentifier AS key, collect(a.id) AS ids WHERE size(ids) > 1
  RETURN 'IDENTIFIER' AS feature, key, ids, null AS others
  UNION ALL
  MATCH (a:${label}) UNWIND coalesce(a.normNames, [a.normName]) AS key
  WITH key, collect(DISTINCT a.id) AS ids WHERE key IS NOT NULL AND key <> '' AND size(ids) > 1 AND size(ids) <= $maxGroup
  RETURN 'NAME' AS feature, key, ids, null AS others
  UNION ALL
  MATCH (a:${label}) WHERE $acronyms
  WITH a, ${WORDS('a')} AS words
  WITH a, CASE WHEN size(words) = 1 AND size(words[0]) >= 3 AND size(words[0]) <= 8 THEN words[0] END AS acronym, ${INITIALS('words')} AS initials
  UNWIND [k IN [['acronym', acronym], ['initials', initials]] WHERE k[1] IS NOT NULL] AS k
  WITH k[1] AS key, collect(CASE k[0] WHEN 'acronym' THEN a.id END) AS ids, collect(CASE k[0] WHEN 'initials' THEN a.id END) AS others
  WHERE size(ids) > 0 AND size(others) > 0 AND size(ids) * size(others) <= $maxGroup
  RETURN 'ACRONYM' AS feature, key, ids, others
}
RETURN feature, key, ids, others`;

/** The blocking groups one entity is in, through indexes (an acronym's spelled-out names by their first letter). */
const BLOCKING_GROUPS_OF = (label: MergeableLabel) => `
MATCH (a:${label} {id: $id})
CALL {
  WITH a MATCH (b:${label} {orgIdentifier: a.orgIdentifier}) WHERE b <> a
  RETURN 'IDENTIFIER' AS feature, a.orgIdentifier AS key, b.id AS other
  UNION ALL
  WITH a UNWIND coalesce(a.normNames, [a.normName]) AS key
  CALL db.index.fulltext.queryNodes('entity_names', '"' + key + '"') YIELD node AS b
  WITH key, a, b WHERE b:${label} AND b <> a AND key IN coalesce(b.normNames, [b.normName])
  RETURN 'NAME' AS feature, key, b.id AS other
  UNION ALL
  WITH a WITH a WHERE $acronyms
  WITH a, ${WORDS('a')} AS words
  WITH a, CASE WHEN size(words) = 1 AND size(words[0]) >= 3 AND size(words[0]) <= 8 THEN words[0] END AS acronym
  MATCH (b:${label}) WHERE acronym IS NOT NULL AND b.normName STARTS WITH left(acronym, 1) AND b <> a
  WITH acronym, b, ${WORDS('b')} AS words WHERE ${INITIALS('words')} = acronym
  RETURN 'ACRONYM' AS feature, acronym AS key, b.id AS other
  UNION ALL
  WITH a WITH a WHERE $acronyms
  WITH a, ${WORDS('a')} AS words
  WITH a, ${INITIALS('words')} AS initials
  MATCH (b:${label} {normName: initials}) WHERE b <> a
  RETURN 'ACRONYM' AS feature, initials AS key, b.id AS other
}
RETURN feature, key, other LIMIT toInteger($maxGroup)`;

const BLOCKING = { stopwords: ACRONYM_STOPWORDS, maxGroup: 50 };

/** Candidate pairs with their keys: of the whole label, or of one entity. */
export async function candidatePairs(db: Database, label: MergeableLabel, id?: string): Promise<Map<string, PairKey[]>> {
  const params = { ...BLOCKING, acronyms: label === 'Organization', id: id ?? null };
  const pairs = new Map<string, PairKey[]>();
  const add = (a: string, b: string, key: PairKey) => {
    const k = pairKey(a, b);
    const keys = pairs.get(k) ?? [];
    if (!keys.some((x) => x.feature === key.feature && x.key === key.key)) keys.push(key);
    pairs.set(k, keys);
  };
  if (id) {
    const rows = await db.readRows<{ feature: PairKey['feature']; key: string; other: string }>(BLOCKING_GROUPS_OF(label), params);
    for (const r of rows) add(id, r.other, { feature: r.feature, key: r.key });
  } else {
    const groups = await db.readRows<BlockingGroup & Record<string, unknown>>(BLOCKING_GROUPS(label), params);
    for (const g of groups) for (const [a, b] of pairsOf(g.ids, g.others)) add(a, b, { feature: g.feature, key: g.key });
  }
  return pairs;
}

/** What scoring reads about each pair, and the pair's standing judgement (the latest one not undone), if any. */
const PAIR_FACTS = (label: MergeableLabel) => `
UNWIND $pairs AS p
MATCH (a:${label} {id: p.a}) MATCH (b:${label} {id: p.b})
OPTIONAL MATCH (j:Judgement {pairKey: p.key}) WHERE j.undone = false
WITH p, a, b, j ORDER BY j.at DESC
WITH p, a, b, collect(j)[0] AS j
RETURN p.a AS a, p.b AS b, p.key AS pairKey, a.name AS aName, b.name AS bName, coalesce(a.normName, '') AS aNorm, coalesce(b.normName, '') AS bNorm,
       a.country AS aCountry, b.country AS bCountry, a.orgIdentifier AS aIdentifier, b.orgIdentifier AS bIdentifier,
       COUNT { MATCH (a)--(x) WHERE x <> b AND (x:Organization OR x:Person OR x:Network) AND EXISTS { (x)--(b) } } AS shared,
       CASE WHEN j IS NULL THEN null ELSE ${JUDGEMENT_PROJECTION('j')} END AS judgement`;

const JUDGEMENT_PROJECTION = (v: string) =>
  `${v} {.id, .verdict, .reason, .by, at: toString(${v}.at), .a, .b, .kept, .label, .undone, .undoneBy, undoneAt: toString(${v}.undoneAt), .undoReason, .supersededBy}`;

export interface JudgementRow {
  id: string;
  verdict: 'SAME' | 'NOT_SAME' | 'UNSURE';
  reason: string;
  by: string;
  at: string;
  a: string;
  b: string;
  kept: string | null;
  label: MergeableLabel;
  undone: boolean;
  undoneBy: string | null;
  undoneAt: string | null;
  undoReason: string | null;
  supersededBy: string | null;
}

/** Facts for the given pairs (ids ordered), with their standing judgement. */
export function pairFacts(db: Database, label: MergeableLabel, pairs: Array<[string, string]>) {
  return db.readRows<Omit<PairFacts, 'keys' | 'label'> & { pairKey: string; aName: string; bName: string; judgement: JudgementRow | null }>(
    PAIR_FACTS(label),
    { pairs: pairs.map(([a, b]) => ({ a, b, key: pairKey(a, b) })) },
  );
}

/** Most candidate pairs one question scores (blocking on keys first keeps real questions far below it). */
const MAX_SCORED_PAIRS = 20_000;

/** Candidate pairs of a label (or of one entity), scored, pairs judged NOT_SAME left out, best first. */
export async function findDuplicateCandidates(
  db: Database,
  label: MergeableLabel,
  id: string | undefined,
  minScore: number,
  first: number,
) {
  const keys = await candidatePairs(db, label, id);
  const pairs = [...keys.keys()].slice(0, MAX_SCORED_PAIRS).map((k) => ordered(...(k.split('|') as [string, string])));
  if (pairs.length === 0) return [];
  return (await pairFacts(db, label, pairs))
    .filter((f) => f.judgement?.verdict !== 'NOT_SAME')
    .map((f) => ({
      ...scorePair({ ...f, label, keys: keys.get(f.pairKey)! }),
      names: [f.aName, f.bName] as const,
      judgement: f.judgement ?? undefined,
    }))
    .filter((p) => p.score >= minScore)
    .sort((x, y) => y.score - x.score || (x.a + x.b).localeCompare(y.a + y.b))
    .slice(0, first);
}

const LIVE_ENTITY =
  'OPTIONAL MATCH (n:Organization|Person {id: $id}) OPTIONAL MATCH (m:Merged {id: $id}) RETURN labels(n)[0] AS label, m.mergedInto AS mergedInto';

async function liveLabel(db: Database, tx: ManagedTransaction, id: string): Promise<MergeableLabel> {
  const row = (await db.run(tx, LIVE_ENTITY, { id }, 'WRITE')).records[0]!;
  if (row.get('mergedInto'))
    throw new AppError('CONFLICT', `"${id}" was merged into "${row.get('mergedInto')}"; judge that one, or undo the merge first.`, { id });
  const label = row.get('label') as MergeableLabel | null;
  if (!label) throw notFound('Organization or Person', id);
  return label;
}

const SUPERSEDE = `
MATCH (old:Judgement {pairKey: $pairKey}) WHERE old.undone = false
SET old.undone = true, old.undoneBy = $by, old.undoneAt = datetime(), old.undoReason = 'superseded', old.supersededBy = $id`;

const CREATE_JUDGEMENT = `
CREATE (j:Judgement {id: $id, pairKey: $pairKey, verdict: $verdict, reason: $reason, by: $by, at: datetime(), a: $a, b: $b,
                     label: $label, kept: $kept, undone: false})
RETURN ${JUDGEMENT_PROJECTION('j')} AS judgement`;

/** How many relationships of each type an entity has (the whitelist of types a merge moves comes from the model). */
const RELATIONSHIP_TYPES_OF = (label: MergeableLabel) => `MATCH (n:${label} {id: $id})-[r]-() RETURN type(r) AS type, count(*) AS n`;

type Direction = 'out' | 'in';
/** `(a)-[v:TYPE]->(x)` or `(a)<-[v:TYPE]-(x)`: one relationship of a node, in one direction. */
const hop = (a: string, v: string, type: RelType, direction: Direction) =>
  direction === 'out' ? `(${a})-[${v}:${type}]->(x)` : `(${a})<-[${v}:${type}]-(x)`;

const MOVE = (label: MergeableLabel, type: RelType, direction: Direction) => `
MATCH (gone:${label} {id: $gone}) MATCH (keep:${label} {id: $keep})
MATCH ${hop('gone', 'r', type, direction)} WHERE x <> keep AND x <> gone
WITH keep, x, r, properties(r) AS props
DELETE r
CREATE ${hop('keep', 'moved', type, direction)}
SET moved = props, moved.mergeTrail = coalesce(props.mergeTrail, []) + $judgement, moved.mergedFrom = coalesce(props.mergedFrom, []) + $gone
RETURN collect(DISTINCT x.id) AS touched`;

const MOVE_BACK = (label: MergeableLabel, type: RelType, direction: Direction) => `
MATCH (gone:Merged {id: $gone}) MATCH (keep:${label} {id: $keep})
MATCH ${hop('keep', 'r', type, direction)} WHERE r.mergeTrail[-1] = $judgement
WITH gone, x, r, properties(r) AS props
DELETE r
CREATE ${hop('gone', 'back', type, direction)}
SET back = props,
    back.mergeTrail = CASE WHEN size(props.mergeTrail) > 1 THEN props.mergeTrail[..-1] END,
    back.mergedFrom = CASE WHEN size(props.mergedFrom) > 1 THEN props.mergedFrom[..-1] END
RETURN collect(DISTINCT x.id) AS touched`;

/** The merged-away entity keeps its properties (old id, identifier, names) and points at the canonical one. */
const ABSORB = (label: MergeableLabel) => `
MATCH (gone:${label} {id: $gone}) MATCH (keep:${label} {id: $keep}) MATCH (j:Judgement {id: $judgement})
WITH gone, keep, j,
     [n IN [gone.name] + coalesce(gone.aliases, []) WHERE n <> keep.name AND NOT n IN coalesce(keep.aliases, [])] AS addedAliases,
     [n IN coalesce(gone.normNames, [gone.normName]) WHERE NOT n IN coalesce(keep.normNames, [keep.normName])] AS addedNorms,
     keep.orgIdentifier IS NULL AND gone.orgIdentifier IS NOT NULL AS addsIdentifier
SET keep.aliases = coalesce(keep.aliases, []) + addedAliases, keep.normNames = coalesce(keep.normNames, [keep.normName]) + addedNorms,
    keep.orgIdentifier = coalesce(keep.orgIdentifier, gone.orgIdentifier),
    j.addedAliases = addedAliases, j.addedNormNames = addedNorms, j.addedIdentifier = addsIdentifier
SET keep.searchText = reduce(t = keep.name, a IN keep.aliases | t + ' | ' + a)
REMOVE gone:${label}
SET gone:Merged, gone.mergedLabel = $label, gone.mergedInto = keep.id
CREATE (gone)-[:MERGED_INTO {id: $judgement, judgementId: $judgement}]->(keep)`;

const RELEASE = (label: MergeableLabel) => `
MATCH (gone:Merged {id: $gone})-[link:MERGED_INTO {judgementId: $judgement}]->(keep:${label} {id: $keep}) MATCH (j:Judgement {id: $judgement})
SET keep.aliases = [n IN coalesce(keep.aliases, []) WHERE NOT n IN coalesce(j.addedAliases, [])],
    keep.normNames = [n IN coalesce(keep.normNames, []) WHERE NOT n IN coalesce(j.addedNormNames, [])],
    keep.orgIdentifier = CASE WHEN j.addedIdentifier THEN null ELSE keep.orgIdentifier END
SET keep.searchText = reduce(t = keep.name, a IN keep.aliases | t + ' | ' + a)
DELETE link
REMOVE gone:Merged, gone.mergedLabel, gone.mergedInto
SET gone:${label}`;

/** An entity's relationships, counted per type. */
async function relationshipsOf(db: Database, tx: ManagedTransaction, label: MergeableLabel, id: string): Promise<Map<string, number>> {
  const records = (await db.run(tx, RELATIONSHIP_TYPES_OF(label), { id }, 'WRITE')).records;
  return new Map(records.map((r) => [r.get('type') as string, Number(r.get('n'))]));
}

/** The types a merge may move: the model's, minus the merge link itself. */
const movableTypes = (counts: Map<string, number>): RelType[] =>
  [...counts.keys()].filter((t): t is RelType => t in RelTypes && t !== 'MERGED_INTO');

/** Runs a move statement for every type, both ways; the ids of the entities at the other ends. */
async function moveEach(
  db: Database,
  tx: ManagedTransaction,
  types: RelType[],
  statement: (type: RelType, direction: Direction) => string,
  params: Params,
) {
  const touched = new Set<string>();
  for (const type of types) {
    for (const direction of ['out', 'in'] as const) {
      const result = await db.run(tx, statement(type, direction), params, 'WRITE');
      for (const x of (result.records[0]?.get('touched') as string[] | undefined) ?? []) touched.add(x);
    }
  }
  return touched;
}

export interface JudgementInput {
  a: string;
  b: string;
  verdict: JudgementRow['verdict'];
  reason: string;
  keep?: string;
  by: string;
}

/**
 * Records a curator's verdict on a pair in one transaction. SAME merges: the kept entity (by default the one with
 * more relationships, ties to the smaller id) takes every relationship of the other, each tagged with the
 * judgement so an undo can put it back; the other becomes Merged and answers as the kept one.
 */
export function judgePair(db: Database, input: JudgementInput): Promise<JudgementRow> {
  if (input.a === input.b) throw badInput('b', 'a pair needs two different entities');
  if (input.keep && input.keep !== input.a && input.keep !== input.b) throw badInput('keep', 'must be one of the pair');
  if (input.keep && input.verdict !== 'SAME') throw badInput('keep', 'only a SAME verdict keeps one of the pair');
  return db.write(async (tx) => {
    const [labelA, labelB] = [await liveLabel(db, tx, input.a), await liveLabel(db, tx, input.b)];
    if (labelA !== labelB)
      throw badInput('b', `"${input.a}" is an ${labelA} and "${input.b}" a ${labelB}: only two of one kind can be the same`);
    const label = labelA;
    const key = pairKey(input.a, input.b);
    const id = `judgement-${randomUUID()}`;
    let kept: string | null = null;
    let gone: string | null = null;
    let goneRelationships = new Map<string, number>();
    if (input.verdict === 'SAME') {
      const [ra, rb] = [await relationshipsOf(db, tx, label, input.a), await relationshipsOf(db, tx, label, input.b)];
      const degree = (counts: Map<string, number>) => [...counts.values()].reduce((n, c) => n + c, 0);
      const [da, dbb] = [degree(ra), degree(rb)];
      kept = input.keep ?? (da !== dbb ? (da > dbb ? input.a : input.b) : ordered(input.a, input.b)[0]);
      gone = kept === input.a ? input.b : input.a;
      goneRelationships = gone === input.a ? ra : rb;
    }
    await db.run(tx, SUPERSEDE, { pairKey: key, by: input.by, id }, 'WRITE');
    const created = await db.run(
      tx,
      CREATE_JUDGEMENT,
      { id, pairKey: key, verdict: input.verdict, reason: input.reason, by: input.by, a: input.a, b: input.b, label, kept },
      'WRITE',
    );
    if (kept && gone) {
      const params = { gone, keep: kept, judgement: id };
      const touched = await moveEach(db, tx, movableTypes(goneRelationships), (type, direction) => MOVE(label, type, direction), params);
      await db.run(tx, ABSORB(label), { ...params, label }, 'WRITE');
      await recordGraphChange(db, tx, [kept, gone, ...touched]);
    }
    return created.records[0]!.get('judgement') as JudgementRow;
  });
}

const JUDGEMENT_BY_ID = `MATCH (j:Judgement {id: $id}) RETURN ${JUDGEMENT_PROJECTION('j')} AS judgement`;
const MARK_UNDONE = `
MATCH (j:Judgement {id: $id}) SET j.undone = true, j.undoneBy = $by, j.undoneAt = datetime(), j.undoReason = $reason
RETURN ${JUDGEMENT_PROJECTION('j')} AS judgement`;
const ABSORBED_LATER = 'MATCH (keep:Merged {id: $keep}) RETURN keep.mergedInto AS into';

/**
 * Undoes a judgement in one transaction. Undoing SAME restores the merged-away entity with every relationship the
 * merge moved and takes back the names it gave the kept one; a merge whose kept entity was merged again later is
 * undone after that later one (last in, first out), so nothing is put back onto the wrong entity.
 */
export function undoJudgement(db: Database, id: string, reason: string, by: string): Promise<JudgementRow> {
  return db.write(async (tx) => {
    const judgement = (await db.run(tx, JUDGEMENT_BY_ID, { id }, 'WRITE')).records[0]?.get('judgement') as JudgementRow | undefined;
    if (!judgement) throw notFound('Judgement', id);
    if (judgement.undone) throw new AppError('CONFLICT', `Judgement "${id}" was already undone (${judgement.undoReason}).`, { id });
    if (judgement.verdict === 'SAME' && judgement.kept) {
      const gone = judgement.kept === judgement.a ? judgement.b : judgement.a;
      const later = (await db.run(tx, ABSORBED_LATER, { keep: judgement.kept }, 'WRITE')).records[0]?.get('into') as string | undefined;
      if (later)
        throw new AppError('CONFLICT', `"${judgement.kept}" was merged into "${later}" afterwards: undo that judgement first.`, { id });
      const label = judgement.label;
      const params = { gone, keep: judgement.kept, judgement: id };
      const types = movableTypes(await relationshipsOf(db, tx, label, judgement.kept));
      const touched = await moveEach(db, tx, types, (type, direction) => MOVE_BACK(label, type, direction), params);
      await db.run(tx, RELEASE(label), params, 'WRITE');
      await recordGraphChange(db, tx, [judgement.kept, gone, ...touched]);
    }
    return (await db.run(tx, MARK_UNDONE, { id, by, reason }, 'WRITE')).records[0]!.get('judgement') as JudgementRow;
  });
}

const JUDGEMENTS = `
MATCH (j:Judgement) WHERE $entity IS NULL OR j.a = $entity OR j.b = $entity
WITH j ORDER BY j.at DESC, j.id LIMIT $limit
RETURN ${JUDGEMENT_PROJECTION('j')} AS judgement`;

/** Judgements, newest first: all, or those about one entity (undone ones included: the history stays). */
export async function listJudgements(db: Database, entity: string | undefined, limit: number): Promise<JudgementRow[]> {
  return (await db.readRows<{ judgement: JudgementRow }>(JUDGEMENTS, { entity: entity ?? null, limit })).map((r) => r.judgement);
}

const MERGED_FROM = `
UNWIND $ids AS id
OPTIONAL MATCH (m:Merged)-[:MERGED_INTO*1..10]->(:Organization|Person {id: id})
WITH id, m ORDER BY m.id
RETURN id, collect(m.id) AS mergedFrom`;

/** The ids merged (directly or through earlier merges) into each entity, one query per batch. */
export function mergedFromLoader(db: Database) {
  return new DataLoader<string, string[]>(async (ids) => {
    const rows = await db.readRows<{ id: string; mergedFrom: string[] }>(MERGED_FROM, { ids: [...ids] });
    const byId = new Map(rows.map((r) => [r.id, r.mergedFrom]));
    return ids.map((id) => byId.get(id) ?? []);
  });
}
