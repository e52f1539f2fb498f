import { anyEntityById, citations } from './cypher';
import type { Database } from './database';

/*
 * The relationship view: one entity's neighbourhood as nodes and edges. The insights subgraph answers it over
 * GraphQL and the exports stream it as GEXF/GraphML/JSON, so its Cypher and shapes live here, once.
 */

/** Limits of a relationship view (the API's and the exports'): hops out, and nodes returned. */
export const MAX_DEPTH = 3;
export const MAX_VIEW_NODES = 2000;

/** Relationship types that never belong in a view: bookkeeping, not relationships between actors. */
export const HIDDEN_TYPES = ['FLAGS', 'AUTHORED', 'MENTIONS'];

/** What a view reads beyond ids, names and kinds: places (nodes' city and country) and sources (edges' citations). */
export interface ViewDetail {
  places: boolean;
  sources: boolean;
}
export const FULL_VIEW: ViewDetail = { places: true, sources: true };

/** One node as views and exports show it (city and country only with `places`: each is a walk of its own). */
export const viewNode = (v: string, distance: string, detail: ViewDetail = FULL_VIEW) => `${v} {
  .id, label: labels(${v})[0], kind: toString(${v}.kind), name: coalesce(${v}.name, ${v}.title, ${v}.id), distance: ${distance},
  sourceIds: coalesce(${v}.sourceIds, [])${
    detail.places
      ? `,
  city: head([(${v})-[:BASED_IN|GOVERNS]->(p:Place {kind: 'city'}) | p.name] + [x IN [${v}] WHERE x:Place AND x.kind = 'city' | x.name]),
  country: coalesce(${v}.country, ${v}.iso2, head([(${v})-[:BASED_IN|GOVERNS|WORKS_IN|IN|HELD_IN|PLAN_OF]->(:Place)-[:IN*0..4]->(c:Place {kind: 'country'}) | c.iso2]))`
      : ''
  }}`;

/** One relationship as views and exports show it, with the sources that state it (only with `sources`). */
export const viewEdge = (r: string, detail: ViewDetail = FULL_VIEW) =>
  `{id: coalesce(${r}.id, elementId(${r})), source: startNode(${r}).id, target: endNode(${r}).id, kind: type(${r}),
  role: ${r}.role, since: ${r}.since, until: ${r}.until${detail.sources ? `, sources: ${citations(r)}` : ''}}`;

/** A relationship a view follows, and a node it may show or pass through (sources and flags are bookkeeping). */
const FOLLOWED = (r: string, m: string) =>
  `NOT type(${r}) IN $hidden AND (size($kinds) = 0 OR type(${r}) IN $kinds) AND NOT ${m}:Source AND NOT ${m}:DataQualityFlag`;

/**
 * One level of the view's breadth-first walk: the nodes one relationship beyond `frontier` not seen before, in id
 * order, appended to `found` at `distance`. Only while fewer than $limit are found, and only the level's first $limit
 * ids: with the s seen ones among them removed, that is at least $limit - s new ones, one more than the view still has
 * room for, so `truncated` stays exact. A level cut short is the last one read. Through a network of 20,000 members
 * the walk sorts their ids for the first few hundred, where enumerating every path to them took 130 ms at scale 10.
 */
const VIEW_LEVEL = (distance: number) => `
WITH center, found, frontier, [f IN found | f.node] AS seen
CALL {
  WITH center, found, frontier
  UNWIND CASE WHEN size(found) < $limit THEN frontier ELSE [] END AS x
  MATCH (x)-[r]-(m)
  WHERE m <> center AND ${FOLLOWED('r', 'm')}
  WITH DISTINCT m ORDER BY m.id LIMIT $limit
  RETURN collect(m) AS first
}
WITH center, found, [m IN first WHERE NOT m IN seen] AS next
WITH center, found + [m IN next | {node: m, distance: ${distance}}] AS found, next AS frontier`;

/**
 * The neighbourhood of one entity to `depth` hops (1-3, validated by the caller and spliced as a literal because
 * Cypher cannot take a variable-length bound as a parameter), nearest first (distance, then id), capped at $limit
 * nodes. Walked level by level (`VIEW_LEVEL`): the same nodes as every path of up to `depth` followed relationships
 * through nodes a view may show, each at its shortest distance, without enumerating those paths.
 */
export const RELATIONSHIP_VIEW = (depth: number, detail: ViewDetail = FULL_VIEW) => `
${anyEntityById('id', 'center')}
WITH center, [] AS found, [center] AS frontier
${Array.from({ length: depth }, (_, level) => VIEW_LEVEL(level + 1)).join('')}
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
WITH center, truncated, rels, collect(${viewNode('n', 'd', detail)}) AS nodes
RETURN center.id AS center, nodes, truncated,
  [r IN rels | ${viewEdge('r', detail)}] AS edges`;

export interface ViewRow {
  center: string;
  nodes: Array<Record<string, unknown>>;
  edges: Array<Record<string, unknown>>;
  truncated: boolean;
}

export async function relationshipView(
  db: Database,
  id: string,
  depth: number,
  kinds: string[],
  limit: number,
  detail: ViewDetail = FULL_VIEW,
): Promise<ViewRow | undefined> {
  const rows = await db.readRows<ViewRow>(RELATIONSHIP_VIEW(depth, detail), { id, kinds, limit, hidden: HIDDEN_TYPES });
  return rows[0];
}
