import type { Database } from '../shared/database';
import { recordGraphChange } from '../shared/graph-changes';
import { appendCitation, nodeProjection, pageOf, readPage, type NeighbourSpec } from '../shared/cypher';
import { alreadyExists, checkCitation, definedOnly, namingProps, slugify } from '../shared/curation';
import { badInput, notFound } from '../shared/errors';
import type { CitationInput, NodeRow } from '../shared/graphql/common';
import type { Page } from '../shared/graphql/pagination';
import { SEARCH_ENTITIES_CYPHER, searchParams } from '../shared/search';
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

const ORDER = { name: 'n.name', kind: 'n.kind', country: 'n.country' } as const;

// Every organization has a name; saying so lets Neo4j read a page by name in index order.
const LIST_ORGANIZATIONS = (order: string, direction: 'ASC' | 'DESC') => pageOf(`
MATCH (n:Organization)
WHERE ${order === 'n.name' ? 'n.name IS NOT NULL AND ' : ''}($kinds IS NULL OR n.kind IN $kinds)
  AND ($country IS NULL OR n.country = $country)
  AND ($level IS NULL OR n.level = $level)
  AND ($place IS NULL OR EXISTS { MATCH (n)-[:BASED_IN|WORKS_IN|GOVERNS]->(:Place)-[:IN*0..6]->(:Place {id: $place}) })
  AND ($network IS NULL OR EXISTS { MATCH (n)-[:MEMBER_OF|HUB_FOR]->(:Network)-[:PART_OF*0..2]->(:Network {id: $network}) })`, `${order} ${direction}, n.id ASC`);

/** A page of organizations matching the filter, in a stable order. */
export function listOrganizations(db: Database, filter: OrganizationFilter, sort: keyof typeof ORDER, direction: 'ASC' | 'DESC', page: Page) {
  return readPage(db, LIST_ORGANIZATIONS(ORDER[sort], direction), {
    kinds: filter.kinds ?? null, country: filter.country ?? null, level: filter.level ?? null, place: filter.place ?? null,
    network: filter.network ?? null,
  }, page);
}

const LIST_PEOPLE = pageOf('MATCH (n:Person) WHERE n.name IS NOT NULL', 'n.name, n.id');
export const listPeople = (db: Database, page: Page) => readPage(db, LIST_PEOPLE, {}, page);

const LIST_PLACES = pageOf(`
MATCH (n:Place)
WHERE ($kind IS NULL OR n.kind = $kind) AND ($within IS NULL OR EXISTS { MATCH (n)-[:IN*1..6]->(:Place {id: $within}) })`, `n.name, n.id`);
export const listPlaces = (db: Database, kind: string | undefined, within: string | undefined, page: Page) =>
  readPage(db, LIST_PLACES, { kind: kind ?? null, within: within ?? null }, page);

/** Organizations based in, working in or governing a place or any place inside it. */
const ORGANIZATIONS_IN_PLACE = pageOf(`
MATCH (p:Place {id: $place})
MATCH (n:Organization) WHERE EXISTS { MATCH (n)-[:BASED_IN|WORKS_IN|GOVERNS]->(:Place)-[:IN*0..6]->(p) }
WITH DISTINCT n`, `n.name, n.id`);
export const organizationsInPlace = (db: Database, place: string, page: Page) => readPage(db, ORGANIZATIONS_IN_PLACE, { place }, page);

const SEARCH = `${SEARCH_ENTITIES_CYPHER.replace(/RETURN node\.id AS id, label, rank\s+ORDER BY rank DESC, id ASC/, 'WITH node, label, rank ORDER BY rank DESC, node.id ASC')}
WITH collect({node: node, label: label, rank: rank}) AS hits
WITH size(hits) AS total, hits[$offset..($offset + $limit)] AS page
UNWIND (CASE WHEN size(page) = 0 THEN [null] ELSE page END) AS hit
WITH total, hit, hit.node AS n
RETURN total, CASE WHEN n IS NULL THEN null ELSE {type: hit.label, score: hit.rank, entity: ${nodeProjection('n')}} END AS hit`;

export interface SearchRow { type: string; score: number; entity: NodeRow }

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
const EXISTING = 'MATCH (n:Organization|Person {id: $id}) RETURN labels(n)[0] AS label, n.name AS name, coalesce(n.aliases, []) AS aliases';

/** Creates an organization or person in one transaction; CONFLICT when the id exists. */
function createActor(db: Database, label: ActorLabel, input: OrganizationInput | PersonInput, citation: CitationInput, id?: string): Promise<NodeRow> {
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
function updateActor(db: Database, label: ActorLabel, id: string, input: OrganizationInput | PersonInput, citation: CitationInput): Promise<NodeRow> {
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

export const createOrganization = (db: Database, input: OrganizationInput, citation: CitationInput, id?: string) => createActor(db, 'Organization', input, citation, id);
export const updateOrganization = (db: Database, id: string, input: OrganizationInput, citation: CitationInput) => updateActor(db, 'Organization', id, input, citation);
export const createPerson = (db: Database, input: PersonInput, citation: CitationInput, id?: string) => createActor(db, 'Person', input, citation, id);
export const updatePerson = (db: Database, id: string, input: PersonInput, citation: CitationInput) => updateActor(db, 'Person', id, input, citation);
