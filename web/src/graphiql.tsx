import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import 'graphiql/graphiql.css';

/**
 * GraphiQL over our gateway, bundled from npm (no CDN). The API key field sends `x-api-key`, so researchers can run
 * the read-only `cypher` query and curators their mutations from the same page.
 */
const endpoint = new URL('/graphql', window.location.href).toString();

const fetcher = async (params: unknown, options?: { headers?: Record<string, string> }) => {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options?.headers ?? {}) },
    body: JSON.stringify(params),
  });
  return response.json();
};

const DEFAULT_QUERY = `# OGP Graph: press the play button, or Ctrl-Enter.
# The Docs panel (book icon) describes every type and field.
query WhoBrokersBetweenNetworks {
  brokers(limit: 5) {
    actor { id name kind country }
    score
    groups
  }
}
`;

createRoot(document.getElementById('graphiql')!).render(
  <GraphiQL fetcher={fetcher as never} defaultQuery={DEFAULT_QUERY} defaultHeaders={'{\n  "x-api-key": ""\n}'} isHeadersEditorEnabled shouldPersistHeaders={false} />,
);
