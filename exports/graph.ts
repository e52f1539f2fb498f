import {
  ACTOR_MEASURES,
  type ActorMeasure,
  type ActorMeasures,
  type MeasuredActors,
  type MeasureRequest,
} from '../services/shared/actor-measures';
import type { Database } from '../services/shared/database';
import { badInput, checkCount, notFound } from '../services/shared/errors';
import { VIEWABLE_LABELS } from '../services/shared/cypher';
import { HIDDEN_TYPES, MAX_DEPTH, MAX_VIEW_NODES, relationshipView, viewNode } from '../services/shared/relationship-view';
import { RelTypes } from '../schema/model';

/** A node as every export format writes it. */
export interface ExportNode {
  id: string;
  label: string;
  kind: string | null;
  name: string;
  city: string | null;
  country: string | null;
  /** Hops from the centre in a view; null in a whole-graph export. */
  distance: number | null;
  /** Ids of the Source nodes that state this entity. */
  sourceIds: string[];
  /** Its community and centrality scores, when the export asks for them and the actor is in their scope. */
  measures?: Partial<Record<ActorMeasure, number>>;
}

/** A relationship as every export format writes it. */
export interface ExportEdge {
  id: string;
  source: string;
  target: string;
  kind: string;
  role: string | null;
  since: string | null;
  until: string | null;
  sourceIds: string[];
}

/** Nodes first, then edges (GraphML and node-link JSON need them in that order); both streams are read once. */
export interface ExportGraph {
  description: string;
  /** The measures each node may carry (columns and GraphML keys are declared for these). */
  measures: readonly ActorMeasure[];
  nodes: AsyncIterable<ExportNode>;
  edges: AsyncIterable<ExportEdge>;
}

/** Which part of the graph to export: one entity's neighbourhood, or everything. */
export type ExportScope = { kind: 'view'; center: string; depth: number; kinds: string[]; limit: number } | { kind: 'whole' };

const WHOLE_GRAPH_NODES = `
MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels)
RETURN ${viewNode('n', 'null')} AS node`;

const WHOLE_GRAPH_EDGES = `
MATCH (a)-[r]->(b)
WHERE NOT type(r) IN $hidden AND any(l IN labels(a) WHERE l IN $labels) AND any(l IN labels(b) WHERE l IN $labels)
RETURN {id: coalesce(r.id, elementId(r)), source: a.id, target: b.id, kind: type(r), role: r.role, since: r.since, until: r.until,
        sourceIds: coalesce(r.sourceIds, [])} AS edge`;

/** A whole-graph export may run far longer than an API query. */
const WHOLE_GRAPH_TIMEOUT_MS = 10 * 60_000;

/** Reads and checks a scope from query-string style options (shared by the HTTP route and the CLI). */
export function scopeFrom(options: {
  center?: string | null;
  depth?: string | null;
  kinds?: string | null;
  limit?: string | null;
}): ExportScope {
  if (!options.center) return { kind: 'whole' };
  const depth = options.depth ? Number(options.depth) : 1;
  checkCount('depth', depth, MAX_DEPTH);
  const limit = options.limit ? Number(options.limit) : MAX_VIEW_NODES;
  checkCount('limit', limit, MAX_VIEW_NODES);
  const kinds = listOf(options.kinds);
  const unknown = kinds.filter((k) => !(k in RelTypes));
  if (unknown.length > 0) throw badInput('kinds', `unknown relationship types: ${unknown.join(', ')}`);
  return { kind: 'view', center: options.center, depth, kinds, limit };
}

/** Reads and checks which measures to add to the nodes, and their scope (none asked: undefined). */
export function measuresFrom(options: {
  measures?: string | null;
  network?: string | null;
  country?: string | null;
}): MeasureRequest | undefined {
  const measures = listOf(options.measures?.toLowerCase());
  const unknown = measures.filter((m) => !(ACTOR_MEASURES as readonly string[]).includes(m));
  if (unknown.length > 0) throw badInput('measures', `unknown measures: ${unknown.join(', ')}; use ${ACTOR_MEASURES.join(', ')}`);
  if (measures.length === 0) {
    if (options.network || options.country) throw badInput('measures', '`network` and `country` scope the measures: name some');
    return undefined;
  }
  return {
    measures: [...new Set(measures)] as ActorMeasure[],
    network: options.network ?? undefined,
    country: options.country ?? undefined,
  };
}

/** The measures asked for, computed by `provide` (the insights subgraph's, handed in); none asked: undefined. */
export async function measureActors(
  db: Database,
  wanted: MeasureRequest | undefined,
  provide: ActorMeasures | undefined,
): Promise<(MeasuredActors & MeasureRequest) | undefined> {
  if (!wanted) return undefined;
  if (!provide) throw badInput('measures', 'this server computes no measures for exports');
  return { ...wanted, ...(await provide(db, wanted, WHOLE_GRAPH_TIMEOUT_MS)) };
}

const listOf = (text: string | null | undefined) =>
  (text ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);

/**
 * Opens the graph to export. A view is the relationship view (at most MAX_VIEW_NODES nodes, read at once and
 * checked before anything is written, so an unknown centre is a clean NOT_FOUND); the whole graph streams.
 */
export async function openExport(db: Database, scope: ExportScope, measured?: MeasuredActors & MeasureRequest): Promise<ExportGraph> {
  const measures = measured?.measures ?? [];
  const note = measured ? `; ${measured.note}` : '';
  if (scope.kind === 'view') {
    const view = await relationshipView(db, scope.center, scope.depth, scope.kinds, scope.limit);
    if (!view) throw notFound('entity', scope.center);
    const nodes = view.nodes as unknown as ExportNode[];
    const edges = (view.edges as Array<Record<string, unknown>>).map((e) => ({
      ...(e as unknown as ExportEdge),
      sourceIds: ((e.sources as Array<{ id: string }> | undefined) ?? []).map((s) => s.id),
    }));
    return {
      description: `Relationship view of ${scope.center}, depth ${scope.depth}${scope.kinds.length ? `, kinds ${scope.kinds.join('+')}` : ''}${view.truncated ? ' (truncated)' : ''}${note}`,
      measures,
      nodes: withMeasures(fromArray(nodes), measured),
      edges: fromArray(edges),
    };
  }
  await db.ping();
  const params = { labels: [...VIEWABLE_LABELS], hidden: HIDDEN_TYPES };
  return {
    description: `The whole OGP graph${note}`,
    measures,
    nodes: withMeasures(pluck(db.stream<{ node: ExportNode }>(WHOLE_GRAPH_NODES, params, WHOLE_GRAPH_TIMEOUT_MS), 'node'), measured),
    edges: pluck(db.stream<{ edge: ExportEdge }>(WHOLE_GRAPH_EDGES, params, WHOLE_GRAPH_TIMEOUT_MS), 'edge'),
  };
}

async function* withMeasures(nodes: AsyncIterable<ExportNode>, measured: MeasuredActors | undefined): AsyncGenerator<ExportNode> {
  for await (const node of nodes) {
    const values = measured?.values.get(node.id);
    yield values ? { ...node, measures: values } : node;
  }
}

async function* fromArray<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

async function* pluck<K extends string, T>(rows: AsyncIterable<Record<K, T>>, key: K): AsyncGenerator<T> {
  for await (const row of rows) yield row[key];
}
