import { ApolloGateway, LocalGraphQLDataSource, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { execute, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { apiKeyFrom } from '../services/shared/auth';
import type { Config, SubgraphName } from '../services/shared/config';
import { serve, type Route, type Served } from '../services/shared/http';
import { DirectExecution, type DirectSubgraph } from './direct';
import { clientOf, fairSharePlugin } from './fair-share';
import { httpStatusPlugin } from './http-status';
import { queryLimitsPlugin } from './limits';
import { operatorSignals, type SignalContext } from './operator-signals';
import { WARM_UP_CLIENT } from './warm-up';
import type { ActorMeasures } from '../services/shared/actor-measures';
import type { Database } from '../services/shared/database';
import { exportRoutes } from '../exports/http';
import { requestContext, SERVER_POLICY, type DocumentImport, type RequestEnvironment } from '../services/shared/subgraph';
import { webRoutes } from '../web/routes';

interface GatewayContext extends SignalContext {
  apiKey?: string;
}

/** Passes the caller's API key on to every subgraph, so each can check the role itself. */
class KeyForwardingDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0]) {
    if (context.apiKey) request.http?.headers.set('x-api-key', context.apiKey);
  }

  /**
   * A pooled connection the subgraph closed just as it was reused fails with ECONNRESET before the request reached
   * it. A query is read-only, so it is sent once more on a fresh connection; a mutation is never repeated.
   */
  override async process(options: Parameters<RemoteGraphQLDataSource<GatewayContext>['process']>[0]) {
    try {
      return await super.process(options);
    } catch (error) {
      const reset = (error as NodeJS.ErrnoException).code === 'ECONNRESET';
      if (!reset || /^\s*mutation\b/.test(options.request.query ?? '')) throw error;
      return super.process(options);
    }
  }

  /**
   * A subgraph answers HTTP 400 when an argument fails its scalar (a bad CountryCode, say): the gateway knows the
   * scalar only by name. Pass the subgraph's own message and code on instead of a bare "400: Bad Request".
   */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]) {
    const body = (await response
      .clone()
      .json()
      .catch(() => undefined)) as { errors?: Array<{ message: string; extensions?: { code?: string } }> } | undefined;
    const first = body?.errors?.[0];
    if (response.status >= 400 && response.status < 500 && first) {
      const code = first.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' ? 'BAD_USER_INPUT' : (first.extensions?.code ?? 'BAD_USER_INPUT');
      return new GraphQLError(first.message, { extensions: { code } });
    }
    return super.errorFromResponse(response);
  }
}

/**
 * A subgraph executed in the gateway's own process (the single-machine default): no HTTP hop, no JSON round trip.
 * Each subgraph request gets the context a served subgraph would build: loaders of its own, the caller's role.
 * The gateway sends each subgraph the same few operation texts (one per fetch of each query plan), so each text is
 * parsed and validated once and kept, as a served Apollo Server keeps its documents; validating a subgraph fetch
 * again every time was the largest CPU cost of a simple request.
 */
class InProcessDataSource extends LocalGraphQLDataSource<GatewayContext> implements DirectSubgraph {
  private readonly documents = new LRUCache<string, { document: DocumentNode } | { errors: readonly GraphQLError[] }>({ max: 1000 });

  constructor(
    schema: GraphQLSchema,
    private readonly db: Database,
    private readonly subgraph: string,
    private readonly environment: RequestEnvironment,
  ) {
    super(schema);
  }

  override async process({ request, context }: Parameters<LocalGraphQLDataSource<GatewayContext>['process']>[0]) {
    return this.run(request, context as GatewayContext, request.operationName ?? undefined);
  }

  /** Executes one operation text (a gateway fetch, or a client's whole operation: gateway/direct.ts) in this process. */
  async run(
    request: { query?: string; variables?: Record<string, unknown>; operationName?: string | null },
    context: GatewayContext,
    fetchName: string | undefined,
  ) {
    const headers = context.apiKey ? { 'x-api-key': context.apiKey } : {};
    const origin = { subgraph: this.subgraph, operation: fetchName };
    const prepared = this.prepare(request.query ?? '');
    if ('errors' in prepared) return { errors: prepared.errors };
    const result = await execute({
      schema: this.schema,
      document: prepared.document,
      variableValues: request.variables,
      operationName: request.operationName,
      contextValue: requestContext(this.db, headers, this.environment, request.query, origin, context.tally),
    });
    // No data at all: the request itself was refused (a variable failing its scalar), as a served subgraph's 400.
    if (result.errors && !result.data) {
      return {
        ...result,
        errors: result.errors.map((e) =>
          e.extensions?.code ? e : new GraphQLError(e.message, { extensions: { code: 'BAD_USER_INPUT' } }),
        ),
      };
    }
    return result;
  }

  private prepare(query: string) {
    let prepared = this.documents.get(query);
    if (!prepared) {
      try {
        const document = parse(query);
        const errors = validate(this.schema, document);
        prepared = errors.length > 0 ? { errors } : { document };
      } catch (error) {
        prepared = { errors: [error as GraphQLError] };
      }
      this.documents.set(query, prepared);
    }
    return prepared;
  }
}

export interface GatewayOptions {
  supergraphSdl: string;
  config: Pick<
    Config,
    'host' | 'gatewayPort' | 'subgraphUrls' | 'limits' | 'fairShare' | 'corsOrigins' | 'logLevel' | 'apiKeys' | 'apiKeyLabels'
  >;
  /** Extra checks for /ready besides every subgraph answering (e.g. Neo4j). */
  ready?: () => Promise<boolean>;
  routes?: Record<string, Route>;
  port?: number;
  /** When given, the gateway serves /export/... straight from Neo4j (streaming is not a GraphQL job). */
  db?: Database;
  /** Where the request log goes (default: pino on stdout at `config.logLevel`). */
  logger?: Logger;
  /** Operations to run once at start (gateway/warm-up.ts; `warmedUp` says when done), so a shape's first request finds its path warm. */
  warmUp?: readonly string[];
  /** Subgraph schemas to execute in this process instead of calling their URLs (needs `db`). */
  inProcess?: Partial<Record<SubgraphName, GraphQLSchema>>;
  /** The IATI importer the in-process funding subgraph runs uploads with (`importIati` mutation). */
  importIati?: DocumentImport;
  /** Community and centrality scores the exports add to nodes when asked (`measures=`), from the insights subgraph. */
  actorMeasures?: ActorMeasures;
}

/**
 * The Apollo gateway over the supergraph composed at build time (schema/supergraph.graphql), routing each subgraph
 * to the URL from configuration. Depth and cost limits run before any subgraph is called; automatic persisted
 * queries are on (Apollo Server's default cache).
 */
export async function startGateway(options: GatewayOptions): Promise<Served & { warmedUp: Promise<void> }> {
  const inProcess = options.inProcess ?? {};
  if (Object.keys(inProcess).length > 0 && !options.db) throw new Error('in-process subgraphs need the database');
  const urls = Object.fromEntries(Object.entries(options.config.subgraphUrls).filter(([name]) => !inProcess[name as SubgraphName]));
  const local = new Map<string, InProcessDataSource>();
  const direct = new DirectExecution(local);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name }) => {
      const schema = inProcess[name as SubgraphName];
      if (!schema) return new KeyForwardingDataSource({ url: urls[name] ?? name });
      const source = new InProcessDataSource(schema, options.db!, name, { ...options.config, importIati: options.importIati });
      local.set(name, source);
      return source;
    },
    experimental_didResolveQueryPlan: direct.learn,
  });
  const signals = operatorSignals({ logLevel: options.config.logLevel, db: options.db, logger: options.logger });
  const apollo = new ApolloServer<GatewayContext>({
    gateway: direct.wrap(gateway),
    ...SERVER_POLICY,
    plugins: [
      queryLimitsPlugin(options.config.limits),
      fairSharePlugin(options.config.fairShare, options.config.limits),
      httpStatusPlugin(),
      signals.plugin,
    ],
  });
  await apollo.start();
  const served = await serve(apollo, {
    host: options.config.host,
    port: options.port ?? options.config.gatewayPort,
    context: async (req) => {
      const apiKey = apiKeyFrom(req.headers);
      return { apiKey, client: clientOf(apiKey, req.socket.remoteAddress), tally: { cypher: 0 } };
    },
    ready: async () => {
      const subgraphs = await Promise.all(
        Object.values(urls).map((url) =>
          fetch(url.replace(/\/graphql$/, '/health')).then(
            (r) => r.ok,
            () => false,
          ),
        ),
      );
      return subgraphs.every(Boolean) && (options.ready ? await options.ready() : true);
    },
    routes: {
      ...webRoutes(),
      ...(options.db ? exportRoutes(options.db, options.config, options.actorMeasures) : {}),
      ...signals.routes,
      ...options.routes,
    },
    corsOrigins: options.config.corsOrigins,
    around: signals.around,
  });
  // While serving (a question may wait for its subgraph's caches): the first request of a shape should not pay for
  // compiling the code on its path.
  const warmedUp = (async () => {
    for (const query of options.warmUp ?? []) await apollo.executeOperation({ query }, { contextValue: { client: WARM_UP_CLIENT } });
  })().catch(() => undefined);
  return {
    ...served,
    warmedUp,
    close: async () => {
      await served.close();
      await apollo.stop();
      signals.stop();
    },
  };
}
