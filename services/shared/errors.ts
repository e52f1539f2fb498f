import { GraphQLError } from 'graphql';

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
  INTERNAL_SERVER_ERROR: 'An unexpected error; details are logged on the server, never sent to clients.',
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/** An error whose code and message are safe to show to API clients. */
export class AppError extends GraphQLError {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
    this.code = code;
    this.name = 'AppError';
  }
}

export const badInput = (field: string, reason: string): AppError =>
  new AppError('BAD_USER_INPUT', `${field}: ${reason}`, { field });

export const notFound = (kind: string, id: string): AppError =>
  new AppError('NOT_FOUND', `No ${kind} with id "${id}".`, { id });

/** True when the error carries one of our registered codes (so it may reach the client as is). */
export function hasPublicCode(error: unknown): boolean {
  const code = (error as { extensions?: { code?: unknown } })?.extensions?.code;
  return typeof code === 'string' && (code in ErrorCodes || code.startsWith('GRAPHQL_') || code === 'PERSISTED_QUERY_NOT_FOUND');
}
