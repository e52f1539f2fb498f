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

/**
 * The neighbourhood of one entity to `depth` hops (1-3, validated by the caller and spliced as a literal because
 * Cypher cannot take a variable-length bound as a parameter), nearest first, capped at $limit nodes.
 */
export const RELATIONSHIP_VIEW = (depth: number, detail: ViewDetail = FULL_VIEW) => `
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
