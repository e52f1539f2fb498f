import net from 'node:net';
import neo4j, { Driver, ManagedTransaction, Neo4jError, QueryResult, RecordShape, Session } from 'neo4j-driver';
import { AppError } from './errors';
import type { Neo4jConfig } from './config';

/**
 * The Node driver opens Bolt sockets with `net.connect` and leaves Nagle's algorithm on. A transaction pipelines
 * small messages (BEGIN, RUN, PULL, COMMIT); with Nagle on, one of them waits for the server's delayed ACK, so every
 * round trip cost ~40 ms more than the query (measured here: `RETURN 1` 50 ms -> 10 ms). The driver has no option
 * for it, so outbound sockets get TCP_NODELAY here, once, before any driver exists. Other clients (fetch/undici)
 * already set it themselves.
 */
function disableNagleForOutboundSockets(): void {
  const marker = Symbol.for('ogp-graph.nodelay');
  const patched = net as unknown as Record<symbol, boolean> & { connect: (...args: unknown[]) => net.Socket };
  if (patched[marker]) return;
  const original = net.connect;
  patched.connect = function connectWithNoDelay(this: unknown, ...args: unknown[]) {
    const socket = (original as (...a: unknown[]) => net.Socket).apply(this, args);
    socket.setNoDelay(true);
    return socket;
  };
  net.createConnection = patched.connect as typeof net.createConnection;
  patched[marker] = true;
}
disableNagleForOutboundSockets();

export type Params = Record<string, unknown>;
export type AccessMode = 'READ' | 'WRITE';

/** Called once per round trip to Neo4j; tests use it to prove batching (no N+1). */
export type QueryListener = (event: { cypher: string; params: Params; mode: AccessMode }) => void;

/**
 * The one database executor every service shares: owns the driver, opens a session per unit of work with an
 * explicit access mode (so a cluster routes reads to followers), always closes it, applies the transaction
 * timeout, and turns Neo4j failures into our error codes.
 */
export class Database {
  readonly driver: Driver;
  private readonly listeners = new Set<QueryListener>();

  constructor(private readonly settings: Neo4jConfig & { uri: string }) {
    this.driver = neo4j.driver(settings.uri, neo4j.auth.basic(settings.user, settings.password), {
      connectionTimeout: settings.connectionTimeoutMs,
      connectionAcquisitionTimeout: settings.connectionTimeoutMs * 2,
      maxTransactionRetryTime: settings.connectionTimeoutMs,
      disableLosslessIntegers: true,
      userAgent: 'ogp-graph/0.1',
      logging: { level: 'error', logger: () => undefined },
    });
  }

  /** Neo4j's transaction timeout as configured: the longest any of our transactions can stay open. */
  get transactionTimeoutMs(): number {
    return this.settings.transactionTimeoutMs;
  }

  /** The URI without credentials, for messages. */
  get uri(): string {
    return this.settings.uri;
  }

  /** Runs `work` in a read transaction. */
  read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return this.unit('READ', work);
  }

  /** Runs `work` in a write transaction (retried by the driver on transient errors). */
  write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return this.unit('WRITE', work);
  }

  /**
   * A write for imports that run several transactions at once over shared nodes. Neo4j may pick one of them as a
   * deadlock victim; that one is retried here at once (jittered, up to 20 times) rather than by the driver,
   * whose back-off (1, 2, 4, 8 s) idles the import and gives up after the connection timeout. Anything else fails
   * as `write` does.
   */
  async writeContended<T>(work: (tx: ManagedTransaction) => Promise<T>, onDeadlock?: () => void): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const session = this.session('WRITE');
      const tx = session.beginTransaction({ timeout: this.settings.transactionTimeoutMs });
      try {
        // An explicit transaction offers everything work needs from a managed one (run).
        const result = await work(tx as unknown as ManagedTransaction);
        await tx.commit();
        return result;
      } catch (error) {
        if (tx.isOpen()) await tx.rollback().catch(() => undefined);
        if (attempt < CONTENDED_ATTEMPTS && isDeadlock(error)) {
          onDeadlock?.();
          await new Promise((resume) => setTimeout(resume, Math.random() * 20 * attempt));
          continue;
        }
        throw translateError(error, this.settings.uri);
      } finally {
        await session.close();
      }
    }
  }

  /** One read query, returning plain objects keyed by the RETURN columns. */
  async readRows<T extends RecordShape = RecordShape>(cypher: string, params: Params = {}): Promise<T[]> {
    return this.read(async (tx) => toRows<T>(await this.run(tx, cypher, params, 'READ')));
  }

  /** One write query, returning plain objects keyed by the RETURN columns. */
  async writeRows<T extends RecordShape = RecordShape>(cypher: string, params: Params = {}): Promise<T[]> {
    return this.write(async (tx) => toRows<T>(await this.run(tx, cypher, params, 'WRITE')));
  }

  /**
   * Streams the rows of one read query as the server sends them (for exports of any size: memory stays flat).
   * Stopping the loop early rolls the transaction back and closes the session.
   */
  async *stream<T extends RecordShape = RecordShape>(cypher: string, params: Params = {}, timeoutMs = this.settings.transactionTimeoutMs): AsyncGenerator<T> {
    const session = this.session('READ');
    const tx = session.beginTransaction({ timeout: timeoutMs });
    for (const listener of this.listeners) listener({ cypher, params, mode: 'READ' });
    try {
      for await (const record of tx.run(cypher, withIntegerPaging(params))) yield record.toObject() as T;
      await tx.commit();
    } catch (error) {
      throw translateError(error, this.settings.uri);
    } finally {
      if (tx.isOpen()) await tx.rollback().catch(() => undefined);
      await session.close();
    }
  }

  /** Runs a query inside a transaction of ours, reporting it to listeners. */
  run(tx: ManagedTransaction, cypher: string, params: Params = {}, mode: AccessMode = 'READ'): Promise<QueryResult> {
    for (const listener of this.listeners) listener({ cypher, params, mode });
    return tx.run(cypher, withIntegerPaging(params));
  }

  /** A schema command (CREATE INDEX ...) which Neo4j only accepts in an auto-commit transaction. */
  async schemaCommand(cypher: string): Promise<QueryResult> {
    const session = this.session('WRITE');
    try {
      return await session.run(cypher, {}, { timeout: this.settings.transactionTimeoutMs });
    } catch (error) {
      throw translateError(error, this.settings.uri);
    } finally {
      await session.close();
    }
  }

  /** Resolves when Neo4j answers `RETURN 1`; throws DATABASE_UNAVAILABLE otherwise. */
  async ping(): Promise<void> {
    await this.readRows('RETURN 1 AS ok');
  }

  /** Subscribes to every query sent; returns the unsubscribe function. */
  onQuery(listener: QueryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  /** A session on our database with an explicit access mode (a cluster routes reads to followers). */
  private session(mode: AccessMode): Session {
    return this.driver.session({ database: this.settings.database, defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE });
  }

  private async unit<T>(mode: AccessMode, work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const session = this.session(mode);
      const txConfig = { timeout: this.settings.transactionTimeoutMs };
      try {
        return mode === 'READ' ? await session.executeRead(work, txConfig) : await session.executeWrite(work, txConfig);
      } catch (error) {
        if (attempt < READ_CONFLICT_ATTEMPTS && mode === 'READ' && isReadConflict(error)) continue;
        throw translateError(error, this.settings.uri);
      } finally {
        await session.close();
      }
    }
  }
}

const READ_CONFLICT_ATTEMPTS = 3;
const CONTENDED_ATTEMPTS = 20;

const isDeadlock = (error: unknown): boolean => (error as { code?: string })?.code === 'Neo.TransientError.Transaction.DeadlockDetected';

/**
 * A read that meets a node a concurrent write has just deleted fails with EntityNotFound, which Neo4j classifies as
 * transient ("please retry") while the driver, going by the code, does not retry it. Reads are safe to run again.
 */
function isReadConflict(error: unknown): boolean {
  const e = error as { code?: string; classification?: string };
  return e?.code === 'Neo.ClientError.Statement.EntityNotFound' && e.classification === 'TRANSIENT_ERROR';
}

/** JavaScript numbers travel as floats; LIMIT and SKIP need integers, so paging parameters are sent as such. */
function withIntegerPaging(params: Params): Params {
  const out: Params = { ...params };
  for (const key of ['limit', 'offset', 'skip']) {
    const value = out[key];
    if (typeof value === 'number' && Number.isInteger(value)) out[key] = neo4j.int(value);
  }
  return out;
}

function toRows<T extends RecordShape>(result: QueryResult): T[] {
  return result.records.map((record) => record.toObject() as T);
}

/** Maps a driver or server error to one of our codes; our own errors pass through unchanged. */
export function translateError(error: unknown, uri: string): Error {
  if (error instanceof AppError) return error;
  if (!(error instanceof Neo4jError)) return error as Error;
  const code = error.code ?? '';
  if (code === 'ServiceUnavailable' || code === 'SessionExpired' || /ECONNREFUSED|ENOTFOUND|connect/i.test(error.message) && !code.startsWith('Neo.')) {
    return new AppError('DATABASE_UNAVAILABLE', `Neo4j at ${uri} is unavailable: ${firstLine(error.message)}`);
  }
  if (code === 'Neo.ClientError.Security.Unauthorized' || code === 'Neo.ClientError.Security.AuthenticationRateLimit') {
    return new AppError('DATABASE_UNAVAILABLE', `Neo4j at ${uri} refused the configured credentials (NEO4J_USER / NEO4J_PASSWORD).`);
  }
  if (code.startsWith('Neo.ClientError.Transaction.TransactionTimedOut') || code === 'Neo.TransientError.Transaction.LockClientStopped') {
    return new AppError('QUERY_TIMEOUT', 'The query exceeded the transaction timeout (NEO4J_TX_TIMEOUT_MS).');
  }
  if (code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
    return new AppError('CONFLICT', firstLine(error.message));
  }
  return error;
}

const firstLine = (message: string): string => message.split('\n')[0] ?? message;

/** Opens the shared executor for a resolved URI (embedded or external). */
export function openDatabase(settings: Neo4jConfig, uri: string): Database {
  return new Database({ ...settings, uri });
}
