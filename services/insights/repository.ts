import type { Database } from '../shared/database';
import { anyEntityById, citations, VIEWABLE_LABELS } from '../shared/cypher';
import { LINK_TYPES, type IndexEdgeRow, type IndexNodeRow } from './collaboration-index';
import * as q from './questions';
import { cityOf, countryOf, summary } from './questions';

/** Limits of a relationship view (the API's and the exports'): hops out, and nodes returned. */
export const MAX_DEPTH = 3;
export const MAX_VIEW_NODES = 2000;

/** Relationship types that never belong in a view: bookkeeping, not relationships between actors. */
export const HIDDEN_TYPES = ['FLAGS', 'AUTHORED', 'MENTIONS'];

/** One node as views and exports show it. */
export const viewNode = (v: string, distance: string) => `${v} {
  .id, label: labels(${v})[0], kind: toString(${v}.kind), name: coalesce(${v}.name, ${v}.title, ${v}.id), distance: ${distance},
  sourceIds: coalesce(${v}.sourceIds, []),
  city: head([(${v})-[:BASED_IN|GOVERNS]->(p:Place {kind: 'city'}) | p.name] + [x IN [${v}] WHERE x:Place AND x.kind = 'city' | x.name]),
  country: coalesce(${v}.country, ${v}.iso2, head([(${v})-[:BASED_IN|GOVERNS|WORKS_IN|IN|HELD_IN|PLAN_OF]->(:Place)-[:IN*0..4]->(c:Place {kind: 'country'}) | c.iso2]))}`;

/** One relationship as views and exports show it, with the sources that state it. */
export const viewEdge = (r: string) => `{id: coalesce(${r}.id, elementId(${r})), source: startNode(${r}).id, target: endNode(${r}).id, kind: type(${r}),
  role: ${r}.role, since: ${r}.since, until: ${r}.until, sources: ${citations(r)}}`;

/**
 * The neighbourhood of one entity to `depth` hops (1-3, validated by the caller and spliced as a literal because
 * Cypher cannot take a variable-length bound as a parameter), nearest first, capped at $limit nodes.
 */
export const RELATIONSHIP_VIEW = (depth: number) => `
${anyEntityById('id', 'center')}
OPTIONAL MATCH path = (center)-[rels*1..${depth}]-(m)
WHERE all(r IN rels WHERE NOT type(r) IN $hidden AND (size($kinds) = 0 OR type(r) IN $kinds))
  AND all(n IN nodes(path) WHERE NOT n:Source AND NOT n:DataQualityFlag)
  AND m <> center
WITH center, m, min(length(path)) AS distance
ORDER BY distance, m.id
WITH center, collect(CASE WHEN m IS NULL THEN null ELSE {node: m, distance: distance} END) AS found
WITH center, found[0..$limit - 1] AS kept, size(found) > $limit - 1 AS truncated
WITH center, truncated, [center] + [k IN kept | k.node] AS keep, [{node: center, distance: 0}] + kept AS withDistance
CALL {
  WITH keep
  UNWIND keep AS a
  MATCH (a)-[r]->(b)
  WHERE b IN keep AND NOT type(r) IN $hidden AND (size($kinds) = 0 OR type(r) IN $kinds)
  RETURN collect(DISTINCT r) AS rels
}
UNWIND withDistance AS entry
WITH center, truncated, rels, entry.node AS n, entry.distance AS d
WITH center, truncated, rels, collect(${viewNode('n', 'd')}) AS nodes
RETURN center.id AS center, nodes, truncated,
  [r IN rels | ${viewEdge('r')}] AS edges`;

export interface ViewRow {
  center: string;
  nodes: Array<Record<string, unknown>>;
  edges: Array<Record<string, unknown>>;
  truncated: boolean;
}

export async function relationshipView(db: Database, id: string, depth: number, kinds: string[], limit: number): Promise<ViewRow | undefined> {
  const rows = await db.readRows<ViewRow>(RELATIONSHIP_VIEW(depth), { id, kinds, limit, hidden: HIDDEN_TYPES });
  return rows[0];
}

/* ---- The collaboration index (live-index.ts): loading it, refreshing changed entities, explaining its paths ---- */

const INDEXED_LABELS = [...VIEWABLE_LABELS, 'ContractingProcess'] as const;
const LINK_TYPE_EXPRESSION = LINK_TYPES.join('|');

/** A node of any indexed label by the id in variable `idVar` (a UNION of unique-index seeks), as `x`. */
const seekAnyLabel = (idVar: string, optional = false) =>
  `${optional ? 'OPTIONAL ' : ''}CALL { ${INDEXED_LABELS.map((label) => `WITH ${idVar} MATCH (x:${label} {id: ${idVar}}) RETURN x`).join(' UNION ')} }`;

const indexNode = (v: string) =>
  `${v} {.id, actor: (${v}:Organization OR ${v}:Person), name: coalesce(${v}.name, ${v}.title, ${v}.id), city: ${cityOf(v)}, country: ${countryOf(v)}}`;

const indexEdge = (r: string) =>
  `{rel: id(${r}), type: type(${r}), from: startNode(${r}).id, to: endNode(${r}).id, since: toString(coalesce(${r}.since, ${r}.date)), until: toString(${r}.until)}`;

/**
 * Streams every actor, then every link relationship, into `sink` (a snapshot per statement; changes made meanwhile
 * reach the index through the journal). Relationships come grouped by start node, as lists: a fifth of the rows
 * and no maps, which is what bounds the load (the driver's cost is per record).
 */
export async function loadIndexRows(db: Database, sink: { node(row: IndexNodeRow): void; edge(row: IndexEdgeRow): void }, timeoutMs: number): Promise<void> {
  for await (const row of db.stream<{ n: IndexNodeRow }>(`MATCH (n:Organization|Person) RETURN ${indexNode('n')} AS n`, {}, timeoutMs)) sink.node(row.n);
  const out = `COLLECT { MATCH (a)-[r:${LINK_TYPE_EXPRESSION}]->(b) WHERE b.id IS NOT NULL
    RETURN [id(r), type(r), b.id, toString(coalesce(r.since, r.date)), toString(r.until)] }`;
  for await (const row of db.stream<{ from: string; out: Array<[number, string, string, string | null, string | null]> }>(
    `MATCH (a) WHERE a.id IS NOT NULL AND EXISTS { (a)-[:${LINK_TYPE_EXPRESSION}]->() } RETURN a.id AS from, ${out} AS out`, {}, timeoutMs)) {
    for (const [rel, type, to, since, until] of row.out) sink.edge({ rel, type, from: row.from, to, since, until });
  }
}

export interface RefreshedEntity { id: string; node: IndexNodeRow | null; edges: Array<IndexEdgeRow & { other: IndexNodeRow }> }

/** The current state of some entities: what they are and all their link relationships (node null: gone). */
export function refreshRows(db: Database, ids: string[]): Promise<RefreshedEntity[]> {
  return db.readRows<RefreshedEntity>(`
UNWIND $ids AS wanted
${seekAnyLabel('wanted', true)}
RETURN wanted AS id, CASE WHEN x IS NULL THEN null ELSE ${indexNode('x')} END AS node,
  CASE WHEN x IS NULL THEN [] ELSE COLLECT { MATCH (x)-[r:${LINK_TYPE_EXPRESSION}]-(y) WHERE y.id IS NOT NULL RETURN ${indexEdge('r').slice(0, -1)}, other: ${indexNode('y')}} } END AS edges`, { ids });
}

/** Neo4j's clock, so journal times and load times compare on one clock. */
export async function serverTime(db: Database): Promise<number> {
  const [row] = await db.readRows<{ now: number }>('RETURN timestamp() AS now');
  return row!.now;
}

/** Neo4j's clock now, and the journal entries recorded at or after `since` (ids and times only): one round trip. */
export async function recentChanges(db: Database, since: number): Promise<{ now: number; changes: Array<{ id: string; at: number }> }> {
  const [row] = await db.readRows<{ now: number; changes: Array<{ id: string; at: number }> }>(
    'RETURN timestamp() AS now, COLLECT { MATCH (c:GraphChange) WHERE c.at >= $since RETURN c {.id, .at} } AS changes', { since });
  return row!;
}

/** What the given journal entries say changed. */
export const changeContents = (db: Database, ids: string[]) =>
  db.readRows<{ at: number; ids: string[]; everything: boolean }>(
    'UNWIND $ids AS cid MATCH (c:GraphChange {id: cid}) RETURN c.at AS at, c.ids AS ids, coalesce(c.everything, false) AS everything', { ids });

/** Deletes journal entries older than `before`, a bounded batch at a time. */
export async function pruneChanges(db: Database, before: number): Promise<void> {
  for (;;) {
    const [row] = await db.writeRows<{ n: number }>('MATCH (c:GraphChange) WHERE c.at < $before WITH c LIMIT 5000 DELETE c RETURN count(*) AS n', { before });
    if (!row || row.n < 5000) return;
  }
}

export interface ExplainedRel { id: string; type: string; from: string; to: string; role?: string; since?: string; until?: string; amount?: number; currency?: string; sources: unknown[] }
export interface SummaryRow { id: string; label: string; kind?: string; name: string; city?: string; country?: string }

const explainedRel = (r: string) => `{id: coalesce(${r}.id, elementId(${r})), type: type(${r}), from: startNode(${r}).id, to: endNode(${r}).id, role: ${r}.role,
    since: coalesce(${r}.since, ${r}.date), until: ${r}.until, amount: ${r}.amount, currency: ${r}.currency, sources: ${citations(r)}}`;

/**
 * The relationships of index paths by Neo4j id (seeks by id, no label needed), with role, dates, money and
 * sources, and summaries of both their ends: everything a page of paths shows, in one round trip.
 */
export async function pathDetails(db: Database, rels: number[]): Promise<{ summaries: Map<string, SummaryRow>; rels: Map<number, ExplainedRel> }> {
  if (rels.length === 0) return { summaries: new Map(), rels: new Map() };
  const rows = await db.readRows<{ rid: number; rel: ExplainedRel; a: SummaryRow; b: SummaryRow }>(
    `UNWIND $rels AS rid MATCH (a)-[r]->(b) WHERE id(r) = rid RETURN rid, ${explainedRel('r')} AS rel, ${summary('a')} AS a, ${summary('b')} AS b`, { rels });
  return { summaries: new Map(rows.flatMap((row) => [[row.a.id, row.a], [row.b.id, row.b]])), rels: new Map(rows.map((row) => [row.rid, row.rel])) };
}

/** Compact summaries (id, label, kind, name, city, country) of entities by id; missing ones are left out. */
export async function summariesById(db: Database, ids: string[]): Promise<Map<string, SummaryRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.readRows<{ s: SummaryRow }>(`UNWIND $ids AS wanted ${seekAnyLabel('wanted')} RETURN ${summary('x')} AS s`, { ids });
  return new Map(rows.map((r) => [r.s.id, r.s]));
}

/**
 * Runs every query text the insights questions send once, on an id that matches nothing (TOP_OVERLAPS, which would
 * read every network, is only planned), so the first request of each shape finds its plan cached and the code it
 * needs warm. A question with uncommon link kinds or depths is planned on first use.
 */
export async function warmPlans(db: Database): Promise<void> {
  const none = '(warming)';
  const runs: Array<[string, Record<string, unknown>]> = [
    ...([1, 2, 3, 4] as const).flatMap((depth) => [q.FUNDING_TRAIL('DOWNSTREAM', depth), q.FUNDING_TRAIL('UPSTREAM', depth)].map((text): [string, Record<string, unknown>] => [text, { id: none }])),
    ...[1, 2, 3].map((depth): [string, Record<string, unknown>] => [RELATIONSHIP_VIEW(depth), { id: none, kinds: [], limit: 1, hidden: HIDDEN_TYPES }]),
    [q.NETWORK_OVERLAP, { a: none, b: none }], [`EXPLAIN ${q.TOP_OVERLAPS}`, {}], [q.NETWORKS_EXIST, { ids: [none] }],
    [q.ENDPOINTS_EXIST, { from: none, to: none }],
  ];
  for (const [text, params] of runs) await db.readRows(text, params);
  await Promise.all([pathDetails(db, [-1]), summariesById(db, [none]), recentChanges(db, Date.now()), refreshRows(db, [none]), networkFamily(db, none)]);
}

/** A network's family (itself and the networks PART_OF it, two levels down) and the actors that belong to any of
 * them (members and hubs): the scope of a brokers question. */
export async function networkFamily(db: Database, network: string): Promise<{ networks: string[]; actors: string[] }> {
  const [row] = await db.readRows<{ networks: string[]; actors: string[] }>(`
MATCH (top:Network {id: $network})
CALL { WITH top MATCH (g:Network)-[:PART_OF*0..2]->(top) RETURN collect(DISTINCT g) AS family }
RETURN [g IN family | g.id] AS networks,
  COLLECT { UNWIND family AS g MATCH (x:Organization|Person)-[:MEMBER_OF|HUB_FOR]->(g) RETURN DISTINCT x.id } AS actors`, { network });
  return row ?? { networks: [], actors: [] };
}
