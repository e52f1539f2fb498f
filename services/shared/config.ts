import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { UserError } from './errors';

/** The project's root folder (where package.json lives), for both ts and compiled js. */
export const PROJECT_ROOT = ((): string => {
  const up = resolve(__dirname, '..', '..');
  return up.endsWith('dist') ? resolve(up, '..') : up;
})();

/** Roles an API key can carry; curators write, researchers run read-only Cypher, readers only read. */
export type Role = 'reader' | 'researcher' | 'curator';

export interface Neo4jConfig {
  /** bolt://, neo4j:// or neo4j+s:// URI of an external server; undefined means "run the embedded one". */
  uri: string | undefined;
  user: string;
  password: string;
  database: string;
  /** Server-side transaction timeout for every query we send. */
  transactionTimeoutMs: number;
  /** How long to wait for a connection before reporting DATABASE_UNAVAILABLE. */
  connectionTimeoutMs: number;
}

export interface EmbeddedConfig {
  boltPort: number;
  dataDir: string;
  heap: string;
  pageCache: string;
  /** Most heap one transaction may use (db.memory.transaction.max). */
  transactionMemory: string;
  /** JAVA_HOME-style override; otherwise `java` from PATH. */
  javaBin: string;
}

export interface Config {
  neo4j: Neo4jConfig;
  embedded: EmbeddedConfig;
  host: string;
  gatewayPort: number;
  subgraphPorts: Record<SubgraphName, number>;
  /** Where the gateway finds each subgraph; defaults to host + port above. */
  subgraphUrls: Record<SubgraphName, string>;
  /** `in-process`: `npm start` runs the five subgraphs inside the gateway; `http`: as separate servers at their URLs. */
  subgraphTransport: 'in-process' | 'http';
  apiKeys: ReadonlyMap<string, Role>;
  /** Who holds each key (by digest), when the configuration says: the author curators' judgements record. */
  apiKeyLabels: ReadonlyMap<string, string>;
  limits: { maxDepth: number; maxComplexity: number; maxPageSize: number };
  /** Per client (API key, else remote address): operations in flight at once, and a token bucket of estimated cost. */
  fairShare: { maxConcurrent: number; costPerSecond: number; costBurst: number };
  corsOrigins: string[];
  /** pino's level for the gateway's request log: trace, debug, info, warn, error, fatal or silent. */
  logLevel: string;
  /** Where OpenTelemetry spans go (OTLP/HTTP); undefined: tracing off. */
  tracingEndpoint?: string;
}

export const SUBGRAPHS = ['actors', 'networks', 'funding', 'commitments', 'insights'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

/** Every environment variable the project reads, with its meaning (the README table is generated from the same facts). */
export const ENV_VARS = {
  NEO4J_URI: 'External Neo4j URI; unset = run the embedded Neo4j',
  NEO4J_USER: 'Neo4j user (default neo4j)',
  NEO4J_PASSWORD: 'Neo4j password (default ogp-graph-dev; at least 8 characters)',
  NEO4J_DATABASE: 'Database name (default neo4j)',
  NEO4J_TX_TIMEOUT_MS: 'Transaction timeout in ms (default 15000)',
  NEO4J_CONNECT_TIMEOUT_MS: 'Connection timeout in ms (default 5000)',
  NEO4J_BOLT_PORT: 'Bolt port of the embedded Neo4j (default 7687)',
  NEO4J_DATA_DIR: 'Data folder of the embedded Neo4j (default .data/neo4j)',
  NEO4J_HEAP: 'JVM heap of the embedded Neo4j (default 2g)',
  NEO4J_PAGECACHE: 'Page cache of the embedded Neo4j (default 2g)',
  NEO4J_TX_MEMORY_MAX:
    'Most heap one transaction of the embedded Neo4j may use (default a quarter of NEO4J_HEAP); past it the query fails with QUERY_TOO_LARGE',
  JAVA_HOME: 'Java used for the embedded Neo4j (default: java on PATH)',
  HOST: 'Address services listen on (default 127.0.0.1)',
  GATEWAY_PORT: 'Gateway port (default 4000)',
  ACTORS_PORT: 'actors subgraph port (default 4001)',
  NETWORKS_PORT: 'networks subgraph port (default 4002)',
  FUNDING_PORT: 'funding subgraph port (default 4003)',
  COMMITMENTS_PORT: 'commitments subgraph port (default 4004)',
  INSIGHTS_PORT: 'insights subgraph port (default 4005)',
  ACTORS_URL: 'actors subgraph URL seen by the gateway',
  NETWORKS_URL: 'networks subgraph URL seen by the gateway',
  FUNDING_URL: 'funding subgraph URL seen by the gateway',
  COMMITMENTS_URL: 'commitments subgraph URL seen by the gateway',
  INSIGHTS_URL: 'insights subgraph URL seen by the gateway',
  SUBGRAPH_TRANSPORT:
    'in-process (default: npm start runs the subgraphs inside the gateway, no HTTP hop) or http (each on its port, as for scale-out)',
  API_KEYS:
    'Comma-separated key:role[:label] (or sha256:<hex digest>:role[:label]) pairs, roles reader|researcher|curator; the label names who holds the key',
  MAX_QUERY_DEPTH: 'Maximum GraphQL operation depth (default 12)',
  MAX_QUERY_COMPLEXITY: 'Maximum GraphQL operation cost (default 10000)',
  CLIENT_MAX_CONCURRENT: 'Operations one client (API key, else address) may have in flight at once (default 4); more answer RATE_LIMITED',
  CLIENT_COST_PER_SECOND: 'Estimated cost a client earns back per second (default 5000)',
  CLIENT_COST_BURST: 'Estimated cost a client may spend at once (default 50000)',
  MAX_PAGE_SIZE: 'Largest `first` a connection accepts (default 100)',
  CORS_ORIGINS: 'Comma-separated origins allowed to call the gateway from a browser',
  LOG_LEVEL: 'Level of the JSON request log on stdout: trace, debug, info (default: one line per request), warn, error, fatal, silent',
  OTEL_EXPORTER_OTLP_ENDPOINT:
    'OpenTelemetry collector (OTLP over HTTP, e.g. http://127.0.0.1:4318): when set, every request and Neo4j transaction is traced there (default off)',
} as const;

export type EnvName = keyof typeof ENV_VARS;
type Env = Partial<Record<string, string>>;

class ConfigError extends UserError {
  constructor(name: string, expected: string, got: string) {
    super(`Configuration ${name}: expected ${expected}, got "${got}"`, 'ConfigError');
  }
}

function int(env: Env, name: EnvName, fallback: number, min = 1, max = 2 ** 31): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `an integer between ${min} and ${max}`, raw);
  }
  return value;
}

/** An optional http(s) URL. */
function url(env: Env, name: EnvName): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  if (!/^https?:\/\/[^\s]+$/.test(raw)) throw new ConfigError(name, 'an http:// or https:// URL', raw);
  return raw;
}

function str(env: Env, name: EnvName, fallback: string): string {
  const raw = env[name];
  return raw === undefined || raw === '' ? fallback : raw;
}

function memory(env: Env, name: EnvName, fallback: string): string {
  const value = str(env, name, fallback);
  if (!/^\d+[kmg]$/i.test(value)) throw new ConfigError(name, 'a size like 512m or 2g', value);
  return value.toLowerCase();
}

/** A size like 512m or 2g in megabytes. */
export function megabytes(size: string): number {
  const n = Number(size.slice(0, -1));
  return { k: n / 1024, m: n, g: n * 1024 }[size.slice(-1).toLowerCase() as 'k' | 'm' | 'g'];
}

function oneOf<T extends string>(env: Env, name: EnvName, allowed: readonly T[], fallback: T): T {
  const value = str(env, name, fallback);
  if (!allowed.includes(value as T)) throw new ConfigError(name, allowed.join(' or '), value);
  return value as T;
}

const transport = (env: Env): 'in-process' | 'http' => oneOf(env, 'SUBGRAPH_TRANSPORT', ['in-process', 'http'], 'in-process');

/** An API key as configuration keeps it: its SHA-256 (hex), never the key itself. */
export const apiKeyDigest = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/**
 * `key:role[:label]`, or `sha256:<64 hex digits>:role[:label]` for a key given already hashed (so the configuration
 * need not hold the key). Either way only digests are kept, keyed to their role; the label (who holds the key) is
 * what curators' judgements record as their author.
 */
function parseApiKeys(raw: string | undefined): { roles: Map<string, Role>; labels: Map<string, string> } {
  const roles = new Map<string, Role>();
  const labels = new Map<string, string>();
  for (const pair of (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const parts = pair.split(':');
    const hashed = parts[0] === 'sha256' && parts.length >= 3 && /^[0-9a-f]{64}$/i.test(parts[1] ?? '');
    const [key, role, label, ...extra] = hashed ? parts.slice(1) : parts;
    if (!key || (role !== 'reader' && role !== 'researcher' && role !== 'curator') || extra.length > 0 || label === '') {
      // Never echo the key: the error names only the pair's shape.
      throw new ConfigError(
        'API_KEYS',
        'key:role[:label] or sha256:<64 hex digits>:role[:label] pairs with role reader, researcher or curator',
        `${'*'.repeat(Math.min(key?.length ?? 0, 8))}:${role ?? ''}`,
      );
    }
    const digest = hashed ? key.toLowerCase() : apiKeyDigest(key);
    roles.set(digest, role);
    if (label) labels.set(digest, label);
  }
  return { roles, labels };
}

/** Reads and validates the configuration from an environment (argument > environment > default). */
export function loadConfig(env: Env = process.env, root: string = PROJECT_ROOT): Config {
  const uri = env.NEO4J_URI || undefined;
  if (uri !== undefined && !/^(bolt|neo4j)(\+s|\+ssc)?:\/\/.+/.test(uri)) {
    throw new ConfigError('NEO4J_URI', 'a bolt://, neo4j:// or neo4j+s:// URI', uri);
  }
  const password = str(env, 'NEO4J_PASSWORD', 'ogp-graph-dev');
  const apiKeys = parseApiKeys(env.API_KEYS);
  if (uri === undefined && password.length < 8) {
    throw new ConfigError('NEO4J_PASSWORD', 'at least 8 characters (Neo4j refuses shorter ones)', '*'.repeat(password.length));
  }
  const host = str(env, 'HOST', '127.0.0.1');
  const subgraphPorts = {
    actors: int(env, 'ACTORS_PORT', 4001, 0, 65535),
    networks: int(env, 'NETWORKS_PORT', 4002, 0, 65535),
    funding: int(env, 'FUNDING_PORT', 4003, 0, 65535),
    commitments: int(env, 'COMMITMENTS_PORT', 4004, 0, 65535),
    insights: int(env, 'INSIGHTS_PORT', 4005, 0, 65535),
  };
  const urlOf = (name: SubgraphName): string =>
    str(env, `${name.toUpperCase()}_URL` as EnvName, `http://${host}:${subgraphPorts[name]}/graphql`);
  const config: Config = {
    neo4j: {
      uri,
      user: str(env, 'NEO4J_USER', 'neo4j'),
      password,
      database: str(env, 'NEO4J_DATABASE', 'neo4j'),
      transactionTimeoutMs: int(env, 'NEO4J_TX_TIMEOUT_MS', 15000),
      connectionTimeoutMs: int(env, 'NEO4J_CONNECT_TIMEOUT_MS', 5000),
    },
    embedded: {
      boltPort: int(env, 'NEO4J_BOLT_PORT', 7687, 1, 65535),
      dataDir: resolve(root, str(env, 'NEO4J_DATA_DIR', '.data/neo4j')),
      heap: memory(env, 'NEO4J_HEAP', '2g'),
      pageCache: memory(env, 'NEO4J_PAGECACHE', '2g'),
      transactionMemory: memory(env, 'NEO4J_TX_MEMORY_MAX', `${Math.max(64, Math.floor(megabytes(memory(env, 'NEO4J_HEAP', '2g')) / 4))}m`),
      javaBin: env.JAVA_HOME ? resolve(env.JAVA_HOME, 'bin', 'java') : 'java',
    },
    host,
    gatewayPort: int(env, 'GATEWAY_PORT', 4000, 0, 65535),
    subgraphPorts,
    subgraphUrls: {
      actors: urlOf('actors'),
      networks: urlOf('networks'),
      funding: urlOf('funding'),
      commitments: urlOf('commitments'),
      insights: urlOf('insights'),
    },
    subgraphTransport: transport(env),
    apiKeys: apiKeys.roles,
    apiKeyLabels: apiKeys.labels,
    fairShare: {
      maxConcurrent: int(env, 'CLIENT_MAX_CONCURRENT', 4),
      costPerSecond: int(env, 'CLIENT_COST_PER_SECOND', 5000),
      costBurst: int(env, 'CLIENT_COST_BURST', 50000),
    },
    limits: {
      maxDepth: int(env, 'MAX_QUERY_DEPTH', 12),
      maxComplexity: int(env, 'MAX_QUERY_COMPLEXITY', 10000),
      maxPageSize: int(env, 'MAX_PAGE_SIZE', 100),
    },
    corsOrigins: str(env, 'CORS_ORIGINS', '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    logLevel: oneOf(env, 'LOG_LEVEL', ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], 'info'),
    tracingEndpoint: url(env, 'OTEL_EXPORTER_OTLP_ENDPOINT'),
  };
  return deepFreeze(config);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Map)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

let cached: Config | undefined;
/** The process-wide configuration, read once from process.env. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
