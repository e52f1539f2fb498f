import net from 'node:net';
import neo4j, { Driver, ManagedTransaction, Neo4jError, QueryResult, RecordShape, Session } from 'neo4j-driver';
import { AppError } from './errors';
import type { Neo4jConfig } from './config';
import { inSpan, tracingEnabled } from './tracing';

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

/** A count of Cypher statements, kept by whoever asked for it (a gateway request). */
export interface StatementTally {
  cypher: number;
}

/**
 * The one database executor every service shares: owns the driver, opens a session per unit of work with an
 * explicit access mode (so a cluster routes reads to followers), always closes it, applies the transaction
 * timeout, and turns Neo4j failures into our error codes.
 */
export class Database {
  readonly driver: Driver;
  private readonly listeners = new Set<QueryListener>();
  /** Set by the supervisor while it knows the database is down: every call fails at once. */
  private outage?: { reason: string; retryAfterSeconds: number };
  /**
   * A circuit breaker: after an unavailable answer every call fails at once until `openUntil`; then one call probes
   * (the others still fail fast) and its outcome closes or reopens the circuit. Without it each request would wait
   * out the driver's connection timeout and retries on a database that is gone.
   */
  private readonly breaker = { openUntil: 0, probing: false };
  /** How to fail each call in flight, should the supervisor report the database dead while it waits. */
  private readonly inFlight = new Set<(error: AppError) => void>();
  /** Sessions open now (each holds a pooled connection while it works): the operator's view of pool use. */
  private readonly usage = { sessions: 0 };
  /** Sent with every transaction, so `SHOW TRANSACTIONS` tells an operator who sent what (see `tagged`). */
  private readonly metadata: Record<string, string> = { app: 'ogp-graph' };
  /** The statements of one gateway request, counted for its log line (see `tagged`). */
  private readonly tally?: StatementTally;

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

  /**
   * The same database (driver, circuit breaker, outage flag: one of each), whose transactions also carry `metadata`
   * (a subgraph and operation name, an import's file): `SHOW TRANSACTIONS YIELD metaData` shows them. With `tally`,
   * every statement sent through the view is counted there too (a request's, for its log line).
   */
  tagged(metadata: Record<string, string | undefined>, tally?: StatementTally): Database {
    const defined = Object.fromEntries(Object.entries(metadata).filter(([, v]) => v !== undefined)) as Record<string, string>;
    return Object.create(this, {
      metadata: { value: { ...this.metadata, ...defined } },
      root: { value: this.root },
      tally: { value: tally ?? this.tally },
    }) as Database;
  }

  /** Tells the listeners (and the view's tally) of a statement about to be sent. */
  private reportStatement(cypher: string, params: Params, mode: AccessMode): void {
    if (this.tally) this.tally.cypher++;
    for (const listener of this.listeners) listener({ cypher, params, mode });
  }

  /** The database itself, whatever tagged view of it this is: the key for anything kept once per database. */
  get root(): Database {
    return this;
  }

  /** Neo4j's transaction timeout as configured: the longest any of our transactions can stay open. */
  get transactionTimeoutMs(): number {
    return this.settings.transactionTimeoutMs;
  }

  /** The URI without credentials, for messages. */
  get uri(): string {
    return this.settings.uri;
  }

  /** The supervisor knows the database is down (it died and is restarting): fail every call at once until `markAvailable`. */
  markUnavailable(reason: string, retryAfterSeconds: number): void {
    this.outage = { reason, retryAfterSeconds };
    // Calls in flight wait on a socket to a process that is gone: fail them now, as new calls fail, rather than when
    // the driver notices (the soak bench saw 8 s). Whatever they started is lost with the process anyway.
    const error = this.outageError();
    for (const fail of this.inFlight) fail(error);
    this.inFlight.clear();
  }

  private outageError(): AppError {
    return new AppError('DATABASE_UNAVAILABLE', `Neo4j is unavailable: ${this.outage!.reason}.`, {
      retryAfterSeconds: this.outage!.retryAfterSeconds,
    });
  }

  /** The database answers again. */
  markAvailable(): void {
    this.outage = undefined;
    this.breaker.openUntil = 0;
    this.breaker.probing = false;
  }

  /** Runs one call to Neo4j through the outage flag and the circuit breaker, translating its errors. */
  private async guarded<T>(call: () => Promise<T>): Promise<T> {
    const probe = this.admit();
    let fail: (error: AppError) => void = () => undefined;
    const abandoned = new Promise<never>((_, reject) => {
      fail = reject;
    });
    this.inFlight.add(fail);
    try {
      const result = await Promise.race([call(), abandoned]);
      this.settle(probe);
      return result;
    } catch (error) {
      throw this.settle(probe, error);
    } finally {
      this.inFlight.delete(fail);
    }
  }

  /** Throws DATABASE_UNAVAILABLE at once when the call must not reach Neo4j; true when this call is the probe. */
  private admit(): boolean {
    if (this.outage) throw this.outageError();
    const { breaker } = this;
    if (breaker.openUntil === 0) return false;
    if (Date.now() < breaker.openUntil || breaker.probing) {
      throw new AppError('DATABASE_UNAVAILABLE', `Neo4j at ${this.settings.uri} did not answer a moment ago; not trying again yet.`, {
        retryAfterSeconds: Math.max(1, Math.ceil((breaker.openUntil - Date.now()) / 1000)),
      });
    }
    breaker.probing = true;
    return true;
  }

  /** Records how a call ended (closing or opening the circuit) and returns the error to throw, if any. */
  private settle(probe: boolean, error?: unknown): Error | undefined {
    const { breaker } = this;
    if (probe) breaker.probing = false;
    if (error === undefined) {
      if (probe) breaker.openUntil = 0;
      return undefined;
    }
    const translated = translateError(error, this.settings.uri, this.settings.transactionTimeoutMs);
    if (!(translated instanceof AppError && translated.code === 'DATABASE_UNAVAILABLE')) {
      if (probe) breaker.openUntil = 0; // Neo4j answered, even if with an error
      return translated;
    }
    breaker.openUntil = Date.now() + BREAKER_OPEN_MS;
    return new AppError('DATABASE_UNAVAILABLE', translated.message, { retryAfterSeconds: BREAKER_OPEN_MS / 1000 });
  }

  /** Runs `work` in a read transaction. */
  read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return this.unit('READ', work);
  }

  /**
   * Runs `work` in a write transaction (retried by the driver on transient errors). `timeoutMs` overrides the
   * configured transaction timeout for a write known to be long and bounded (the seed's many statements).
   */
  write<T>(work: (tx: ManagedTransaction) => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
    return this.unit('WRITE', work, options.timeoutMs);
  }

  /**
   * A write for imports that run several transactions at once over shared nodes. Neo4j may pick one of them as a
   * deadlock victim; that one is retried here at once (jittered, up to 20 times) rather than by the driver,
   * whose back-off (1, 2, 4, 8 s) idles the import and gives up after the connection timeout. Anything else fails
   * as `write` does.
   */
  writeContended<T>(work: (tx: ManagedTransaction) => Promise<T>, onDeadlock?: () => void): Promise<T> {
    return this.guarded(() => this.contended(work, onDeadlock));
  }

  private async contended<T>(work: (tx: ManagedTransaction) => Promise<T>, onDeadlock?: () => void): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const session = this.session('WRITE');
      const tx = session.beginTransaction({ timeout: this.settings.transactionTimeoutMs, metadata: this.metadata });
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
        throw error;
      } finally {
        await session.close();
      }
    }
  }

  /**
   * One read query, returning plain objects keyed by the RETURN columns. It runs as an auto-commit transaction: one
   * round trip and one socket write (RUN and PULL together) where a managed one takes two round trips and three writes
   * (BEGIN, RUN and PULL, COMMIT); a request's look-ups are mostly single statements, so this is most of their cost.
   */
  async readRows<T extends RecordShape = RecordShape>(cypher: string, params: Params = {}): Promise<T[]> {
    return inSpan('neo4j read transaction', { 'db.system': 'neo4j', ...this.metadata }, () =>
      this.attempts('READ', async (session) => {
        this.reportStatement(cypher, params, 'READ');
        const run = () => session.run(cypher, withIntegerPaging(params), this.txConfig(this.settings.transactionTimeoutMs));
        const result = tracingEnabled()
          ? await inSpan('neo4j statement', { 'db.system': 'neo4j', 'db.query.text': cypher.slice(0, 2000) }, run)
          : await run();
        return toRows<T>(result);
      }),
    );
  }

  /** One write query, returning plain objects keyed by the RETURN columns. */
  async writeRows<T extends RecordShape = RecordShape>(cypher: string, params: Params = {}): Promise<T[]> {
    return this.write(async (tx) => toRows<T>(await this.run(tx, cypher, params, 'WRITE')));
  }

  /**
   * Streams the rows of one read query as the server sends them (for exports of any size: memory stays flat).
   * Stopping the loop early rolls the transaction back and closes the session.
   */
  async *stream<T extends RecordShape = RecordShape>(
    cypher: string,
    params: Params = {},
    timeoutMs = this.settings.transactionTimeoutMs,
  ): AsyncGenerator<T> {
    const probe = this.admit();
    const session = this.session('READ');
    const tx = session.beginTransaction({ timeout: timeoutMs, metadata: this.metadata });
    this.reportStatement(cypher, params, 'READ');
    try {
      for await (const record of tx.run(cypher, withIntegerPaging(params))) yield record.toObject() as T;
      await tx.commit();
      this.settle(probe);
    } catch (error) {
      throw this.settle(probe, error);
    } finally {
      // Stopped early by the consumer: Neo4j was answering.
      if (probe && this.breaker.probing) this.settle(probe);
      if (tx.isOpen()) await tx.rollback().catch(() => undefined);
      await session.close();
    }
  }

  /** Runs a query inside a transaction of ours, reporting it to listeners. */
  run(tx: ManagedTransaction, cypher: string, params: Params = {}, mode: AccessMode = 'READ'): Promise<QueryResult> {
    this.reportStatement(cypher, params, mode);
    if (!tracingEnabled()) return tx.run(cypher, withIntegerPaging(params));
    return inSpan('neo4j statement', { 'db.system': 'neo4j', 'db.query.text': cypher.slice(0, 2000) }, async () =>
      tx.run(cypher, withIntegerPaging(params)),
    );
  }

  /** A schema command (CREATE INDEX ...) which Neo4j only accepts in an auto-commit transaction. */
  schemaCommand(cypher: string): Promise<QueryResult> {
    return this.guarded(async () => {
      const session = this.session('WRITE');
      try {
        return await session.run(cypher, {}, { timeout: this.settings.transactionTimeoutMs, metadata: this.metadata });
      } finally {
        await session.close();
      }
    });
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

  /** Sessions of ours open now, each holding (or waiting for) one of the driver's pooled connections. */
  get sessionsInUse(): number {
    return this.usage.sessions;
  }

  /** True unless the supervisor reported the database down or the circuit breaker is open. */
  get available(): boolean {
    return !this.outage && this.breaker.openUntil <= Date.now();
  }

  /** A session on our database with an explicit access mode (a cluster routes reads to followers), counted until closed. */
  private session(mode: AccessMode): Session {
    const session = this.driver.session({
      database: this.settings.database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
    });
    const usage = this.usage;
    usage.sessions++;
    const close = session.close.bind(session);
    let closed = false;
    session.close = async () => {
      if (!closed) usage.sessions--;
      closed = true;
      return close();
    };
    return session;
  }

  private unit<T>(
    mode: AccessMode,
    work: (tx: ManagedTransaction) => Promise<T>,
    timeoutMs = this.settings.transactionTimeoutMs,
  ): Promise<T> {
    return inSpan(`neo4j ${mode.toLowerCase()} transaction`, { 'db.system': 'neo4j', ...this.metadata }, () =>
      this.transaction(mode, work, timeoutMs),
    );
  }

  private transaction<T>(mode: AccessMode, work: (tx: ManagedTransaction) => Promise<T>, timeoutMs: number): Promise<T> {
    return this.attempts(mode, (session) =>
      mode === 'READ' ? session.executeRead(work, this.txConfig(timeoutMs)) : session.executeWrite(work, this.txConfig(timeoutMs)),
    );
  }

  private txConfig(timeoutMs: number) {
    return { timeout: timeoutMs, metadata: this.metadata };
  }

  /**
   * Runs `call` in a session of its own through the circuit breaker; a read that met a concurrent delete runs again
   * (so does a transient error of an auto-commit read, which the driver retries only for managed transactions).
   */
  private attempts<T>(mode: AccessMode, call: (session: Session) => Promise<T>): Promise<T> {
    return this.guarded(async () => {
      for (let attempt = 1; ; attempt++) {
        const session = this.session(mode);
        try {
          return await call(session);
        } catch (error) {
          if (attempt < READ_CONFLICT_ATTEMPTS && mode === 'READ' && (isReadConflict(error) || isTransient(error))) continue;
          throw error;
        } finally {
          await session.close();
        }
      }
    });
  }
}

const READ_CONFLICT_ATTEMPTS = 3;
/** How long the circuit stays open after Neo4j did not answer, before one call probes it again. */
const BREAKER_OPEN_MS = 2000;
const CONTENDED_ATTEMPTS = 20;

/** Neo4j says "retry": a transient error other than a timeout or a memory limit (those are answers, not accidents). */
const isTransient = (error: unknown): boolean => {
  const code = (error as { code?: string })?.code ?? '';
  return code.startsWith('Neo.TransientError.') && !/LockClientStopped|Terminated|MemoryPoolOutOfMemory/.test(code);
};

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
export function translateError(error: unknown, uri: string, timeoutMs: number): Error {
  if (error instanceof AppError) return error;
  if (!(error instanceof Neo4jError)) return error as Error;
  const code = error.code ?? '';
  if (
    code === 'ServiceUnavailable' ||
    code === 'SessionExpired' ||
    (/ECONNREFUSED|ENOTFOUND|connect/i.test(error.message) && !code.startsWith('Neo.'))
  ) {
    return new AppError('DATABASE_UNAVAILABLE', `Neo4j at ${uri} is unavailable: ${firstLine(error.message)}`);
  }
  if (code === 'Neo.ClientError.Security.Unauthorized' || code === 'Neo.ClientError.Security.AuthenticationRateLimit') {
    return new AppError('DATABASE_UNAVAILABLE', `Neo4j at ${uri} refused the configured credentials (NEO4J_USER / NEO4J_PASSWORD).`);
  }
  if (code.startsWith('Neo.ClientError.Transaction.TransactionTimedOut') || code === 'Neo.TransientError.Transaction.LockClientStopped') {
    return new AppError(
      'QUERY_TIMEOUT',
      `The query ran past its time budget of ${timeoutMs} ms (the transaction timeout, NEO4J_TX_TIMEOUT_MS); narrow it or ask for less.`,
      { budgetMs: timeoutMs },
    );
  }
  if (code === 'Neo.ClientError.General.TransactionOutOfMemoryError' || code === 'Neo.TransientError.General.MemoryPoolOutOfMemoryError') {
    return new AppError('QUERY_TOO_LARGE', `The query needed more memory than a transaction may use: ${firstLine(error.message)}`);
  }
  if (code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
    return new AppError('CONFLICT', firstLine(error.message));
  }
  return error;
}

const firstLine = (message: string): string => message.split('\n')[0] ?? message;
