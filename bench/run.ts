import 'reflect-metadata';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { readSupergraph } from '../gateway/compose';
import { startGateway } from '../gateway/server';
import { connect } from '../neo4j/connect';
import { migrate } from '../schema/migrate';
import { seedFromFiles } from '../seed/load';
import { SUBGRAPH_MODULES } from '../services';
import { ALL_LINK_KINDS } from '../services/insights/links';
import * as q from '../services/insights/questions';
import { RELATIONSHIP_VIEW } from '../services/insights/repository';
import { loadConfig, PROJECT_ROOT, SUBGRAPHS, type SubgraphName } from '../services/shared/config';
import { listenSubgraph } from '../services/shared/subgraph';
import { buildGraph, random, writeGraph } from './generate';

/*
 * `npm run bench`: a generated graph of ~100,000 nodes and ~500,000 relationships in its own embedded Neo4j; for
 * every network question, p50/p95 through the gateway next to the same Cypher sent directly with neo4j-driver (the
 * floor), and their ratio. Figures are printed, never asserted. BENCH_SCALE=0.1 runs a tenth of the size.
 */
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const size = {
  countries: 50, cities: Math.round(1000 * SCALE), networks: Math.round(2000 * SCALE), organizations: Math.round(60000 * SCALE),
  people: Math.round(33000 * SCALE), events: Math.round(2000 * SCALE), membershipsPerOrg: 6, partnerships: Math.round(150000 * SCALE),
  participantsPerEvent: 50, fundings: Math.round(20000 * SCALE),
};

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function main() {
  const dataDir = join(PROJECT_ROOT, '.data', 'neo4j-bench');
  rmSync(dataDir, { recursive: true, force: true });
  const config = loadConfig({ ...process.env, NEO4J_URI: '', NEO4J_DATA_DIR: dataDir, NEO4J_BOLT_PORT: '17699', NEO4J_HEAP: '4g', NEO4J_PAGECACHE: '3g', NEO4J_PASSWORD: 'ogp-graph-bench', NEO4J_TX_TIMEOUT_MS: '120000', MAX_QUERY_COMPLEXITY: '100000' });
  const connection = await connect(config, console.log);
  try {
    await migrate(connection.db);
    await seedFromFiles(connection.db);
    const graph = buildGraph(size, 7, 'b-');
    console.log(`generating ${graph.nodes.length.toLocaleString()} nodes and ${graph.edges.length.toLocaleString()} relationships ...`);
    const t0 = Date.now();
    await writeGraph(connection.db, graph, 'bench', (done, total) => process.stdout.write(`\r  ${Math.round((100 * done) / total)}%`));
    console.log(`\n  written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const subgraphs = {} as Record<SubgraphName, { url: string; close(): Promise<void> }>;
    for (const name of SUBGRAPHS) subgraphs[name] = await listenSubgraph(SUBGRAPH_MODULES[name], connection.db, 0, '127.0.0.1');
    const gateway = await startGateway({
      supergraphSdl: readSupergraph(),
      config: { ...config, host: '127.0.0.1', subgraphUrls: Object.fromEntries(SUBGRAPHS.map((n) => [n, subgraphs[n].url])) as Record<SubgraphName, string> },
      port: 0,
    });
    const driver = neo4j.driver(connection.db.uri, neo4j.auth.basic('neo4j', 'ogp-graph-bench'));
    const rnd = random(99);
    const org = () => `b-org-${Math.floor(rnd() * size.organizations)}`;
    const city = () => `b-city-${Math.floor(rnd() * size.cities)}`;
    const network = () => `b-network-${Math.floor(rnd() * size.networks)}`;
    const int = (n: number) => neo4j.int(n);

    type Case = { name: string; graphql: () => { query: string; variables: Record<string, unknown> }; cypher: (v: Record<string, unknown>) => { text: string; params: Record<string, unknown> } };
    const cases: Case[] = [
      { name: 'collaborators, 1 hop', graphql: () => ({ query: 'query($id: ID!) { collaborators(id: $id, first: 20) { totalCount edges { node { actor { id } hops } } } }', variables: { id: org() } }),
        cypher: (v) => ({ text: q.COLLABORATORS(ALL_LINK_KINDS, 1), params: { id: v.id, scope: 'ANY', fromDate: null, toDate: null, offset: int(0), limit: int(20) } }) },
      { name: 'collaborators, 2 hops, other cities', graphql: () => ({ query: 'query($id: ID!) { collaborators(id: $id, maxHops: 2, scope: OTHER_CITY, first: 20) { totalCount edges { node { actor { id } hops } } } }', variables: { id: org() } }),
        cypher: (v) => ({ text: q.COLLABORATORS(ALL_LINK_KINDS, 2), params: { id: v.id, scope: 'OTHER_CITY', fromDate: null, toDate: null, offset: int(0), limit: int(20) } }) },
      { name: 'shortest paths, up to 3 hops', graphql: () => ({ query: 'query($f: ID!, $t: ID!) { shortestPaths(from: $f, to: $t, maxHops: 3, limit: 10) { hops nodes { id } } }', variables: { f: org(), t: org() } }),
        cypher: (v) => ({ text: q.SHORTEST_PATHS(ALL_LINK_KINDS, 3), params: { from: v.f, to: v.t, limit: int(10), fromDate: null, toDate: null } }) },
      { name: 'city-to-city, 5 cities, 1 hop', graphql: () => ({ query: 'query($c: [ID!]) { cityCollaboration(cities: $c, maxHops: 1) { actorPairs } }', variables: { c: [city(), city(), city(), city(), city()] } }),
        cypher: (v) => ({ text: q.CITY_LINKS(ALL_LINK_KINDS, 1), params: { cities: v.c, fromDate: null, toDate: null } }) },
      { name: 'brokers by networks, one network scope', graphql: () => ({ query: 'query($n: ID) { brokers(by: NETWORKS, network: $n, limit: 20) { score } }', variables: { n: network() } }),
        cypher: (v) => ({ text: q.BROKERS(ALL_LINK_KINDS, 'NETWORKS'), params: { network: v.n, country: null, limit: int(20) } }) },
      { name: 'funding trail, 3 steps', graphql: () => ({ query: 'query($id: ID!) { fundingTrail(id: $id) { totals { amount currency } flows { from to } } }', variables: { id: `b-org-${Math.floor(rnd() * Math.max(1, size.organizations / 50))}` } }),
        cypher: (v) => ({ text: q.FUNDING_TRAIL('DOWNSTREAM', 3), params: { id: v.id } }) },
      { name: 'network overlap', graphql: () => ({ query: 'query($a: ID!, $b: ID!) { networkOverlap(a: $a, b: $b) { count } }', variables: { a: network(), b: network() } }),
        cypher: (v) => ({ text: q.NETWORK_OVERLAP, params: { a: v.a, b: v.b } }) },
      { name: 'relationship view, depth 2, 200 nodes', graphql: () => ({ query: 'query($id: ID!) { relationshipView(id: $id, depth: 2, limit: 200) { truncated nodes { id } edges { id } } }', variables: { id: org() } }),
        cypher: (v) => ({ text: RELATIONSHIP_VIEW(2), params: { id: v.id, kinds: [], limit: int(200), hidden: ['FLAGS', 'AUTHORED', 'MENTIONS'] } }) },
    ];

    console.log(`\n${'question'.padEnd(42)} ${'gateway p50'.padStart(12)} ${'p95'.padStart(8)} ${'cypher p50'.padStart(11)} ${'p95'.padStart(8)} ${'ratio'.padStart(6)}`);
    for (const c of cases) {
      const api: number[] = [];
      const floor: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const { query, variables } = c.graphql();
        let start = performance.now();
        const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
        const body = (await response.json()) as { errors?: Array<{ message: string }> };
        api.push(performance.now() - start);
        if (body.errors) throw new Error(`${c.name}: ${body.errors[0]!.message}`);
        const { text, params } = c.cypher(variables);
        start = performance.now();
        await driver.executeQuery(text, params, { routing: neo4j.routing.READ });
        floor.push(performance.now() - start);
      }
      const [a50, a95, f50, f95] = [percentile(api, 50), percentile(api, 95), percentile(floor, 50), percentile(floor, 95)];
      console.log(`${c.name.padEnd(42)} ${a50.toFixed(1).padStart(10)}ms ${a95.toFixed(1).padStart(6)}ms ${f50.toFixed(1).padStart(9)}ms ${f95.toFixed(1).padStart(6)}ms ${(a50 / f50).toFixed(2).padStart(6)}`);
    }
    await driver.close();
    await gateway.close();
    for (const name of SUBGRAPHS) await subgraphs[name].close();
  } finally {
    await connection.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
