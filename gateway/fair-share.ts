import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { OperationDefinitionNode } from 'graphql';
import type { Config } from '../services/shared/config';
import { AppError } from '../services/shared/errors';
import { measureOperation } from './limits';

/**
 * Fair sharing between clients. A client is its API key (hashed: the key itself is never kept) or, without one,
 * its remote address. Each may have `maxConcurrent` operations in flight and spends a token bucket of estimated
 * cost (the cost the limits count: fields times page sizes), refilled at `costPerSecond` up to `costBurst`.
 * Past either, the operation is refused before any subgraph is called with RATE_LIMITED (HTTP 429) and a
 * Retry-After, so one client's burst of heavy questions cannot take the machine from everyone else.
 */
export interface ClientContext {
  client: string;
}

interface ClientState {
  inFlight: number;
  tokens: number;
  refilledAt: number;
}

/** The client a request comes from. */
export function clientOf(apiKey: string | undefined, remoteAddress: string | undefined): string {
  return apiKey ? `key:${createHash('sha256').update(apiKey).digest('hex').slice(0, 16)}` : `address:${remoteAddress ?? 'unknown'}`;
}

export function fairSharePlugin(limits: Config['fairShare'], queryLimits: Config['limits']): ApolloServerPlugin<ClientContext> {
  const clients = new Map<string, ClientState>();
  const stateOf = (client: string): ClientState => {
    let state = clients.get(client);
    if (!state) clients.set(client, (state = { inFlight: 0, tokens: limits.costBurst, refilledAt: Date.now() }));
    const now = Date.now();
    state.tokens = Math.min(limits.costBurst, state.tokens + ((now - state.refilledAt) / 1000) * limits.costPerSecond);
    state.refilledAt = now;
    return state;
  };
  return {
    async requestDidStart({ contextValue }) {
      let admitted = false;
      return {
        async didResolveOperation({ operation, document, request, schema }) {
          if (!operation) return;
          const state = stateOf(contextValue.client);
          if (state.inFlight >= limits.maxConcurrent) {
            throw new AppError(
              'RATE_LIMITED',
              `This client already has ${state.inFlight} operations in flight; at most ${limits.maxConcurrent} at once (CLIENT_MAX_CONCURRENT).`,
              { retryAfterSeconds: 1 },
            );
          }
          const { depth, cost } = measureOperation({ operation: operation as OperationDefinitionNode, document, request, schema });
          // The query limits refuse this one anyway (QUERY_TOO_DEEP / QUERY_TOO_COMPLEX): it costs the client nothing.
          if (depth > queryLimits.maxDepth || cost > queryLimits.maxComplexity) return;
          if (cost > state.tokens) {
            const wait = Math.ceil((cost - state.tokens) / limits.costPerSecond);
            throw new AppError(
              'RATE_LIMITED',
              `This client has spent its cost budget (CLIENT_COST_BURST ${limits.costBurst}, earning back ${limits.costPerSecond} a second); this operation costs ${cost}.`,
              { retryAfterSeconds: Math.max(1, wait) },
            );
          }
          state.tokens -= cost;
          state.inFlight++;
          admitted = true;
        },
        async willSendResponse() {
          if (!admitted) return;
          admitted = false;
          const state = clients.get(contextValue.client);
          if (state) state.inFlight--;
        },
      };
    },
  };
}
