import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import neo4j, { Neo4jError } from 'neo4j-driver';
import { PROJECT_ROOT, type EmbeddedConfig } from '../services/shared/config';
import { UserError } from '../services/shared/errors';

/** Where `npm install` put the Neo4j jars (scripts/install-neo4j.mjs). */
export const LIB_DIR = join(PROJECT_ROOT, 'neo4j', 'lib');
const DEFAULT_PASSWORD = 'neo4j';
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

/** A startup problem the user can fix; its message is the whole story (no stack trace needed). */
export class LauncherError extends UserError {
  constructor(message: string) {
    super(message, 'LauncherError');
  }
}

export interface RunningNeo4j {
  uri: string;
  pid: number;
  /** Asks Neo4j to shut down cleanly and waits for it. */
  stop(): Promise<void>;
  /** Settles when the process ends without `stop()` (killed, out of memory): how it ended and its last log lines. */
  died: Promise<{ cause: string; lastLines: string }>;
}

const JVM_FLAGS = [
  // The flags Neo4j's own start script passes on Java 17: Netty and the page cache need these internals.
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--add-opens=java.base/java.lang=ALL-UNNAMED',
  '--add-opens=java.base/java.util=ALL-UNNAMED',
  '--add-opens=java.base/java.util.concurrent=ALL-UNNAMED',
  '--add-opens=java.base/java.net=ALL-UNNAMED',
  '-XX:+UseG1GC',
  '-XX:+ExitOnOutOfMemoryError',
  '-Dfile.encoding=UTF-8',
];

/**
 * Starts Neo4j Community from the fetched jars through its official entry point (real neo4j.conf behaviour),
 * Bolt on 127.0.0.1 only, and resolves once Bolt answers `RETURN 1` with the configured password.
 */
export async function startEmbeddedNeo4j(
  settings: EmbeddedConfig,
  auth: { user: string; password: string },
  log: (line: string) => void = () => undefined,
): Promise<RunningNeo4j> {
  checkPrerequisites(settings);
  const dirs = layout(settings.dataDir);
  refuseSecondStart(dirs.pidFile);
  await ensurePortFree(settings.boltPort);
  writeConfig(settings, dirs);

  const console = openSync(join(dirs.logs, 'console.log'), 'a');
  const child = spawn(
    settings.javaBin,
    [
      `-Xms${settings.heap}`,
      `-Xmx${settings.heap}`,
      ...JVM_FLAGS,
      '-cp',
      join(LIB_DIR, '*'),
      'org.neo4j.server.CommunityEntryPoint',
      `--home-dir=${dirs.home}`,
      `--config-dir=${dirs.conf}`,
    ],
    { stdio: ['ignore', console, console] },
  );
  closeSync(console);
  let exited: number | null | undefined;
  let stopping = false;
  // If our process ends without stopping Neo4j (a crash, process.exit), ask it to shut down rather than orphan it.
  const orphanGuard = () => child.kill('SIGTERM');
  process.once('exit', orphanGuard);
  const died = new Promise<{ cause: string; lastLines: string }>((resolveDied) => {
    child.once('exit', (code, signal) => {
      exited = code ?? -1;
      process.removeListener('exit', orphanGuard);
      if (stopping) return;
      const lastLines = tail(dirs);
      // -XX:+ExitOnOutOfMemoryError exits with status 3.
      const cause =
        code === 3 || /OutOfMemoryError/.test(lastLines)
          ? `out of memory (heap ${settings.heap}, NEO4J_HEAP)`
          : signal
            ? `killed by ${signal}`
            : `exit code ${code}`;
      resolveDied({ cause, lastLines });
    });
  });

  const uri = `bolt://127.0.0.1:${settings.boltPort}`;
  log(`Starting Neo4j (pid ${child.pid}) with data in ${settings.dataDir} ...`);
  try {
    await waitForBolt(uri, auth, () => exited, dirs);
  } catch (error) {
    stopping = true;
    await terminate(child);
    throw error;
  }
  writeFileSync(dirs.pidFile, JSON.stringify({ pid: child.pid, uri }));
  return {
    uri,
    pid: child.pid!,
    stop: async () => {
      stopping = true;
      await terminate(child);
      rmSync(dirs.pidFile, { force: true });
    },
    died,
  };
}

/** Stops a Neo4j left running by an earlier process on this store (used by the test setup on its own store). */
export async function stopStale(dataDir: string): Promise<void> {
  const { pidFile } = layout(dataDir);
  const pid = runningPid(pidFile);
  if (pid === undefined) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(pidFile, { force: true });
}

/** The Bolt URI of an embedded Neo4j another process of ours runs on this store, if one does. */
export function runningEmbeddedUri(dataDir: string): string | undefined {
  const { pidFile } = layout(dataDir);
  if (runningPid(pidFile) === undefined) return undefined;
  return (JSON.parse(readFileSync(pidFile, 'utf8')) as { uri: string }).uri;
}

export function layout(dataDir: string) {
  const home = resolve(dataDir);
  const dirs = {
    home,
    conf: join(home, 'conf'),
    data: join(home, 'data'),
    logs: join(home, 'logs'),
    run: join(home, 'run'),
    pidFile: join(home, 'run', 'ogp-neo4j.pid'),
  };
  for (const dir of [dirs.conf, dirs.data, dirs.logs, dirs.run]) mkdirSync(dir, { recursive: true });
  return dirs;
}

export function checkPrerequisites(settings: EmbeddedConfig): void {
  const java = spawnSync(settings.javaBin, ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) {
    throw new LauncherError(
      `Java was not found (${settings.javaBin}). The embedded Neo4j needs Java 17+ ` +
        '(e.g. `apt install openjdk-17-jre`). Or set NEO4J_URI to an existing Neo4j 5 server, or run `docker compose up`.',
    );
  }
  const major = Number(/version "(\d+)/.exec(java.stderr)?.[1] ?? 0);
  if (major > 0 && major < 17) {
    throw new LauncherError(`Java ${major} found; the embedded Neo4j needs Java 17+. Set JAVA_HOME to a Java 17 JDK, or set NEO4J_URI.`);
  }
  if (!existsSync(join(LIB_DIR, '.complete'))) {
    throw new LauncherError(
      'The Neo4j jars are missing (neo4j/lib). Run `npm install` (it fetches them with Maven; Maven must be installed), ' +
        'or set NEO4J_URI to an existing Neo4j 5 server, or run `docker compose up`.',
    );
  }
}

export function refuseSecondStart(pidFile: string): void {
  const pid = runningPid(pidFile);
  if (pid !== undefined) {
    const { uri } = JSON.parse(readFileSync(pidFile, 'utf8')) as { uri: string };
    throw new LauncherError(
      `Neo4j is already running on this data folder (pid ${pid}, ${uri}). Stop it first, or use it with NEO4J_URI=${uri}.`,
    );
  }
}

function runningPid(pidFile: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  try {
    const { pid } = JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number };
    return isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Fails early, naming the port, instead of letting Neo4j die with a bind error deep in its log. */
export function ensurePortFree(port: number, host = '127.0.0.1'): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new LauncherError(
          error.code === 'EADDRINUSE'
            ? `Port ${port} on ${host} is already in use; set NEO4J_BOLT_PORT to a free port (or stop what listens there).`
            : `Cannot listen on ${host}:${port}: ${error.message}`,
        ),
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolvePromise()));
  });
}

export function writeConfig(settings: EmbeddedConfig, dirs: ReturnType<typeof layout>): void {
  const lines = [
    '# Written by neo4j/launcher.ts at every start; edit the environment variables instead (see README).',
    'server.default_listen_address=127.0.0.1',
    `server.bolt.listen_address=127.0.0.1:${settings.boltPort}`,
    'server.bolt.advertised_address=127.0.0.1',
    'server.http.enabled=false',
    'server.https.enabled=false',
    `server.directories.data=${dirs.data}`,
    `server.directories.logs=${dirs.logs}`,
    `server.directories.run=${dirs.run}`,
    `server.directories.import=${join(dirs.home, 'import')}`,
    `server.directories.plugins=${join(dirs.home, 'plugins')}`,
    `server.memory.pagecache.size=${settings.pageCache}`,
    // No single query may exhaust the heap (and take every user down with it): it fails with its own error instead.
    // Only the per-transaction cap: the global pool (dbms.memory.transaction.total.max) made IATI imports a third
    // slower here (bench:iati, 100 MB fresh: 1,127 against 1,583 activities/s with this cap alone).
    `db.memory.transaction.max=${settings.transactionMemory}`,
    'dbms.security.auth_enabled=true',
    'dbms.usage_report.enabled=false',
    'db.tx_log.rotation.retention_policy=2 files',
    'server.logs.config=',
    // Bolt's shutdown otherwise waits 5 s for idle connections and 5 s for its threads, though none are busy by then.
    'internal.server.bolt.connection_shutdown_wait_time=1s',
    'internal.server.bolt.thread_pool_shutdown_wait_time=1s',
  ];
  writeFileSync(join(dirs.conf, 'neo4j.conf'), lines.filter((l) => !l.endsWith('=')).join('\n') + '\n');
}

/**
 * Polls Bolt until `RETURN 1` succeeds with the configured password. A new store only knows the default
 * password, which Neo4j makes us change before anything else: we change it to the configured one.
 */
async function waitForBolt(
  uri: string,
  auth: { user: string; password: string },
  exitCode: () => number | null | undefined,
  dirs: ReturnType<typeof layout>,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exitCode() !== undefined) {
      throw new LauncherError(`Neo4j exited during start (code ${exitCode()}). Last log lines:\n${tail(dirs)}`);
    }
    const outcome = await tryQuery(uri, auth.user, auth.password);
    if (outcome === 'ok') return;
    if (outcome === 'unauthorized') {
      const initial = await setInitialPassword(uri, auth);
      if (initial) continue;
      throw new LauncherError(
        `Neo4j at ${uri} refused NEO4J_PASSWORD: the store in ${dirs.home} was created with another password. ` +
          'Use that password, or delete the data folder to start afresh.',
      );
    }
    await sleep(300);
  }
  throw new LauncherError(`Neo4j did not answer on ${uri} within ${START_TIMEOUT_MS / 1000}s. Last log lines:\n${tail(dirs)}`);
}

type Outcome = 'ok' | 'unauthorized' | 'down';

async function tryQuery(uri: string, user: string, password: string): Promise<Outcome> {
  const driver = neo4j.driver(uri, neo4j.auth.basic(user, password), {
    connectionTimeout: 2000,
    maxConnectionPoolSize: 1,
    // One attempt per poll: the driver's own retries (1, 2, 4 s back-off) made us notice a started Neo4j seconds late.
    maxTransactionRetryTime: 0,
    logging: { level: 'error', logger: () => undefined },
  });
  try {
    await driver.executeQuery('RETURN 1');
    return 'ok';
  } catch (error) {
    const code = (error as Neo4jError).code ?? '';
    if (code === 'Neo.ClientError.Security.Unauthorized' || code === 'Neo.ClientError.Security.CredentialsExpired') {
      return 'unauthorized';
    }
    return 'down';
  } finally {
    await driver.close();
  }
}

async function setInitialPassword(uri: string, auth: { user: string; password: string }): Promise<boolean> {
  if (auth.user !== 'neo4j') return false;
  const driver = neo4j.driver(uri, neo4j.auth.basic('neo4j', DEFAULT_PASSWORD), {
    logging: { level: 'error', logger: () => undefined },
  });
  try {
    await driver.executeQuery(
      'ALTER CURRENT USER SET PASSWORD FROM $old TO $new',
      { old: DEFAULT_PASSWORD, new: auth.password },
      { database: 'system' },
    );
    return true;
  } catch {
    return false;
  } finally {
    await driver.close();
  }
}

function tail(dirs: ReturnType<typeof layout>): string {
  const lines: string[] = [];
  for (const file of ['console.log', 'neo4j.log']) {
    const path = join(dirs.logs, file);
    if (existsSync(path)) lines.push(...readFileSync(path, 'utf8').trim().split('\n').slice(-8));
  }
  return lines.join('\n');
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
