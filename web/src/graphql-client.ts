/** A GraphQL error answer, with the stable code from `extensions.code`. */
export class GraphqlRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** POSTs one operation; throws GraphqlRequestError with the server's first error when there is one. */
export async function graphqlRequest<T>(
  endpoint: string,
  query: string,
  variables: Record<string, unknown>,
  options: { apiKey?: string; signal?: AbortSignal } = {},
): Promise<T> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: options.signal,
  });
  const body = (await response.json().catch(() => ({}))) as {
    data?: T;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
  const first = body.errors?.[0];
  if (first) throw new GraphqlRequestError(first.message, first.extensions?.code ?? 'ERROR');
  if (!response.ok || !body.data) throw new GraphqlRequestError(`HTTP ${response.status} from ${endpoint}`, 'HTTP_ERROR');
  return body.data;
}
