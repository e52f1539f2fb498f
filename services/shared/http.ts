import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { UserError } from './errors';

const MAX_BODY_BYTES = 1_000_000;

/** A route handler besides /graphql; return false to fall through to 404. */
export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean | void> | boolean | void;

export interface ServeOptions<C extends BaseContext> {
  host: string;
  port: number;
  /** The request's context; `body` is the parsed POST body (GraphQL's query, variables), when there is one. */
  context: (req: IncomingMessage, body?: Record<string, unknown>) => Promise<C>;
  /** Checked when /ready is asked; resolve true when every dependency answers. */
  ready: () => Promise<boolean>;
  routes?: Record<string, Route>;
  corsOrigins?: readonly string[];
  /** Runs each request inside this (e.g. giving it its own async-local tally). */
  around?: <T>(work: () => Promise<T>) => Promise<T>;
}

export interface Served {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

const KEEP_ALIVE_MS = 65_000;

/**
 * Serves an Apollo Server on Node's http module: POST/GET /graphql, GET /health (the process lives),
 * GET /ready (its dependencies answer), plus extra routes. Bodies above 1 MB are refused before parsing.
 */
export async function serve<C extends BaseContext>(apollo: ApolloServer<C>, options: ServeOptions<C>): Promise<Served> {
  const around = options.around ?? ((work) => work());
  const server = createServer((req, res) => {
    around(() => handle(apollo, options, req, res)).catch((error: unknown) => {
      console.error('[http] unexpected error', error);
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
      else res.end();
    });
  });
  // Keep idle connections open longer than any client keeps them in its pool: a server closing an idle socket
  // while the gateway reuses it is the classic keep-alive race (ECONNRESET on a request that never arrived).
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new UserError(
              `Port ${options.port} on ${options.host} is already in use; set another port (GATEWAY_PORT, ACTORS_PORT, ...) or stop what listens there.`,
              'PortInUseError',
            )
          : error,
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://${options.host}:${port}/graphql`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle<C extends BaseContext>(apollo: ApolloServer<C>, options: ServeOptions<C>, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!applyCors(req, res, options.corsOrigins ?? [])) return;
  if (req.method === 'OPTIONS') {
    res.writeHead(204).end();
    return;
  }
  if (url.pathname === '/health') return send(res, 200, { status: 'ok' });
  if (url.pathname === '/ready') {
    const ready = await options.ready().catch(() => false);
    return send(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
  }
  if (url.pathname === '/graphql' || url.pathname === '/') {
    const body = req.method === 'POST' ? await readJson(req, res) : undefined;
    if (body === INVALID) return;
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
      context: () => options.context(req, typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') return void res.end(response.body.string);
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    return void res.end();
  }
  const route = options.routes?.[url.pathname] ?? matchPrefix(options.routes, url.pathname);
  if (route && (await route(req, res, url)) !== false) return;
  send(res, 404, { error: `no route ${url.pathname}` });
}

function matchPrefix(routes: Record<string, Route> | undefined, path: string): Route | undefined {
  const key = Object.keys(routes ?? {}).find((prefix) => prefix.endsWith('/') && path.startsWith(prefix));
  return key ? routes![key] : undefined;
}

/** Applies the CORS allow-list; returns false (and answers 403) for a browser origin not on it. */
function applyCors(req: IncomingMessage, res: ServerResponse, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (allowed.includes(origin) || allowed.includes('*')) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Allow-Headers', 'content-type, x-api-key, authorization, apollo-require-preflight');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    return true;
  }
  // Same-origin requests (the explorer page) carry an Origin equal to our own host.
  if (req.headers.host && new URL(origin).host === req.headers.host) return true;
  send(res, 403, { error: `origin ${origin} is not allowed (CORS_ORIGINS)` });
  return false;
}

const INVALID = Symbol('invalid');

async function readJson(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      send(res, 413, { errors: [{ message: `Request body larger than ${MAX_BODY_BYTES} bytes`, extensions: { code: 'BAD_USER_INPUT' } }] });
      req.destroy();
      return INVALID;
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    send(res, 400, { errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    return INVALID;
  }
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}
