import 'reflect-metadata';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { readSupergraph } from '../gateway/compose';
import { startGateway } from '../gateway/server';
import { connect } from '../neo4j/connect';
import { migrate } from '../schema/migrate';
import { seedFromFiles } from '../seed/load';
import * as q from '../services/insights/questions';
import { RELATIONSHIP_VIEW } from '../services/shared/relationship-view';
import { loadConfig, PROJECT_ROOT } from '../services/shared/config';
import { inProcessSubgraphs } from '../services/shared/subgraph';
import { buildGraph, random, writeGraph } from './generate';

/*
 * `npm run bench:insights`: a generated graph (scale 1: ~110,000 nodes and ~590,000 relationships; BENCH_SCALE=10:
 * ten times that) in its own embedded Neo4j, written through the bulk path (CREATE batches); for every network
 * question, the first request of its shape, then p50/p95 through the gateway next to Cypher sent directly with
 * neo4j-driver. Figures are printed, never asserted. `-- --json` adds one JSON object as the last stdout line.
 */
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const JSON_OUTPUT = process.argv.includes('--json');
const size = {
  countries: 50, cities: Math.round(1000 * SCALE), networks: Math.round(2000 * SCALE), organizations: Math.round(60000 * SCALE),
  people: Math.round(33000 * SCALE), events: Math.round(2000 * SCALE), membershipsPerOrg: 6, partnerships: Math.round(150000 * SCALE),
  participantsPerEvent: 50, fundings: Math.round(20000 * SCALE), grants: Math.round(10000 * SCALE), hubNetworkMembers: Math.round(2000 * SCALE),
};

const round = (ms: number) => Math.round(ms * 10) / 10;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function main() {
  const dataDir = join(PROJECT_ROOT, '.data', 'neo4j-bench');
  // BENCH_REUSE=1 measures again on the graph an earlier run of the same scale wrote (writing it takes minutes).
  const reuse = process.env.BENCH_REUSE === '1' && existsSync(join(dataDir, 'bench-scale'))
    && readFileSync(join(dataDir, 'bench-scale'), 'utf8') === String(SCALE);
  if (!reuse) rmSync(dataDir, { recursive: true, force: true });
  const config = loadConfig({ ...process.env, NEO4J_URI: '', NEO4J_DATA_DIR: dataDir, NEO4J_BOLT_PORT: '17699', NEO4J_HEAP: '4g', NEO4J_PAGECACHE: '3g', NEO4J_PASSWORD: 'ogp-graph-bench', NEO4J_TX_TIMEOUT_MS: '120000', MAX_QUERY_COMPLEXITY: '100000' });
  const connection = await connect(config, console.log);
  try {
    let writeSeconds = 0;
    if (!reuse) {
      await migrate(connection.db);
      await seedFromFiles(connection.db);
      const graph = buildGraph(size, 7, 'b-');
      console.log(`generating ${graph.nodes.length.toLocaleString()} nodes and ${graph.edges.length.toLocaleString()} relationships ...`);
      const t0 = Date.now();
      await writeGraph(connection.db, graph, 'bench', (done, total) => process.stdout.write(`\r  ${Math.round((100 * done) / total)}%`), { fresh: true });
      writeSeconds = (Date.now() - t0) / 1000;
      console.log(`\n  written in ${writeSeconds.toFixed(1)} s`);
      writeFileSync(join(dataDir, 'bench-scale'), String(SCALE));
    } else console.log('  reusing the graph of an earlier run (BENCH_REUSE=1)');
    const [counts] = await connection.db.readRows<{ nodes: number; relationships: number }>(
      'CALL { MATCH (n) RETURN count(n) AS nodes } CALL { MATCH ()-[r]->() RETURN count(r) AS relationships } RETURN nodes, relationships');

    // As `npm start` runs by default: the gateway executes the five subgraphs in its own process.
    const gateway = await startGateway({ supergraphSdl: readSupergraph(), config: { ...config, host: '127.0.0.1' }, port: 0, db: connection.db, inProcess: await inProcessSubgraphs(connection.db) });
    // Measure warm: the collaboration index loads when the insights subgraph starts.
    const t1 = Date.now();
    await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ collaborators(id: "b-org-1") { totalCount } }' }) });
    const indexSeconds = (Date.now() - t1) / 1000;
    console.log(`  collaboration index ready after ${indexSeconds.toFixed(1)} s more`);
    const driver = neo4j.driver(connection.db.uri, neo4j.auth.basic('neo4j', 'ogp-graph-bench'));
    const rnd = random(99);
    const org = () => `b-org-${Math.floor(rnd() * size.organizations)}`;
    const city = () => `b-city-${Math.floor(rnd() * size.cities)}`;
    const network = () => `b-network-${Math.floor(rnd() * size.networks)}`;
    const int = (n: number) => neo4j.int(n);

    // `cypher`: the same answer in Cypher sent with neo4j-driver. The questions the collaboration index answers have
    // none: Cypher's shortest paths count relationships, not hops (see links.ts), so they carry no floor.
    type Case = { name: string; local?: boolean; graphql: () => { query: string; variables: Record<string, unknown> }; cypher?: (v: Record<string, unknown>) => { text: string; params: Record<string, unknown> } };
    const cases: Case[] = [
      { name: 'collaborators, 1 hop', local: true, graphql: () => ({ query: 'query($id: ID!) { collaborators(id: $id, first: 20) { totalCount edges { node { actor { id } hops } } } }', variables: { id: org() } }) },
      { name: 'collaborators, 2 hops, other cities', local: true, graphql: () => ({ query: 'query($id: ID!) { collaborators(id: $id, maxHops: 2, scope: OTHER_CITY, first: 20) { totalCount edges { node { actor { id } hops } } } }', variables: { id: org() } }) },
      { name: 'collaborators, 3 hops, at a hub funder', local: true, graphql: () => ({ query: 'query($id: ID!) { collaborators(id: $id, maxHops: 3, first: 20) { totalCount edges { node { actor { id } hops } } } }', variables: { id: `b-org-${Math.floor(rnd() * 3)}` } }) },
      { name: 'shortest paths, up to 3 hops', local: true, graphql: () => ({ query: 'query($f: ID!, $t: ID!) { shortestPaths(from: $f, to: $t, maxHops: 3, limit: 10) { hops nodes { id } } }', variables: { f: org(), t: org() } }) },
      { name: 'city-to-city, 5 cities, 1 hop', graphql: () => ({ query: 'query($c: [ID!]) { cityCollaboration(cities: $c, maxHops: 1) { actorPairs } }', variables: { c: [city(), city(), city(), city(), city()] } }) },
      { name: 'brokers by cities, one country scope', graphql: () => ({ query: 'query($c: String) { brokers(by: CITIES, country: $c, limit: 20) { score } }', variables: { c: `X${String.fromCharCode(65 + Math.floor(rnd() * 26))}` } }) },
      { name: 'brokers by networks, one network scope', graphql: () => ({ query: 'query($n: ID) { brokers(by: NETWORKS, network: $n, limit: 20) { score } }', variables: { n: network() } }),
        cypher: (v) => ({ text: q.BROKERS_BY_NETWORKS, params: { network: v.n, country: null, limit: int(20) } }) },
      { name: 'funding trail, 3 steps', local: true, graphql: () => ({ query: 'query($id: ID!) { fundingTrail(id: $id) { totals { amount currency } flows { from to } } }', variables: { id: `b-org-${Math.floor(rnd() * Math.max(1, size.organizations / 50))}` } }),
        cypher: (v) => ({ text: q.FUNDING_TRAIL('DOWNSTREAM', 3), params: { id: v.id } }) },
      { name: 'network overlap', local: true, graphql: () => ({ query: 'query($a: ID!, $b: ID!) { networkOverlap(a: $a, b: $b) { count } }', variables: { a: network(), b: network() } }),
        cypher: (v) => ({ text: q.NETWORK_OVERLAP, params: { a: v.a, b: v.b } }) },
      { name: 'relationship view, depth 2, 200 nodes', local: true, graphql: () => ({ query: 'query($id: ID!) { relationshipView(id: $id, depth: 2, limit: 200) { truncated nodes { id } edges { id } } }', variables: { id: org() } }),
        cypher: (v) => ({ text: RELATIONSHIP_VIEW(2), params: { id: v.id, kinds: [], limit: int(200), hidden: ['FLAGS', 'AUTHORED', 'MENTIONS'] } }) },
      // Last: at scale 10 its count outlives the request and goes on in the background, slowing what follows.
      { name: 'city-to-city, all cities, 1 hop, strongest 100', graphql: () => ({ query: '{ cityCollaboration(maxHops: 1, first: 100) { actorPairs } }', variables: {} }) },
    ];

    const CYPHER_RUNS = Number(process.env.BENCH_CYPHER_RUNS ?? Math.min(RUNS, 5));
    const ask = async (c: Case, body: { query: string; variables: Record<string, unknown> }) => {
      const start = performance.now();
      const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const answer = (await response.json()) as { errors?: Array<{ message: string }> };
      if (answer.errors) throw new Error(`${c.name}: ${answer.errors[0]!.message}`);
      return performance.now() - start;
    };
    const errors: Array<{ name: string; error: string }> = [];
    const results: Array<{ name: string; local: boolean; gateway: { p50: number; p95: number }; cypher: { p50: number; p95: number } | null; firstRequestMs: number }> = [];
    console.log(`\n${'question'.padEnd(48)} ${'first'.padStart(9)} ${'gateway p50'.padStart(12)} ${'p95'.padStart(8)} ${'cypher p50'.padStart(11)} ${'p95'.padStart(8)}`);
    for (const c of cases) {
      let firstRequestMs: number;
      const api: number[] = [];
      try {
        firstRequestMs = await ask(c, c.graphql());
        for (let i = 0; i < RUNS; i++) api.push(await ask(c, c.graphql()));
      } catch (error) {
        // One failing question (a timeout at this scale, say) is a figure too: report it and go on.
        errors.push({ name: c.name, error: (error as Error).message });
        console.log(`${c.name.padEnd(48)} failed: ${(error as Error).message}`);
        continue;
      }
      const floor: number[] = [];
      for (let i = 0; c.cypher && i < CYPHER_RUNS; i++) {
        const { text, params } = c.cypher(c.graphql().variables);
        const start = performance.now();
        try {
          await driver.executeQuery(text, params, { routing: neo4j.routing.READ, transactionConfig: { timeout: 60_000 } });
          floor.push(performance.now() - start);
        } catch {
          break; // past the timeout: no figure
        }
      }
      const result = {
        name: c.name, local: !!c.local, firstRequestMs: round(firstRequestMs),
        gateway: { p50: round(percentile(api, 50)), p95: round(percentile(api, 95)) },
        cypher: floor.length ? { p50: round(percentile(floor, 50)), p95: round(percentile(floor, 95)) } : null,
      };
      results.push(result);
      console.log(`${c.name.padEnd(48)} ${result.firstRequestMs.toFixed(1).padStart(7)}ms ${result.gateway.p50.toFixed(1).padStart(10)}ms ${result.gateway.p95.toFixed(1).padStart(6)}ms ${(result.cypher ? `${result.cypher.p50.toFixed(1)}ms` : c.cypher ? 'timeout' : 'n/a').padStart(11)} ${(result.cypher ? `${result.cypher.p95.toFixed(1)}ms` : '').padStart(8)}`);
    }
    if (JSON_OUTPUT) console.log(JSON.stringify({ scale: SCALE, nodes: counts!.nodes, relationships: counts!.relationships, writeSeconds: round(writeSeconds), indexSeconds: round(indexSeconds), questions: results, errors }));
    await driver.close();
    await gateway.close();
  } finally {
    await connection.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
