import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parse as parseCsv } from 'csv-parse/sync';
import { planSeed, readSeedData } from '../../seed/load';
import { VIEWABLE_LABELS } from '../../services/shared/cypher';
import { HIDDEN_TYPES } from '../../services/shared/relationship-view';
import { KEYS, PROJECT_DIR, TS_REGISTER } from '../../test/support/env';
import { ORACLE_PYTHON, runOracle } from '../../test/support/python-oracle';
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
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name, _path, _leaf, isAttribute) => !isAttribute && ['node', 'edge', 'data', 'key'].includes(name),
  }).parse(text);
  const graph = doc.graphml.graph;
  const keys = new Map<string, string>((doc.graphml.key as Array<{ id: string; 'attr.name': string }>).map((k) => [k.id, k['attr.name']]));
  const attrs = (el: { data?: Array<{ key: string; '#text': unknown }> }) =>
    Object.fromEntries((el.data ?? []).map((d) => [keys.get(d.key), String(d['#text'])]));
  return {
    nodes: ((graph.node ?? []) as Array<{ id: string }>).map((n) => ({ id: String(n.id), ...attrs(n as never) })),
    edges: ((graph.edge ?? []) as Array<{ id: string; source: string; target: string }>).map((e) => ({
      id: String(e.id),
      source: String(e.source),
      target: String(e.target),
      ...attrs(e as never),
    })),
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
    expect(Object.fromEntries(graph.nodes.map((n) => [n.id, n.name]))).toEqual(
      Object.fromEntries(view.nodes.map((n: { id: string; name: string }) => [n.id, n.name])),
    );
    expect(new Set(graph.edges.map((e) => e.id))).toEqual(new Set(view.edges.map((e: { id: string }) => e.id)));
    expect(graph.nodes.some((n) => /[^\x00-\x7F]/.test(n.name!))).toBe(true);
    expect(graph.edges.every((e) => (e as { sources?: string }).sources?.startsWith('src-'))).toBe(true);
  });

  it('CSV and node-link JSON carry the same counts', async () => {
    const { body } = await stack.query(VIEW, { id: CENTER, depth: 1 });
    const view = body.data.relationshipView;
    const nodes = parseCsv(await (await fetch(`${base}/export/nodes.csv?center=${CENTER}&limit=100`)).text(), { columns: true }) as Array<
      Record<string, string>
    >;
    const edges = parseCsv(await (await fetch(`${base}/export/edges.csv?center=${CENTER}&limit=100`)).text(), { columns: true }) as Array<
      Record<string, string>
    >;
    expect(nodes).toHaveLength(view.nodes.length);
    expect(edges).toHaveLength(view.edges.length);
    expect(Object.keys(nodes[0]!)).toEqual(['Id', 'Label', 'type', 'kind', 'city', 'country', 'distance', 'sources']);
    expect(edges.every((e) => e.Type === 'Directed' && e.kind && e.Source && e.Target)).toBe(true);
    const json = (await (await fetch(`${base}/export/json?center=${CENTER}&limit=100`)).json()) as {
      nodes: unknown[];
      links: Array<{ key: string; source: string }>;
    };
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

describe('exports with network-science measures', () => {
  const MEASURED = 'center=loci&depth=2&limit=200&measures=community,betweenness&network=loci';

  it("adds each actor's community and betweenness as node attributes: the numbers the API gives, read back by networkx", async () => {
    const response = await fetch(`${base}/export/graphml?${MEASURED}`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const graph = readGraphml(text);
    const { body } = await stack.query(
      '{ communities(network: "loci", first: 200, membersFirst: 100) { communities { id members { id } } } centrality(measure: BETWEENNESS, network: "loci", first: 200) { scores { actor { id } score } } }',
    );
    expect(body.errors).toBeUndefined();
    const community = new Map<string, number>();
    for (const c of body.data.communities.communities) for (const m of c.members) community.set(m.id, c.id);
    const betweenness = new Map<string, number>(
      body.data.centrality.scores.map((s: { actor: { id: string }; score: number }) => [s.actor.id, s.score]),
    );
    const measured = graph.nodes.filter((n) => n.community !== undefined);
    expect(measured.length).toBeGreaterThanOrEqual(10);
    for (const node of measured) {
      expect(Number(node.community)).toBe(community.get(node.id));
      expect(Number(node.betweenness)).toBeCloseTo(betweenness.get(node.id)!, 12);
    }
    // Contexts and places are no actors: no measures.
    expect(graph.nodes.filter((n) => n.type === 'Network').every((n) => n.community === undefined)).toBe(true);
    const nodes = parseCsv(await (await fetch(`${base}/export/nodes.csv?${MEASURED}`)).text(), { columns: true }) as Array<
      Record<string, string>
    >;
    expect(Object.keys(nodes[0]!).slice(-2)).toEqual(['community', 'betweenness']);
    expect(nodes.filter((n) => n.community !== '')).toHaveLength(measured.length);
    if (ORACLE_PYTHON) {
      const read = runOracle<Record<string, Record<string, [unknown, string]>>>('graphml_attributes.py', text);
      const node = measured[0]!.id;
      expect(read[node]!.community).toEqual([community.get(node), 'int']);
      expect(read[node]!.betweenness![1]).toBe('float');
    }
  });

  it('refuses an unknown measure, and a measure scope without measures, before writing anything', async () => {
    const unknown = await fetch(`${base}/export/graphml?center=loci&measures=community,fame`);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as any).errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'measures' } });
    const scopeOnly = await fetch(`${base}/export/graphml?center=loci&network=loci`);
    expect(scopeOnly.status).toBe(400);
    const missing = await fetch(`${base}/export/graphml?center=loci&measures=community&network=no-such-network`);
    expect(missing.status).toBe(404);
  });
});

describe('export of the whole graph', () => {
  // Other test files write to the same database meanwhile (and delete what they wrote): the seed's own nodes and
  // relationships, known from the seed files, are what must be there, each exactly once.
  const plan = planSeed(readSeedData());
  const viewable = new Set<string>(VIEWABLE_LABELS);
  const seedNodeIds = [...plan.nodes].filter(([label]) => viewable.has(label)).flatMap(([, rows]) => rows.map((r) => r.id));
  const seedEdgeIds = plan.rels
    .filter((r) => !HIDDEN_TYPES.includes(r.type) && viewable.has(plan.labelOf.get(r.from)!) && viewable.has(plan.labelOf.get(r.to)!))
    .map((r) => r.id);

  it('streams every seed entity and relationship, once each, as GraphML for a researcher', async () => {
    const response = await fetch(`${base}/export/graphml`, { headers: { 'x-api-key': KEYS.researcher } });
    expect(response.status).toBe(200);
    const graph = readGraphml(await response.text());
    const nodeIds = graph.nodes.map((n) => n.id);
    const edgeIds = graph.edges.map((e) => e.id);
    expect(new Set(nodeIds).size).toBe(nodeIds.length);
    expect(new Set(edgeIds).size).toBe(edgeIds.length);
    expect(seedNodeIds.length).toBeGreaterThan(100);
    expect(seedNodeIds.filter((id) => !nodeIds.includes(id))).toEqual([]);
    expect(seedEdgeIds.filter((id) => !edgeIds.includes(id))).toEqual([]);
    // Nothing hidden leaks out: no flags or sources as nodes, no bookkeeping relationships.
    expect(graph.nodes.some((n) => ['DataQualityFlag', 'Source'].includes((n as { type?: string }).type!))).toBe(false);
    expect(graph.edges.some((e) => HIDDEN_TYPES.includes((e as { kind?: string }).kind!))).toBe(false);
    const seedEdges = graph.edges.filter((e) => seedEdgeIds.includes(e.id));
    const ids = new Set(nodeIds);
    expect(seedEdges.every((e) => ids.has(e.source) && ids.has(e.target) && (e as { sources?: string }).sources)).toBe(true);
  });

  it('writes nodes.csv and edges.csv from the command line', () => {
    const out = mkdtempSync(join(tmpdir(), 'ogp-export-'));
    const args = ['csv', '--center', CENTER, '--depth', '2', '--measures', 'community,degree', '--network', 'loci', '--out', out];
    const run = spawnSync(process.execPath, ['-r', TS_REGISTER, 'bin/export.ts', ...args], {
      cwd: PROJECT_DIR,
      env: process.env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toMatch(/wrote .*nodes\.csv/);
    expect(run.status).toBe(0);
    const nodes = parseCsv(readFileSync(join(out, 'nodes.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
    const edges = parseCsv(readFileSync(join(out, 'edges.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(nodes[0]).toMatchObject({ Id: CENTER, distance: '0' });
    // The LOCI city cohort's members carry their community and degree, as the server's export gives them.
    const measured = nodes.filter((n) => n.community !== '');
    expect(measured.length).toBeGreaterThan(0);
    expect(measured.every((n) => Number(n.degree) > 0 && Number.isInteger(Number(n.community)))).toBe(true);
    const ids = new Set(nodes.map((n) => n.Id));
    expect(edges.length).toBeGreaterThan(0);
    expect(edges.every((e) => ids.has(e.Source!) && ids.has(e.Target!))).toBe(true);
  });
});
