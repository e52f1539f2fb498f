import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readSupergraph } from '../gateway/compose';
import { startGateway } from '../gateway/server';
import { connect, type Connection } from '../neo4j/connect';
import { stopStale } from '../neo4j/launcher';
import { migrate } from '../schema/migrate';
import { seedFromFiles } from '../seed/load';
import { loadConfig, PROJECT_ROOT } from '../services/shared/config';
import type { Database } from '../services/shared/database';
import { inProcessSubgraphs } from '../services/shared/subgraph';
import { benchSize, percentile, round } from './bench-graph';
import { buildGraph, writeGraph } from './generate';
import { generateIatiFile } from './iati';
import { HUNG_MS, type Outcome } from './soak-clients';

/*
 * `npm run bench:soak`: the server as `npm start` runs it (a supervised embedded Neo4j, the gateway with the five
 * subgraphs in its process) under mixed load from 16 clients for 10 minutes, with two faults on the way:
 *   - a third of the way in, Neo4j is killed (SIGKILL): requests during the outage must fail fast, none may hang,
 *     and everything must answer again once the supervisor has restarted it;
 *   - two thirds of the way in, an IATI import is killed mid-file and re-run: the graph it leaves must equal a clean
 *     import of the same file into a second, fresh Neo4j (compared grant by grant, transactions, results and roles).
 * Printed, never asserted: requests, errors by code, outage and recovery times, RSS of both processes at the start,
 * the peak and the end (the clients run in a process of their own, bench/soak-clients.ts), and the server's heap at
 * each tenth of the run. SOAK_SECONDS (600), SOAK_CLIENTS (16) and SOAK_SCALE (0.2 of the insights bench's graph)
 * change the campaign.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 16);
const SCALE = Number(process.env.SOAK_SCALE ?? 0.2);
const PASSWORD = 'ogp-graph-soak';

const rssMb = (pid: number): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
};

/** One line per grant of the file: its properties, transactions, results and participants, sorted; and their hash. */
async function fingerprint(db: Database, prefix: string): Promise<{ grants: number; transactions: number; hash: string }> {
  const rows = await db.readRows<{ line: string; transactions: number }>(
    `
MATCH (g:Grant) WHERE g.id STARTS WITH $prefix
WITH g, [k IN keys(g) WHERE NOT k ENDS WITH 'At' | k + '=' + CASE WHEN g[k] IS :: LIST<ANY> THEN reduce(s = '', x IN g[k] | s + toString(x) + ';') ELSE toString(g[k]) END] AS props
WITH g, props,
  COLLECT { MATCH (g)-[:HAS_TRANSACTION]->(t:Transaction) RETURN t.id + '|' + t.type + '|' + coalesce(t.date, '') + '|' + toString(t.amount) + '|' + coalesce(t.currency, '') } AS txs,
  COLLECT { MATCH (g)-[:HAS_RESULT]->(r:Result) RETURN r.id + '|' + coalesce(r.title, '') } AS results,
  COLLECT { MATCH (o:Organization)-[p:PARTICIPATES_IN_GRANT]->(g) RETURN o.id + '|' + coalesce(p.role, '') } AS roles
RETURN g.id + ' ' + reduce(s = '', x IN props + ['#'] + txs + ['#'] + results + ['#'] + roles | s + x + ' ') AS line, size(txs) AS transactions`,
    { prefix },
  );
  // Lists from COLLECT come in no set order: sort within each line's parts before hashing.
  const lines = rows
    .map((r) =>
      r.line
        .split(' # ')
        .map((part) => part.split(' ').sort().join(' '))
        .join(' # '),
    )
    .sort();
  return {
    grants: rows.length,
    transactions: rows.reduce((n, r) => n + r.transactions, 0),
    hash: createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16),
  };
}

/** Runs `npm run import`'s entry point on a file against `uri`; `killAfterMs` kills it (SIGKILL) that long in. */
function runImport(
  file: string,
  uri: string,
  killAfterMs?: number,
): Promise<{ code: number | null; signal: string | null; ms: number; output: string }> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ['-r', join(PROJECT_ROOT, 'test', 'support', 'ts-register.js'), join(PROJECT_ROOT, 'bin', 'import.ts'), 'iati', file, '--json'],
    {
      env: { ...process.env, NEO4J_URI: uri, NEO4J_PASSWORD: PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ms: Date.now() - started, output });
    }),
  );
}

async function main() {
  const root = join(PROJECT_ROOT, '.data', 'soak');
  for (const store of ['neo4j', 'neo4j-clean']) await stopStale(join(root, store)); // left by a soak that died
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const settings = (dir: string, port: number) =>
    loadConfig({
      ...process.env,
      NEO4J_URI: '',
      NEO4J_DATA_DIR: join(root, dir),
      NEO4J_BOLT_PORT: String(port),
      NEO4J_HEAP: '2g',
      NEO4J_PAGECACHE: '1g',
      NEO4J_PASSWORD: PASSWORD,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      CLIENT_MAX_CONCURRENT: '1000',
      CLIENT_COST_BURST: '1000000000',
    });
  const config = settings('neo4j', 17697);
  const log = (line: string) => console.log(`  [neo4j] ${line}`);
  const connection: Connection = await connect(config, log, { supervise: true });
  const stopAll: Array<() => Promise<void>> = [() => connection.close()];
  try {
    await migrate(connection.db);
    await seedFromFiles(connection.db);
    const size = benchSize(SCALE);
    const graph = buildGraph(size, 7, 'b-');
    await writeGraph(connection.db, graph, 'bench', () => undefined, { fresh: true });
    console.log(`soak graph: ${graph.nodes.length.toLocaleString('en')} nodes, ${graph.edges.length.toLocaleString('en')} relationships`);
    const gateway = await startGateway({
      supergraphSdl: readSupergraph(),
      config: { ...config, host: '127.0.0.1' },
      port: 0,
      db: connection.db,
      ready: () => connection.db.ping().then(() => true),
      inProcess: await inProcessSubgraphs(connection.db),
    });
    stopAll.unshift(gateway.close);
    const origin = new URL(gateway.url).origin;

    // The clients run in a process of their own: the server's memory is then the server's alone.
    const outcomesFile = join(root, 'soak-outcomes.json');
    const started = Date.now();
    const deadline = started + SECONDS * 1000;
    const clientsDone = new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['-r', './test/support/ts-register.js', 'bench/soak-clients.ts'], {
        cwd: PROJECT_ROOT,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: {
          ...process.env,
          SOAK_URL: gateway.url,
          SOAK_SECONDS: String(SECONDS),
          SOAK_CLIENTS: String(CLIENTS),
          SOAK_SIZE: JSON.stringify({ organizations: size.organizations, networks: size.networks }),
          SOAK_OUTCOMES: outcomesFile,
        },
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the soak clients exited with ${code}`))));
    });

    const memory: Array<{ at: number; gateway: number; heap: number; neo4j: number }> = [];
    const sample = () =>
      memory.push({
        at: Date.now() - started,
        gateway: Math.round(process.memoryUsage().rss / 1048576),
        heap: Math.round(process.memoryUsage().heapUsed / 1048576),
        neo4j: rssMb(connection.embedded!.pid),
      });
    sample();
    const sampler = setInterval(() => {
      try {
        sample();
      } catch {
        /* Neo4j is restarting: no process to read */
      }
    }, 5000);

    // Fault 1: kill Neo4j; time until /ready says 200 again and until the first query succeeds.
    const crash = (async () => {
      await new Promise((resume) => setTimeout(resume, (SECONDS * 1000) / 3));
      const killedAt = Date.now();
      const pid = connection.embedded!.pid;
      process.kill(pid, 'SIGKILL');
      console.log(`\n  killed Neo4j (pid ${pid}) at ${Math.round((killedAt - started) / 1000)} s`);
      let readyAfterMs: number | undefined;
      while (readyAfterMs === undefined && Date.now() < deadline) {
        const ready = await fetch(`${origin}/ready`).then(
          (r) => r.status,
          () => 0,
        );
        if (ready === 200) readyAfterMs = Date.now() - killedAt;
        else await new Promise((resume) => setTimeout(resume, 250));
      }
      return { killedAt, readyAfterMs };
    })();

    // Fault 2: an import killed mid-file, re-run; compared with a clean import into a second Neo4j.
    const importFault = (async () => {
      await new Promise((resume) => setTimeout(resume, (SECONDS * 1000 * 2) / 3));
      const file = join(root, 'soak-iati.xml');
      const activities = await generateIatiFile(file, 5, 'soak', 77);
      const clean = await connect(settings('neo4j-clean', 17696), () => undefined);
      try {
        await migrate(clean.db);
        const cleanRun = await runImport(file, clean.db.uri);
        if (cleanRun.code !== 0) throw new Error(`clean import failed: ${cleanRun.output.slice(-2000)}`);
        const killed = await runImport(file, connection.db.uri, Math.round(cleanRun.ms / 2));
        const rerun = await runImport(file, connection.db.uri);
        const [expected, actual] = [
          await fingerprint(clean.db, 'iati-XB-BENCH-soak-'),
          await fingerprint(connection.db, 'iati-XB-BENCH-soak-'),
        ];
        return {
          activities,
          cleanMs: cleanRun.ms,
          killed: killed.signal ?? `exit ${killed.code}`,
          killedAfterMs: killed.ms,
          rerunCode: rerun.code,
          rerunMs: rerun.ms,
          expected,
          actual,
        };
      } finally {
        await clean.close();
      }
    })();

    await clientsDone;
    clearInterval(sampler);
    sample();
    const outcomes = JSON.parse(readFileSync(outcomesFile, 'utf8')) as Outcome[];
    const { killedAt, readyAfterMs } = await crash;
    const imported = await importFault;

    const byCode = new Map<string, number>();
    for (const o of outcomes) byCode.set(o.code, (byCode.get(o.code) ?? 0) + 1);
    const firstOkAfterCrash = outcomes
      .filter((o) => o.code === 'OK' && o.startedAt > killedAt)
      .sort((a, b) => a.startedAt + a.ms - (b.startedAt + b.ms))[0];
    const outage = outcomes.filter(
      (o) =>
        o.startedAt >= killedAt &&
        firstOkAfterCrash &&
        o.startedAt + o.ms <= firstOkAfterCrash.startedAt + firstOkAfterCrash.ms &&
        o.code !== 'OK',
    );
    const ok = outcomes.filter((o) => o.code === 'OK').map((o) => o.ms);
    // What still failed once /ready said 200 again: the gap between ready and answering.
    const readyAt = readyAfterMs === undefined ? Infinity : killedAt + readyAfterMs;
    const afterReady = new Map<string, number>();
    for (const o of outcomes)
      if (o.code !== 'OK' && o.startedAt >= readyAt) afterReady.set(o.message ?? o.code, (afterReady.get(o.message ?? o.code) ?? 0) + 1);
    const peak = (key: 'gateway' | 'neo4j' | 'heap') => Math.max(...memory.map((m) => m[key]));
    const summary = {
      seconds: SECONDS,
      clients: CLIENTS,
      nodes: graph.nodes.length,
      relationships: graph.edges.length,
      requests: outcomes.length,
      requestsPerSecond: round(outcomes.length / SECONDS),
      okP50: round(percentile(ok, 50)),
      okP99: round(percentile(ok, 99)),
      errorsByCode: Object.fromEntries([...byCode].filter(([code]) => code !== 'OK').sort()),
      hung: byCode.get('HUNG') ?? 0,
      outage: {
        readyAfterSeconds: readyAfterMs === undefined ? null : round(readyAfterMs / 1000),
        firstAnswerAfterSeconds: firstOkAfterCrash ? round((firstOkAfterCrash.startedAt + firstOkAfterCrash.ms - killedAt) / 1000) : null,
        failedRequests: outage.length,
        slowestFailureMs: outage.length ? Math.max(...outage.map((o) => o.ms)) : 0,
        failureP50Ms: outage.length
          ? round(
              percentile(
                outage.map((o) => o.ms),
                50,
              ),
            )
          : 0,
        failuresAfterReady: Object.fromEntries(afterReady),
      },
      memoryMb: {
        gateway: { start: memory[0]!.gateway, peak: peak('gateway'), end: memory.at(-1)!.gateway },
        // The server's JavaScript heap at each tenth of the run: a leak climbs through it, a plateau levels off.
        gatewayHeapByTenth: Array.from({ length: 10 }, (_, i) => memory.find((m) => m.at >= (SECONDS * 1000 * i) / 10)?.heap ?? null),
        neo4j: { start: memory[0]!.neo4j, peak: peak('neo4j'), end: memory.at(-1)!.neo4j },
      },
      killedImport: {
        ...imported,
        identical:
          imported.expected.grants > 0 &&
          imported.expected.hash === imported.actual.hash &&
          imported.expected.transactions === imported.actual.transactions,
      },
    };
    console.log(
      `\n${outcomes.length.toLocaleString('en')} requests in ${SECONDS} s from ${CLIENTS} clients (${summary.requestsPerSecond} req/s), answered p50 ${summary.okP50} ms, p99 ${summary.okP99} ms`,
    );
    console.log(`errors by code: ${JSON.stringify(summary.errorsByCode)}; hung (no answer in ${HUNG_MS / 1000} s): ${summary.hung}`);
    console.log(
      `Neo4j killed: /ready 200 again after ${summary.outage.readyAfterSeconds} s, first answer after ${summary.outage.firstAnswerAfterSeconds} s; ${summary.outage.failedRequests} requests failed meanwhile (p50 ${summary.outage.failureP50Ms} ms, slowest ${summary.outage.slowestFailureMs} ms)`,
    );
    console.log(`failed after /ready was 200 again: ${JSON.stringify(summary.outage.failuresAfterReady)}`);
    console.log(
      `RSS, MB (start / peak / end): gateway (the clients run in their own process) ${summary.memoryMb.gateway.start} / ${summary.memoryMb.gateway.peak} / ${summary.memoryMb.gateway.end}; Neo4j ${summary.memoryMb.neo4j.start} / ${summary.memoryMb.neo4j.peak} / ${summary.memoryMb.neo4j.end}`,
    );
    console.log(
      `import of ${imported.activities.toLocaleString('en')} activities killed (${imported.killed}) after ${round(imported.killedAfterMs / 1000)} s of a clean ${round(imported.cleanMs / 1000)} s, re-run exit ${imported.rerunCode} in ${round(imported.rerunMs / 1000)} s: ` +
        `${imported.actual.grants} grants / ${imported.actual.transactions} transactions (clean: ${imported.expected.grants} / ${imported.expected.transactions}), ${summary.killedImport.identical ? 'identical to the clean import' : 'DIFFERENT from the clean import'}`,
    );
    console.log(`gateway heap used, MB, at each tenth of the run: ${summary.memoryMb.gatewayHeapByTenth.join(' / ')}`);
    if (process.argv.includes('--json')) console.log(JSON.stringify(summary));
  } finally {
    for (const stop of stopAll) await stop().catch(() => undefined);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
