import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { callerFrom, type Caller } from './auth';
import type { Config, SubgraphName } from './config';
import { Loaders, selectsProvenance } from './cypher';
import type { Database, StatementTally } from './database';
import { formatError, notFound } from './errors';
import type { EntityLabel } from '../../schema/model';
import { serve, type Served } from './http';
import { prefetchPlan, selectsField, type Prefetchable } from './prefetch';

/** What every resolver of every subgraph receives: the shared executor, this request's loaders, the caller. */
export interface RequestContext {
  db: Database;
  loaders: Loaders;
  caller: Caller;
  /** The largest page a client may ask for (MAX_PAGE_SIZE). */
  maxPageSize: number;
  /** The IATI importer, for the upload mutation (given by whoever starts the server: services never import importers). */
  importIati?: DocumentImport;
}

/** What an importer reports of documents sent to it, as the upload mutation shows it. */
export interface DocumentImportReport {
  files: Array<{ status: 'imported' | 'failed'; error?: string }>;
  totals: ImportCounts & { files: number; failedFiles: number };
  rejections: Array<{ line: number; identifier: string; reason: string }>;
}

/** What an activity import counts, per file and in total (the IATI importer's report uses it too). */
export interface ImportCounts {
  activities: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  transactions: number;
  organizationsCreated: number;
  /** Batches Neo4j chose as deadlock victims between concurrent writers, and that were written again. */
  deadlockRetries: number;
}

/** An importer run on documents held in memory (importers/iati's `importIati` is one). */
export type DocumentImport = (db: Database, documents: Array<{ name: string; bytes: Buffer }>) => Promise<DocumentImportReport>;

/**
 * Builds a fresh context per request: loaders are never shared between requests. Its transactions carry the
 * subgraph and operation names as metadata, so `SHOW TRANSACTIONS` says which request a slow query belongs to.
 */
export function requestContext(
  db: Database,
  headers: IncomingMessage['headers'],
  environment: RequestEnvironment,
  query?: string,
  origin: { subgraph?: string; operation?: string } = {},
  tally?: StatementTally,
): RequestContext {
  const tagged = db.tagged({ subgraph: origin.subgraph, operation: origin.operation }, tally);
  return {
    db: tagged,
    loaders: new Loaders(tagged, selectsProvenance(query)),
    caller: callerFrom(headers, environment.apiKeys, environment.apiKeyLabels),
    maxPageSize: environment.limits.maxPageSize,
    importIati: environment.importIati,
  };
}

/** The API keys a request's key is checked against (from the configuration, read once at start). */
export type ApiKeys = Pick<Config, 'apiKeys' | 'apiKeyLabels'>;

/** What a request's context is made with besides the request: API keys, limits, and the importer uploads run. */
export type RequestEnvironment = ApiKeys & { limits: Pick<Config['limits'], 'maxPageSize'>; importIati?: DocumentImport };

/** No keys (every request anonymous) and the default page limit: for tests that need no role. */
export const NO_KEYS: RequestEnvironment = { apiKeys: new Map(), apiKeyLabels: new Map(), limits: { maxPageSize: 100 } };

export interface SubgraphModule {
  name: SubgraphName;
  buildSchema(): Promise<GraphQLSchema>;
  /** Work to begin when the subgraph starts serving (warming caches): serving does not wait for it. */
  onStart?(db: Database): Promise<void>;
}

/**
 * What every Apollo Server of ours shares, the gateway's and the subgraphs': our error policy, no stack traces, and
 * introspection on whatever NODE_ENV says (Apollo turns it off under `production`, which the Dockerfile and the
 * benches set; the schema is public, schema/supergraph.graphql, and GraphiQL and codegen read it). We stop in order
 * ourselves (bin/cli.ts): Apollo's own signal handling would re-raise the signal mid-way.
 */
export const SERVER_POLICY = {
  formatError,
  includeStacktraceInErrorResponses: false,
  introspection: true,
  stopOnTerminationSignals: false,
} as const;

/** An Apollo Server for a subgraph schema with our error policy. */
export function subgraphServer(schema: GraphQLSchema): ApolloServer<RequestContext> {
  return new ApolloServer<RequestContext>({
    schema,
    ...SERVER_POLICY,
    csrfPrevention: false,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
}

/** Starts one subgraph over HTTP; stateless, so any number can run behind a load balancer. */
export async function listenSubgraph(
  module: SubgraphModule,
  db: Database,
  port: number,
  settings: RequestEnvironment & Pick<Config, 'host'>,
): Promise<Served & { warmed: Promise<void> }> {
  const apollo = subgraphServer(await module.buildSchema());
  await apollo.start();
  const warmed = module.onStart?.(db) ?? Promise.resolve();
  const served = await serve(apollo, {
    host: settings.host,
    port,
    context: async (req, body) =>
      requestContext(db, req.headers, settings, typeof body?.query === 'string' ? body.query : undefined, {
        subgraph: module.name,
        operation: typeof body?.operationName === 'string' ? body.operationName : undefined,
      }),
    ready: async () => db.ping().then(() => true),
  });
  return {
    ...served,
    warmed,
    close: async () => {
      await served.close();
      await apollo.stop();
    },
  };
}

/** Every subgraph's schema, started (caches warming: `warmed` says when done), for a gateway that runs them itself. */
export async function inProcessSubgraphs(db: Database): Promise<Record<SubgraphName, GraphQLSchema> & { warmed?: Promise<void> }> {
  // Imported here: the registry imports every subgraph, which import this kernel module.
  const { SUBGRAPH_MODULES } = await import('../index');
  const schemas = {} as Record<SubgraphName, GraphQLSchema>;
  const warming: Array<Promise<void>> = [];
  for (const [name, module] of Object.entries(SUBGRAPH_MODULES) as Array<[SubgraphName, SubgraphModule]>) {
    schemas[name] = await module.buildSchema();
    if (module.onStart) warming.push(module.onStart(db));
  }
  // Not enumerable: the gateway reads the schemas by subgraph name.
  return Object.defineProperty(schemas, 'warmed', { value: Promise.all(warming).then(() => undefined), enumerable: false });
}

/** What a resolver that loads an entity knows of the selection below it (for reading it in the same statement). */
export interface Selection {
  info: GraphQLResolveInfo;
  /** The subgraph's fields that can be read with their node (its repository's PREFETCHABLE). */
  prefetchable: Prefetchable;
}

/** The loader for entities of `label` that also reads the relationships `selection` selects below them. */
export function entityLoaderFor(ctx: RequestContext, label: EntityLabel, selection?: Selection) {
  return selection
    ? ctx.loaders.entityWith(label, prefetchPlan(selection.prefetchable, label, selection.info, ctx.maxPageSize))
    : ctx.loaders.entity(label);
}

/**
 * Loads one entity by id through this request's loader, or throws NOT_FOUND: every by-id query behaves alike.
 * With `selection`, the relationships it selects below the entity come in the same statement.
 */
export async function loadOrNotFound(ctx: RequestContext, label: EntityLabel, id: string, selection?: Selection) {
  const row = await entityLoaderFor(ctx, label, selection).load(id);
  if (!row) throw notFound(label, id);
  return row;
}

/** Federation's reference resolver for an entity this subgraph owns: N representations, one statement. */
export const entityReference = (label: EntityLabel, prefetchable: Prefetchable) => ({
  // Federation calls it (reference, context, info); its type map knows only field resolvers, hence `unknown`.
  __resolveReference: (reference: { id: string }, ctx: RequestContext, info: unknown) =>
    entityLoaderFor(ctx, label, { info: info as GraphQLResolveInfo, prefetchable }).load(reference.id),
});

/**
 * The reference resolver for an entity another subgraph owns, to which this one adds relationship fields: the
 * relationships selected below the representations (and the name, for a type that shares it) are read for all of
 * them in one statement before their resolvers run; with neither selected, the representation is all it needs.
 */
export const extensionReference = (label: EntityLabel, prefetchable: Prefetchable) => ({
  __resolveReference: async (reference: { id: string }, ctx: RequestContext, info: unknown) => {
    const plan = prefetchPlan(prefetchable, label, info as GraphQLResolveInfo, ctx.maxPageSize);
    // A type that shares the owner's `name` (NamedEntityReference) answers it too: read with the plan.
    if (plan.length === 0 && !selectsField(info as GraphQLResolveInfo, label, 'name')) return reference;
    const found = await ctx.loaders.entityWith(label, plan, false).load(reference.id);
    return found ? { ...reference, name: found.name } : reference;
  },
});
