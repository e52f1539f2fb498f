import type { ApolloGateway, GatewayConfig } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { LRUCache } from 'lru-cache';

type DidResolveQueryPlan = NonNullable<GatewayConfig['experimental_didResolveQueryPlan']>;
type PlanEvent = Parameters<DidResolveQueryPlan>[0];
type GatewayLoad = Awaited<ReturnType<ApolloGateway['load']>>;
type Executor = GatewayLoad['executor'];
type ExecutionContext = Parameters<Executor>[0];
type ExecutionResult = Awaited<ReturnType<Executor>>;

/** A subgraph the gateway runs in its own process, able to execute a client's operation as it stands. */
export interface DirectSubgraph {
  /** Runs `query` as the subgraph's own operation (parsed and validated against its schema once, then cached). */
  run(
    request: { query: string; variables?: Record<string, unknown>; operationName?: string | null },
    context: ExecutionContext['context'],
    fetchName: string | undefined,
  ): Promise<ExecutionResult>;
}

/**
 * Operations the query planner sends whole to one in-process subgraph are executed there directly, as the client
 * wrote them: no rewritten fetch, no second parse and validation, no result shaping in the gateway. That shaping
 * walks every field of the answer again through federation's helpers; for a page of 150 members it was a fifth
 * of a request's CPU. Everything before execution is unchanged: Apollo Server parses and validates against the
 * supergraph, and the limits, fair-share and HTTP-status plugins run as for any request.
 *
 * Which operations qualify is learned from the planner itself: the first request of a document goes through the
 * gateway, whose plan (a single fetch to an in-process subgraph, needing no entity and rewriting nothing) marks the
 * document, and later requests of it take the direct path. Errors carry `serviceName`, as the gateway's do.
 */
export class DirectExecution {
  /** Per document (and operation name): the subgraph its plan sends it to whole, or null when it needs the planner. */
  private readonly routes = new LRUCache<string, { subgraph: string } | { subgraph: null }>({ max: 2000 });

  constructor(private readonly subgraphs: ReadonlyMap<string, DirectSubgraph>) {}

  /** The gateway's `experimental_didResolveQueryPlan`: remembers where each planned document goes. */
  readonly learn: DidResolveQueryPlan = ({ queryPlan, requestContext }: PlanEvent) => {
    const node = queryPlan.node;
    const whole =
      node?.kind === 'Fetch' &&
      !node.requires &&
      !node.inputRewrites?.length &&
      !node.outputRewrites?.length &&
      !node.contextRewrites?.length &&
      this.subgraphs.has(node.serviceName);
    this.routes.set(routeKey(requestContext), { subgraph: whole ? node.serviceName : null });
  };

  /** A gateway whose executor takes the direct path for the documents that qualify, and the planner's otherwise. */
  wrap(gateway: ApolloGateway): Pick<ApolloGateway, 'load' | 'onSchemaLoadOrUpdate' | 'stop'> {
    return {
      load: async (options) => {
        const loaded = await gateway.load(options);
        return { ...loaded, executor: (context) => this.execute(context) ?? loaded.executor(context) };
      },
      onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
      stop: () => gateway.stop(),
    };
  }

  private execute(context: ExecutionContext): Promise<ExecutionResult> | undefined {
    const name = this.routes.get(routeKey(context))?.subgraph;
    const subgraph = name ? this.subgraphs.get(name) : undefined;
    if (!name || !subgraph || context.source === undefined) return undefined;
    const { request } = context;
    // The gateway names a named operation's fetches `<operation>__<subgraph>__<n>`; the direct fetch is the only one.
    const operation = context.operationName ?? undefined;
    const fetchName = operation && `${operation}__${name}__0`;
    return subgraph
      .run({ query: context.source, variables: request.variables, operationName: request.operationName }, context.context, fetchName)
      .then((result) =>
        result.errors
          ? {
              ...result,
              errors: result.errors.map(
                (e) => new GraphQLError(e.message, { path: e.path, originalError: e, extensions: { ...e.extensions, serviceName: name } }),
              ),
            }
          : result,
      );
  }
}

const routeKey = (context: Pick<ExecutionContext, 'queryHash' | 'request'>): string =>
  `${context.queryHash}|${context.request.operationName ?? ''}`;
