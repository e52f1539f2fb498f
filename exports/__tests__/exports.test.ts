import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { KEYS, PROJECT_DIR, TS_REGISTER } from '../../test/support/env';
import { startStack, type Stack } from '../../test/support/stack';

let stack: Stack;
let base: string;
beforeAll(async () => {
  stack = await startStack();
  base = stack.gateway.url.replace(/\/graphql$/, '');
});
afterAll(() => stack.close());

const VIEW = `query($id: ID!, $depth: Int) { relationshipView(id: $id, depth: $depth, limit: 100) { truncated nodes { id name label } edges { id source target kind } } }`;
const CENTER = 'loci-buenos-aires';

/** GraphML read back by an independent parser (fast-xml-parser), not by our writer's code. */
function readGraphml(text: string) {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name, _path, _leaf, isAttribute) => !isAttribute && ['node', 'edge', 'data', 'key'].includes(name) }).parse(text);
  const graph = doc.graphml.graph;
  const keys = new Map<string, string>((doc.graphml.key as Array<{ id: string; 'attr.name': string }>).map((k) => [k.id, k['attr.name']]));
  const attrs = (el: { data?: Array<{ key: string; '#text': unknown }> }) => Object.fromEntries((el.data ?? []).map((d) => [keys.get(d.key), String(d['#text'])]));
  return {
    nodes: ((graph.node ?? []) as Array<{ id: string }>).map((n) => ({ id: String(n.id), ...attrs(n as never) })),
    edges: ((graph.edge ?? []) as Array<{ id: string; source: string; target: string }>).map((e) => ({ id: String(e.id), source: String(e.source), target: String(e.target), ...attrs(e as never) })),
  };
}

describe('exports of a relationship view', () => {
  it('GraphML holds exactly the nodes and edges of the view, names with their accents, edges with their sources', async () => {
    const { body } = await stack.query(VIEW, { id: CENTER, depth: 2 });
    const view = body.data.relationshipView;
    const response = await fetch(`${base}/export/graphml?center=${CENTER}&depth=2&limit=100`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/graphml/);
    const graph = readGraphml(await response.text());
    expect(graph.nodes).toHaveLength(view.nodes.length);
    expect(graph.edges).toHaveLength(view.edges.length);
    expect(Object.fromEntries(graph.nodes.map((n) => [n.id, n.name]))).toEqual(Object.fromEntries(view.nodes.map((n: { id: string; name: string }) => [n.id, n.name])));
    expect(new Set(graph.edges.map((e) => e.id))).toEqual(new Set(view.edges.map((e: { id: string }) => e.id)));
    expect(graph.nodes.some((n) => /[^\x00-\x7F]/.test(n.name!))).toBe(true);
    expect(graph.edges.every((e) => (e as { sources?: string }).sources?.startsWith('src-'))).toBe(true);
  });

  it('CSV and node-link JSON carry the same counts', async () => {
    const { body } = await stack.query(VIEW, { id: CENTER, depth: 1 });
    const view = body.data.relationshipView;
    const nodes = parseCsv(await (await fetch(`${base}/export/nodes.csv?center=${CENTER}&limit=100`)).text(), { columns: true }) as Array<Record<string, string>>;
    const edges = parseCsv(await (await fetch(`${base}/export/edges.csv?center=${CENTER}&limit=100`)).text(), { columns: true }) as Array<Record<string, string>>;
    expect(nodes).toHaveLength(view.nodes.length);
    expect(edges).toHaveLength(view.edges.length);
    expect(Object.keys(nodes[0]!)).toEqual(['Id', 'Label', 'type', 'kind', 'city', 'country', 'distance', 'sources']);
    expect(edges.every((e) => e.Type === 'Directed' && e.kind && e.Source && e.Target)).toBe(true);
    const json = await (await fetch(`${base}/export/json?center=${CENTER}&limit=100`)).json() as { nodes: unknown[]; links: Array<{ key: string; source: string }> };
    expect(json.nodes).toHaveLength(view.nodes.length);
    expect(json.links.map((l) => l.key).sort()).toEqual(view.edges.map((e: { id: string }) => e.id).sort());
  });

  it('answers bad requests with a code before writing anything', async () => {
    const unknown = await fetch(`${base}/export/graphml?center=no-such-entity`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).errors[0].extensions.code).toBe('NOT_FOUND');
    const deep = await fetch(`${base}/export/graphml?center=${CENTER}&depth=9`);
    expect(deep.status).toBe(400);
    expect(((await deep.json()) as any).errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'depth' } });
    const format = await fetch(`${base}/export/xlsx?center=${CENTER}`);
    expect(format.status).toBe(404);
    const whole = await fetch(`${base}/export/graphml`);
    expect(whole.status).toBe(401);
    expect(((await whole.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('export of the whole graph', () => {
  // Other test files write to the same database meanwhile; the seed's own facts are what stays put.
  const seedSources: string[] = (parseYaml(readFileSync(join(PROJECT_DIR, 'seed/data/sources.yaml'), 'utf8')) as Array<{ id: string }>).map((s) => s.id);
  const fromSeed = (sources: string | undefined) => (sources ?? '').split(';').some((s) => seedSources.includes(s));

  it('streams every seed entity and relationship as GraphML for a researcher', async () => {
    const response = await fetch(`${base}/export/graphml`, { headers: { 'x-api-key': KEYS.researcher } });
    expect(response.status).toBe(200);
    const graph = readGraphml(await response.text());
    const [expected] = await stack.db.readRows<{ nodes: number; edges: number }>(`
      CALL { MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels) AND any(s IN n.sourceIds WHERE s IN $seed) RETURN count(n) AS nodes }
      CALL { MATCH (a)-[r]->(b) WHERE any(s IN r.sourceIds WHERE s IN $seed) AND NOT type(r) IN ['FLAGS', 'AUTHORED', 'MENTIONS']
               AND any(l IN labels(a) WHERE l IN $labels) AND any(l IN labels(b) WHERE l IN $labels) RETURN count(r) AS edges }
      RETURN nodes, edges`, { seed: seedSources, labels: ['Organization', 'Person', 'Place', 'Network', 'Event', 'Grant', 'Result', 'ActionPlan', 'Commitment', 'Initiative'] });
    expect(graph.nodes.filter((n) => fromSeed((n as { sources?: string }).sources))).toHaveLength(expected!.nodes);
    expect(graph.edges.filter((e) => fromSeed((e as { sources?: string }).sources))).toHaveLength(expected!.edges);
    const ids = new Set(graph.nodes.map((n) => n.id));
    expect(graph.edges.filter((e) => fromSeed((e as { sources?: string }).sources)).every((e) => ids.has(e.source) && ids.has(e.target))).toBe(true);
  });

  it('writes nodes.csv and edges.csv from the command line', () => {
    const out = mkdtempSync(join(tmpdir(), 'ogp-export-'));
    const run = spawnSync(process.execPath, ['-r', TS_REGISTER, 'bin/export.ts', 'csv', '--center', CENTER, '--depth', '2', '--out', out], {
      cwd: PROJECT_DIR, env: process.env, encoding: 'utf8', timeout: 60_000,
    });
    expect(run.stderr).toMatch(/wrote .*nodes\.csv/);
    expect(run.status).toBe(0);
    const nodes = parseCsv(readFileSync(join(out, 'nodes.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
    const edges = parseCsv(readFileSync(join(out, 'edges.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(nodes[0]).toMatchObject({ Id: CENTER, distance: '0' });
    const ids = new Set(nodes.map((n) => n.Id));
    expect(edges.length).toBeGreaterThan(0);
    expect(edges.every((e) => ids.has(e.Source!) && ids.has(e.Target!))).toBe(true);
  });
});
