import type { ActorMeasure } from '../services/shared/actor-measures';
import type { ExportEdge, ExportGraph, ExportNode } from './graph';

/** The formats researchers take into their own tools. */
export const EXPORT_FORMATS = {
  graphml: {
    contentType: 'application/graphml+xml; charset=utf-8',
    file: 'ogp-graph.graphml',
    what: 'GraphML (Gephi, networkx, Cytoscape desktop, yEd)',
  },
  json: { contentType: 'application/json; charset=utf-8', file: 'ogp-graph.json', what: 'node-link JSON (networkx node_link_graph, D3)' },
  'nodes.csv': { contentType: 'text/csv; charset=utf-8', file: 'nodes.csv', what: 'node table (Gephi spreadsheet import: Id, Label, ...)' },
  'edges.csv': {
    contentType: 'text/csv; charset=utf-8',
    file: 'edges.csv',
    what: 'edge table (Gephi spreadsheet import: Source, Target, Type, ...)',
  },
} as const;
export type ExportFormat = keyof typeof EXPORT_FORMATS;

export const isExportFormat = (value: string): value is ExportFormat => Object.hasOwn(EXPORT_FORMATS, value);

/** Writes one format as a stream of text chunks, one per node or edge, so nothing is held in memory. */
export function render(format: ExportFormat, graph: ExportGraph): AsyncGenerator<string> {
  switch (format) {
    case 'graphml':
      return graphml(graph);
    case 'json':
      return nodeLinkJson(graph);
    case 'nodes.csv':
      return nodesCsv(graph.nodes, graph.measures);
    case 'edges.csv':
      return edgesCsv(graph.edges);
  }
}

// ---------- GraphML ----------

const NODE_KEYS: Array<[keyof ExportNode, string, 'string' | 'int']> = [
  ['name', 'name', 'string'],
  ['label', 'type', 'string'],
  ['kind', 'kind', 'string'],
  ['city', 'city', 'string'],
  ['country', 'country', 'string'],
  ['distance', 'distance', 'int'],
  ['sourceIds', 'sources', 'string'],
];
const EDGE_KEYS: Array<[keyof ExportEdge, string]> = [
  ['kind', 'kind'],
  ['role', 'role'],
  ['since', 'since'],
  ['until', 'until'],
  ['sourceIds', 'sources'],
];

async function* graphml(graph: ExportGraph): AsyncGenerator<string> {
  yield (
    '<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
  );
  for (const [, name, type] of NODE_KEYS) yield `  <key id="n_${name}" for="node" attr.name="${name}" attr.type="${type}"/>\n`;
  for (const measure of graph.measures)
    yield `  <key id="n_${measure}" for="node" attr.name="${measure}" attr.type="${measure === 'community' ? 'int' : 'double'}"/>\n`;
  for (const [, name] of EDGE_KEYS) yield `  <key id="e_${name}" for="edge" attr.name="${name}" attr.type="string"/>\n`;
  yield `  <graph id="ogp" edgedefault="directed">\n    <desc>${xml(graph.description)}</desc>\n`;
  for await (const node of graph.nodes) {
    let out = `    <node id="${xml(node.id)}">`;
    for (const [field, name] of NODE_KEYS) {
      const value = cell(node[field]);
      if (value !== '') out += `<data key="n_${name}">${xml(value)}</data>`;
    }
    for (const measure of graph.measures) {
      const value = node.measures?.[measure];
      if (value !== undefined) out += `<data key="n_${measure}">${value}</data>`;
    }
    yield `${out}</node>\n`;
  }
  for await (const edge of graph.edges) {
    let out = `    <edge id="${xml(edge.id)}" source="${xml(edge.source)}" target="${xml(edge.target)}">`;
    for (const [field, name] of EDGE_KEYS) {
      const value = cell(edge[field]);
      if (value !== '') out += `<data key="e_${name}">${xml(value)}</data>`;
    }
    yield `${out}</edge>\n`;
  }
  yield '  </graph>\n</graphml>\n';
}

/** XML 1.0 forbids most control characters even escaped; drop them, escape the markup ones. */
function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

// ---------- node-link JSON ----------

/** networkx's node-link layout (`json_graph.node_link_graph(data)` reads it back); edge ids go in `key`. */
async function* nodeLinkJson(graph: ExportGraph): AsyncGenerator<string> {
  yield `{"directed":true,"multigraph":true,"graph":${JSON.stringify({ name: graph.description })},"nodes":[`;
  let first = true;
  for await (const { measures, ...node } of graph.nodes) {
    // Measures as plain node attributes, as networkx and Gephi read them.
    yield `${first ? '\n' : ',\n'}${JSON.stringify({ ...node, ...measures })}`;
    first = false;
  }
  yield '\n],"links":[';
  first = true;
  for await (const { id, ...edge } of graph.edges) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify({ key: id, ...edge })}`;
    first = false;
  }
  yield '\n]}\n';
}

// ---------- CSV ----------

async function* nodesCsv(nodes: AsyncIterable<ExportNode>, measures: readonly ActorMeasure[]): AsyncGenerator<string> {
  yield ['Id,Label,type,kind,city,country,distance,sources', ...measures].join(',') + '\r\n';
  for await (const n of nodes)
    yield csvRow([n.id, n.name, n.label, n.kind, n.city, n.country, n.distance, n.sourceIds, ...measures.map((m) => n.measures?.[m])]);
}

async function* edgesCsv(edges: AsyncIterable<ExportEdge>): AsyncGenerator<string> {
  yield 'Id,Source,Target,Type,kind,role,since,until,sources\r\n';
  for await (const e of edges) yield csvRow([e.id, e.source, e.target, 'Directed', e.kind, e.role, e.since, e.until, e.sourceIds]);
}

/** RFC 4180: quote a field holding a comma, quote or line break, doubling inner quotes. */
function csvRow(values: unknown[]): string {
  return `${values
    .map((v) => {
      const text = cell(v);
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',')}\r\n`;
}

/** Lists (source ids) join with ";" so one cell holds them; absent values are empty. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(';');
  return String(value);
}
