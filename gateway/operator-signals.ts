import type { ApolloServerPlugin } from '@apollo/server';
import pino, { type Logger } from 'pino';
import { WARM_UP_CLIENT } from './warm-up';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database, StatementTally } from '../services/shared/database';
import type { Route } from '../services/shared/http';
import { importActivity } from '../services/shared/import-activity';
import { annotateActiveSpan, inSpan } from '../services/shared/tracing';
import type { ClientContext } from './fair-share';

/**
 * A gateway request's context as the signals read it: its client, and the tally its in-process subgraphs count their
 * Cypher statements into (a tagged database view per request, not an AsyncLocalStorage, whose promise hooks cost
 * every request; subgraphs served over HTTP count in their own process).
 */
export interface SignalContext extends ClientContext {
  tally?: StatementTally;
}

export interface OperatorSignals {
  logger: Logger;
  /** One JSON log line and the metrics of every GraphQL request. */
  plugin: ApolloServerPlugin<SignalContext>;
  /** Runs one HTTP request inside its trace span (when tracing is on). */
  around<T>(work: () => Promise<T>): Promise<T>;
  /** GET /metrics in Prometheus' text format. */
  routes: Record<string, Route>;
  /** Stops counting the database's statements. */
  stop(): void;
}

/** Seconds: from a cached answer to a question that runs into the transaction timeout. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20];

/**
 * The operator's view of the gateway: structured logs (pino, one line per request with operation, client,
 * duration, Cypher round trips and outcome code) and Prometheus metrics (prom-client: requests and latency per
 * operation and outcome, errors per code, Cypher statements per access mode, and the process's own CPU, memory,
 * event-loop lag and handles).
 */
export function operatorSignals(options: { logLevel: string; db?: Database; logger?: Logger }): OperatorSignals {
  const logger = options.logger ?? pino({ level: options.logLevel, base: { service: 'ogp-graph-gateway' } });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ogp_' });
  const duration = new Histogram({
    name: 'ogp_graphql_request_duration_seconds',
    help: 'GraphQL requests by operation name and outcome code (OK when no error).',
    labelNames: ['operation', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'ogp_graphql_errors_total',
    help: 'GraphQL errors answered, by stable code.',
    labelNames: ['code'],
    registers: [registry],
  });
  const cypher = new Counter({
    name: 'ogp_cypher_statements_total',
    help: 'Cypher statements sent to Neo4j, by access mode.',
    labelNames: ['mode'],
    registers: [registry],
  });
  const db = options.db;
  if (db) {
    new Gauge({
      name: 'ogp_neo4j_sessions_in_use',
      help: 'Neo4j sessions open now, each holding (or waiting for) a pooled connection (the driver pools at most 100).',
      registers: [registry],
      collect() {
        this.set(db.sessionsInUse);
      },
    });
    new Gauge({
      name: 'ogp_neo4j_available',
      help: '1 while Neo4j answers; 0 while the supervisor reports it down or the circuit breaker is open.',
      registers: [registry],
      collect() {
        this.set(db.available ? 1 : 0);
      },
    });
  }
  new Gauge({
    name: 'ogp_imports_running',
    help: 'Imports running in this process (sent through the API), by kind.',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const kind of ['iati', 'ocds', 'ogp'] as const)
        this.set({ kind }, importActivity().running.filter((r) => r.kind === kind).length);
    },
  });
  new Gauge({
    name: 'ogp_import_units_written',
    help: 'Units imports in this process have written: IATI activities, OCDS releases, OGP rows.',
    labelNames: ['kind', 'unit'],
    registers: [registry],
    collect() {
      for (const [key, value] of importActivity().written) {
        const [kind, unit] = key.split(' ') as [string, string];
        this.set({ kind, unit }, value);
      }
    },
  });
  const unsubscribe = options.db?.onQuery(({ mode }) => cypher.inc({ mode }));

  const plugin: ApolloServerPlugin<SignalContext> = {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ response, errors: failures, operationName, operation }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const codes = (failures ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          const outcome = codes[0] ?? 'OK';
          // Unnamed operations are grouped, so a client cannot grow the label set without bound.
          const name = operation?.name?.value ?? operationName ?? '(anonymous)';
          // The gateway's own start-up operations are no client's traffic: a debug line, no metrics.
          if (contextValue.client === WARM_UP_CLIENT) {
            logger.debug({ operation: name, client: contextValue.client, ms: Math.round(seconds * 10_000) / 10 }, 'warm-up request');
            return;
          }
          duration.observe({ operation: name.slice(0, 64), outcome }, seconds);
          annotateActiveSpan(`graphql ${name.slice(0, 64)}`, {
            'graphql.operation.name': name,
            'graphql.operation.type': operation?.operation ?? '',
            outcome,
            'http.response.status_code': response.http?.status ?? 200,
          });
          for (const code of codes) errors.inc({ code });
          const status = response.http?.status ?? 200;
          logger[status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info'](
            {
              operation: name,
              kind: operation?.operation,
              client: contextValue.client,
              ms: Math.round(seconds * 10_000) / 10,
              cypher: contextValue.tally?.cypher,
              outcome,
              status,
            },
            'graphql request',
          );
        },
      };
    },
  };

  return {
    logger,
    plugin,
    // The request's span is the parent of every Neo4j transaction its subgraphs run (when tracing is on).
    around: (work) => inSpan('graphql request', { 'service.component': 'gateway' }, work),
    stop: () => unsubscribe?.(),
    routes: {
      '/metrics': async (req, res) => {
        if (req.method !== 'GET') return false;
        res.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
      },
    },
  };
}
