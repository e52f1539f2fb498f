import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type Connection } from '../neo4j/connect';
import { stopStale } from '../neo4j/launcher';
import { migrate } from '../schema/migrate';
import { seedFromFiles } from '../seed/load';
import { loadConfig, PROJECT_ROOT, type Config } from '../services/shared/config';
import { recordGraphChangeNow } from '../services/shared/graph-changes';
import { bulkImport } from '../neo4j/bulk-import';
import { readSupergraph } from '../gateway/compose';
import { startGateway } from '../gateway/server';
import { WARM_UP_OPERATIONS } from '../gateway/warm-up';
import { inProcessSubgraphs } from '../services/shared/subgraph';
import { buildGraph, writeGraph, writeGraphCsv, type GraphSize } from './generate';

/*
 * The benches' graph: a generated graph (scale 1: ~110,000 nodes and ~590,000 relationships; BENCH_SCALE=10: ten
 * times that) in its own embedded Neo4j, loaded through the bulk path (neo4j/bulk-import.ts; BENCH_LOAD=cypher writes
 * batched CREATE statements instead). BENCH_REUSE=1 measures again on the graph an earlier run of the same scale wrote.
 */
export const BENCH_PASSWORD = 'ogp-graph-bench';

export const round = (ms: number) => Math.round(ms * 10) / 10;
/** To hundredths (CPU per request, where a tenth of a millisecond is too coarse). */
export const hundredths = (ms: number) => Math.round(ms * 100) / 100;
export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

/**
 * CPU time spent so far, in ms: this Node process's (every thread: the servers under test, their garbage collection
 * and the bench's own clients) and Neo4j's, read from /proc (undefined where there is none). Where requests/s
 * differ, the CPU each request costs on either side says which side to look at.
 */
export function cpuMeter(neo4jPid: number | undefined): () => { node: number; neo4j?: number } {
  const neo4jMs = (): number | undefined => {
    if (neo4jPid === undefined) return undefined;
    try {
      // Fields 14 and 15 of /proc/<pid>/stat (after the command name): user and system time, in clock ticks.
      const fields = readFileSync(`/proc/${neo4jPid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
    } catch {
      return undefined;
    }
  };
  return () => {
    const { user, system } = process.cpuUsage();
    return { node: (user + system) / 1000, neo4j: neo4jMs() };
  };
}

/** Linux's USER_HZ, the unit of /proc's CPU times: 100 on every mainstream architecture. */
const CLOCK_TICKS = 100;

export const benchSize = (scale: number): GraphSize => ({
  countries: 50,
  cities: Math.round(1000 * scale),
  networks: Math.round(2000 * scale),
  organizations: Math.round(60000 * scale),
  people: Math.round(33000 * scale),
  events: Math.round(2000 * scale),
  membershipsPerOrg: 6,
  partnerships: Math.round(150000 * scale),
  participantsPerEvent: 50,
  fundings: Math.round(20000 * scale),
  grants: Math.round(10000 * scale),
  hubNetworkMembers: Math.round(2000 * scale),
});

export interface BenchGraph {
  connection: Connection;
  config: Config;
  size: GraphSize;
  writeSeconds: number;
  counts: { nodes: number; relationships: number };
}

/** Where a bench graph lives: its store under .data, its Bolt port, and its Neo4j's memory. */
export interface BenchStore {
  folder: string;
  boltPort: number;
  heap: string;
  pageCache: string;
}

/** The store every bench uses, unless it needs a second one beside it (`npm run bench:growth`). */
export const BENCH_STORE: BenchStore = { folder: 'neo4j-bench', boltPort: 17699, heap: '4g', pageCache: '5g' };

export async function openBenchGraph(scale: number, store: BenchStore = BENCH_STORE): Promise<BenchGraph> {
  const dataDir = join(PROJECT_ROOT, '.data', store.folder);
  const size = benchSize(scale);
  const reuse =
    process.env.BENCH_REUSE === '1' &&
    existsSync(join(dataDir, 'bench-scale')) &&
    readFileSync(join(dataDir, 'bench-scale'), 'utf8') === String(scale);
  // A bench that died (out of heap, say) leaves its Neo4j running on this store: stop it before starting ours.
  await stopStale(dataDir);
  if (!reuse) rmSync(dataDir, { recursive: true, force: true });
  const config = loadConfig({
    ...process.env,
    NEO4J_URI: '',
    NEO4J_DATA_DIR: dataDir,
    NEO4J_BOLT_PORT: String(store.boltPort),
    NEO4J_HEAP: store.heap,
    NEO4J_PAGECACHE: store.pageCache,
    NEO4J_PASSWORD: BENCH_PASSWORD,
    NEO4J_TX_TIMEOUT_MS: '120000',
    MAX_QUERY_COMPLEXITY: '100000',
    CLIENT_MAX_CONCURRENT: '1000',
    CLIENT_COST_BURST: '1000000000',
  });
  // The bulk path (neo4j-admin's offline import, then migrations build the indexes) unless BENCH_LOAD=cypher asks
  // for the batched Cypher writes an API-side loader uses.
  const bulk = !reuse && process.env.BENCH_LOAD !== 'cypher';
  const graph = reuse ? undefined : buildGraph(size, 7, 'b-');
  let writeSeconds = 0;
  const t0 = Date.now();
  if (graph && bulk) {
    const csv = join(PROJECT_ROOT, '.data', 'bench-csv');
    rmSync(csv, { recursive: true, force: true });
    console.log(
      `generating ${graph.nodes.length.toLocaleString()} nodes and ${graph.edges.length.toLocaleString()} relationships as CSV ...`,
    );
    writeGraphCsv(graph, csv, 'bench');
    await bulkImport(config.embedded, csv, console.log);
    rmSync(csv, { recursive: true, force: true });
  }
  const connection = await connect(config, console.log);
  if (graph) {
    await migrate(connection.db);
    if (!bulk) {
      console.log(`generating ${graph.nodes.length.toLocaleString()} nodes and ${graph.edges.length.toLocaleString()} relationships ...`);
      await writeGraph(connection.db, graph, 'bench', (done, total) => process.stdout.write(`\r  ${Math.round((100 * done) / total)}%`), {
        fresh: true,
      });
    } else await recordGraphChangeNow(connection.db, 'everything');
    writeSeconds = (Date.now() - t0) / 1000;
    console.log(`\n  written ${bulk ? 'through the bulk path ' : ''}in ${writeSeconds.toFixed(1)} s (migrations included)`);
    // The seed after the generated graph: it MERGEs by id, so it joins what is there.
    await seedFromFiles(connection.db);
    writeFileSync(join(dataDir, 'bench-scale'), String(scale));
  } else {
    console.log('  reusing the graph of an earlier run (BENCH_REUSE=1)');
    await migrate(connection.db);
  }
  const [counts] = await connection.db.readRows<{ nodes: number; relationships: number }>(
    'CALL { MATCH (n) RETURN count(n) AS nodes } CALL { MATCH ()-[r]->() RETURN count(r) AS relationships } RETURN nodes, relationships',
  );
  return { connection, config, size, writeSeconds, counts: counts! };
}

/**
 * The gateway over a bench graph as `npm start` runs by default (the five subgraphs in its own process), on a free
 * loopback port; resolves once start-up warming is done (the collaboration index, the whole-graph answers, the page
 * cache, the query plans), with how long that took after it listened: benches measure a server that has started.
 */
export async function serveWarm(graph: Pick<BenchGraph, 'connection' | 'config'>) {
  const inProcess = await inProcessSubgraphs(graph.connection.db);
  const gateway = await startGateway({
    supergraphSdl: readSupergraph(),
    config: { ...graph.config, host: '127.0.0.1' },
    port: 0,
    db: graph.connection.db,
    inProcess,
    warmUp: WARM_UP_OPERATIONS,
  });
  const listening = Date.now();
  await inProcess.warmed;
  await gateway.warmedUp;
  return { gateway, warmSeconds: (Date.now() - listening) / 1000 };
}

/** One GraphQL request, timed; an answer with errors throws, named after `name`. */
export async function askTimed(url: string, name: string, body: { query: string; variables: Record<string, unknown> }) {
  const start = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = (await response.json()) as { data?: Record<string, { totalCount?: number } | null>; errors?: Array<{ message: string }> };
  if (answer.errors) throw new Error(`${name}: ${answer.errors[0]!.message}`);
  return { ms: performance.now() - start, data: answer.data };
}
