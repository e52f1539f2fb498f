import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { HTTP_STATUS } from '../services/shared/errors';

/**
 * Honest HTTP statuses. A GraphQL answer that carries some data is 200 whatever its field errors; an answer refused
 * as a whole (no data, or every top-level field null) gets the status of its errors' code, so clients and load
 * balancers can tell a refusal (QUERY_TOO_DEEP: 400, FORBIDDEN: 403) from a fault (DATABASE_UNAVAILABLE: 503), and
 * never retry a 4xx. When an error says how long to wait (`retryAfterSeconds`), the answer carries `Retry-After`.
 */
export function httpStatusPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (!errors || errors.length === 0) return;
          const retryAfter = Math.max(0, ...errors.map((e) => Number(e.extensions?.retryAfterSeconds) || 0));
          if (retryAfter > 0) response.http.headers.set('retry-after', String(Math.ceil(retryAfter)));
          if (data && Object.values(data).some((value) => value !== null)) return;
          const status = statusOf(errors);
          if (status) response.http.status = status;
        },
      };
    },
  };
}

/** The status of the first error whose code has one: the error a client sees first. */
function statusOf(errors: readonly GraphQLFormattedError[]): number | undefined {
  for (const error of errors) {
    const status = HTTP_STATUS[String(error.extensions?.code)];
    if (status) return status;
  }
  return undefined;
}
