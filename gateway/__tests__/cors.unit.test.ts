import { readSupergraph } from '../compose';
import { startGateway } from '../server';
import { config, SUBGRAPHS, type SubgraphName } from '../../services/shared/config';
import type { Served } from '../../services/shared/http';

let gateway: Served;
const ALLOWED = 'https://app.example.org';

beforeAll(async () => {
  const settings = config();
  gateway = await startGateway({
    supergraphSdl: readSupergraph(),
    // The subgraphs are never called here: CORS is decided before any GraphQL runs.
    config: {
      ...settings,
      host: '127.0.0.1',
      corsOrigins: [ALLOWED],
      subgraphUrls: Object.fromEntries(SUBGRAPHS.map((n) => [n, 'http://127.0.0.1:9/graphql'])) as Record<SubgraphName, string>,
    },
    port: 0,
  });
});
afterAll(() => gateway.close());

describe('CORS allow-list (CORS_ORIGINS)', () => {
  it('answers a preflight from an allowed origin with that origin and the headers apps send', async () => {
    const response = await fetch(gateway.url, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, x-api-key' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/x-api-key/);
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });

  it('refuses an origin that is not listed, naming the setting', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await response.json()) as { error: string }).error).toMatch(/CORS_ORIGINS/);
  });

  it('lets same-origin pages and non-browser clients through', async () => {
    const host = new URL(gateway.url).host;
    const sameOrigin = await fetch(gateway.url, {
      method: 'POST',
      headers: { origin: `http://${host}`, 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(sameOrigin.status).toBe(200);
    const noOrigin = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(((await noOrigin.json()) as { data: { __typename: string } }).data.__typename).toBe('Query');
  });
});
