import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/**
 * The one registry of error codes a client can see in `extensions.code`.
 * Codes are stable: clients branch on them, so never rename one.
 */
export const ErrorCodes = {
  BAD_USER_INPUT: 'The request is well-formed GraphQL but an argument is invalid; the message names the field.',
  NOT_FOUND: 'No entity has the given id.',
  UNAUTHENTICATED: 'The operation needs an API key and none (or an unknown one) was sent.',
  FORBIDDEN: 'The API key is valid but its role does not allow the operation.',
  DATABASE_UNAVAILABLE: 'Neo4j cannot be reached or refused our credentials; retry later.',
  QUERY_TIMEOUT: 'The database query ran longer than the configured transaction timeout.',
  CONFLICT: 'The write would break a uniqueness rule of the graph.',
  QUERY_TOO_DEEP: 'The GraphQL operation nests deeper than the configured maximum depth.',
  QUERY_TOO_COMPLEX: 'The GraphQL operation is estimated to cost more than the configured maximum.',
  QUERY_TOO_LARGE: 'The query needs more memory than one transaction may use (NEO4J_TX_MEMORY_MAX); narrow it.',
  RATE_LIMITED: 'This client has too many operations in flight, or has spent its cost budget; retry after Retry-After seconds.',
  INTERNAL_SERVER_ERROR: 'An unexpected error; details are logged on the server, never sent to clients.',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/**
 * The HTTP status of an answer refused as a whole with each code (the gateway sets it: see gateway/http-status.ts):
 * 4xx when the request is at fault, 5xx only for a fault of ours or of the database. Apollo's own request codes too.
 */
export const HTTP_STATUS: Record<ErrorCode, number> & Record<string, number | undefined> = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CONFLICT: 409,
  QUERY_TOO_DEEP: 400,
  QUERY_TOO_COMPLEX: 400,
  QUERY_TOO_LARGE: 400,
  RATE_LIMITED: 429,
  DATABASE_UNAVAILABLE: 503,
  QUERY_TIMEOUT: 504,
  INTERNAL_SERVER_ERROR: 500,
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  OPERATION_RESOLUTION_FAILURE: 400,
};

/**
 * A problem the person running a command can fix (bad configuration, a port taken, invalid seed data, a failed
 * migration): command-line entry points print its message alone, without a stack trace (bin/cli.ts).
 */
export class UserError extends Error {
  constructor(message: string, name = 'UserError') {
    super(message);
    this.name = name;
  }
}

/** A command called with arguments it does not take: the usage line and what was wrong. */
export class UsageError extends UserError {
  constructor(usage: string, detail: string) {
    super(`${usage} (${detail})`, 'UsageError');
  }
}

/** An error whose code and message are safe to show to API clients. */
export class AppError extends GraphQLError {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
    this.code = code;
    this.name = 'AppError';
  }
}

export const badInput = (field: string, reason: string): AppError => new AppError('BAD_USER_INPUT', `${field}: ${reason}`, { field });

/** Refuses an integer argument outside 1..max with BAD_USER_INPUT naming it. */
export function checkCount(field: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max) throw badInput(field, `must be between 1 and ${max}`);
}

export const notFound = (kind: string, id: string): AppError => new AppError('NOT_FOUND', `No ${kind} with id "${id}".`, { id });

/** Codes Apollo Server itself assigns to request errors; safe to show. */
const APOLLO_PUBLIC_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Apollo `formatError`: our coded errors and Apollo's request errors reach the client (without stack traces);
 * anything else is logged and masked as INTERNAL_SERVER_ERROR.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR' && (code in ErrorCodes || APOLLO_PUBLIC_CODES.has(code))) {
    const { stacktrace: _drop, exception: _drop2, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  console.error('[graphql] masked error:', (error as { originalError?: unknown })?.originalError ?? error);
  return {
    message: 'Internal server error',
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
