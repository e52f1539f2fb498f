import type { Config } from '../services/shared/config';
import { Database } from '../services/shared/database';
import { LauncherError, runningEmbeddedUri, startEmbeddedNeo4j } from './launcher';
import { superviseEmbeddedNeo4j } from './supervisor';

export interface Connection {
  db: Database;
  /** Set when we started the embedded Neo4j ourselves. */
  embedded?: { uri: string; readonly pid: number; stop(): Promise<void> };
  /** Closes the driver and, when embedded, stops Neo4j cleanly. */
  close(): Promise<void>;
}

const CONNECT_DEADLINE_MS = 12_000;

/**
 * Connects to NEO4J_URI when set, otherwise starts the embedded Neo4j; either way resolves only once
 * `RETURN 1` succeeds, and fails with one clear line (URI named, password never) within 15 seconds.
 */
export async function connect(
  config: Config,
  log: (line: string) => void = () => undefined,
  options: { attach?: boolean; supervise?: boolean } = {},
): Promise<Connection> {
  // Command-line tools (import, export) run beside `npm start`: they use its embedded Neo4j instead of refusing.
  const attachTo = options.attach && !config.neo4j.uri ? runningEmbeddedUri(config.embedded.dataDir) : undefined;
  if (attachTo) log(`Using the embedded Neo4j already running at ${attachTo}`);
  const uri = config.neo4j.uri ?? attachTo;
  if (uri) {
    const db = new Database({ ...config.neo4j, uri });
    try {
      await withDeadline(db.ping(), CONNECT_DEADLINE_MS, `no answer within ${CONNECT_DEADLINE_MS / 1000}s`);
    } catch (error) {
      await db.close().catch(() => undefined);
      throw new LauncherError(`Cannot use Neo4j at ${uri}: ${reason(error)}`);
    }
    return { db, close: () => db.close() };
  }
  // The server (`npm start`) keeps its Neo4j running; a command-line tool that started one just stops it at the end.
  let db: Database | undefined;
  const embedded = options.supervise
    ? await superviseEmbeddedNeo4j(config.embedded, config.neo4j, log, {
        down: (why, retryAfterSeconds) => db?.markUnavailable(why, retryAfterSeconds),
        up: () => db?.markAvailable(),
      })
    : await startEmbeddedNeo4j(config.embedded, config.neo4j, log);
  db = new Database({ ...config.neo4j, uri: embedded.uri });
  const opened = db;
  return {
    db: opened,
    embedded,
    close: async () => {
      await opened.close();
      await embedded.stop();
    },
  };
}

function reason(error: unknown): string {
  const message = (error as Error).message ?? String(error);
  return message.replace(/^Neo4j at \S+ (is )?/, '');
}

function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}
