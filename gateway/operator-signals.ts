import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import pino, { type Logger } from 'pino';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { Database } from '../services/shared/database';
import type { Route } from '../services/shared/http';
import type { ClientContext } from './fair-share';

/** What one request did, counted while it runs (every Cypher statement it sent, whichever subgraph sent it). */
interface RequestTally { cypher: number }

export interface OperatorSignals {
  logger: Logger;
  /** One JSON log line and the metrics of every GraphQL request. */
  plugin: ApolloServerPlugin<ClientContext>;
  /** Runs one HTTP request with its own tally, so the Cypher it causes is counted to it. */
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
  const tallies = new AsyncLocalStorage<RequestTally>();
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ogp_' });
  const duration = new Histogram({
    name: 'ogp_graphql_request_duration_seconds', help: 'GraphQL requests by operation name and outcome code (OK when no error).',
    labelNames: ['operation', 'outcome'], buckets: LATENCY_BUCKETS, registers: [registry],
  });
  const errors = new Counter({ name: 'ogp_graphql_errors_total', help: 'GraphQL errors answered, by stable code.', labelNames: ['code'], registers: [registry] });
  const cypher = new Counter({ name: 'ogp_cypher_statements_total', help: 'Cypher statements sent to Neo4j, by access mode.', labelNames: ['mode'], registers: [registry] });
  const unsubscribe = options.db?.onQuery(({ mode }) => {
    cypher.inc({ mode });
    const tally = tallies.getStore();
    if (tally) tally.cypher++;
  });

  const plugin: ApolloServerPlugin<ClientContext> = {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ response, errors: failures, operationName, operation }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const codes = (failures ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          const outcome = codes[0] ?? 'OK';
          // Unnamed operations are grouped, so a client cannot grow the label set without bound.
          const name = operation?.name?.value ?? operationName ?? '(anonymous)';
          duration.observe({ operation: name.slice(0, 64), outcome }, seconds);
          for (const code of codes) errors.inc({ code });
          const status = response.http?.status ?? 200;
          logger[status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info']({
            operation: name, kind: operation?.operation, client: contextValue.client, ms: Math.round(seconds * 10_000) / 10,
            cypher: tallies.getStore()?.cypher, outcome, status,
          }, 'graphql request');
        },
      };
    },
  };

  return {
    logger,
    plugin,
    around: (work) => tallies.run({ cypher: 0 }, work),
    stop: () => unsubscribe?.(),
    routes: {
      '/metrics': async (req, res) => {
        if (req.method !== 'GET') return false;
        res.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
      },
    },
  };
}
