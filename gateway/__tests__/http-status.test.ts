import { KEYS } from '../../test/support/env';
import { httpStatusPlugin } from '../http-status';
import { startStack, type Stack } from '../../test/support/stack';

/*
 * Every refusal is a 4xx with its stable code, every fault of ours or of the database a 5xx, and an answer with
 * data a 200: asserted per code on the status and the body, through the gateway as clients see it.
 */
describe('HTTP statuses of refusals and faults', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('in-process');
  });
  afterAll(() => stack.close());

  const expectRefused = async (query: string, status: number, code: string, headers: Record<string, string> = {}) => {
    const answer = await stack.query(query, {}, headers);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe(code);
    expect(answer.status).toBe(status);
    return answer;
  };

  it('QUERY_TOO_DEEP is 400', async () => {
    const deep =
      '{ network(id: "loci") { cohorts { cohorts { cohorts { cohorts { cohorts { cohorts { cohorts { cohorts { cohorts { cohorts { cohorts { cohorts { id } } } } } } } } } } } } } }';
    const { body } = await expectRefused(deep, 400, 'QUERY_TOO_DEEP');
    expect(body.data).toBeUndefined();
  });

  it('QUERY_TOO_COMPLEX is 400', async () => {
    await expectRefused(
      '{ organizations(first: 100) { edges { node { people(first: 100) { edges { node { person { affiliations { organization { name } } } } } } } } } }',
      400,
      'QUERY_TOO_COMPLEX',
    );
  });

  it('BAD_USER_INPUT is 400 and names the field', async () => {
    const { body } = await expectRefused('{ people(first: 101) { totalCount } }', 400, 'BAD_USER_INPUT');
    expect(body.errors?.[0]?.extensions?.field).toBe('first');
  });

  it('GRAPHQL_VALIDATION_FAILED is 400', async () => {
    await expectRefused('{ organizations { noSuchField } }', 400, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('UNAUTHENTICATED is 401 and FORBIDDEN 403', async () => {
    const cypher = '{ cypher(query: "RETURN 1 AS one") { columns } }';
    await expectRefused(cypher, 401, 'UNAUTHENTICATED');
    await expectRefused(cypher, 403, 'FORBIDDEN', { 'x-api-key': KEYS.reader });
  });

  it('NOT_FOUND is 404', async () => {
    await expectRefused('{ collaborators(id: "no-such-actor") { totalCount } }', 404, 'NOT_FOUND');
  });

  it('an answer that carries data stays 200 whatever its field errors', async () => {
    const plugin = httpStatusPlugin();
    const response = {
      http: { status: undefined as number | undefined, headers: new Map<string, string>() },
      body: {
        kind: 'single',
        singleResult: { data: { a: null, b: { totalCount: 3 } }, errors: [{ message: 'No entity', extensions: { code: 'NOT_FOUND' } }] },
      },
    };
    const hooks = await plugin.requestDidStart!({} as never);
    await hooks!.willSendResponse!({ response } as never);
    expect(response.http.status).toBeUndefined();
    response.body.singleResult.data = { a: null, b: null } as never;
    await hooks!.willSendResponse!({ response } as never);
    expect(response.http.status).toBe(404);
  });

  it('DATABASE_UNAVAILABLE is 503 with Retry-After, at once, while the database is known to be down', async () => {
    stack.db.markUnavailable('the embedded Neo4j died and is restarting', 7);
    try {
      const started = Date.now();
      const response = await fetch(stack.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ organizations(first: 1) { totalCount } }' }),
      });
      const body = (await response.json()) as { errors?: Array<{ message: string; extensions?: { code?: string } }> };
      expect(Date.now() - started).toBeLessThan(1000);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/restarting/),
        extensions: { code: 'DATABASE_UNAVAILABLE' },
      });
    } finally {
      stack.db.markAvailable();
    }
    expect((await stack.query('{ organizations(first: 1) { totalCount } }')).status).toBe(200);
  });

  it('QUERY_TOO_LARGE is 400: a query past the per-transaction memory cap fails alone and the database lives on', async () => {
    const heavy = '{ cypher(query: "UNWIND range(1, 40000000) AS x RETURN size(collect(toString(x))) AS n") { rows } }';
    const { body } = await expectRefused(heavy, 400, 'QUERY_TOO_LARGE', { 'x-api-key': KEYS.researcher });
    expect(body.errors?.[0]?.message).toMatch(/memory/);
    expect((await stack.query('{ organizations(first: 1) { totalCount } }')).status).toBe(200);
  }, 60_000);
});

describe('HTTP status of a query past its time budget', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('in-process', { NEO4J_TX_TIMEOUT_MS: '400' });
  });
  afterAll(() => stack.close());

  it('QUERY_TIMEOUT is 504 and says the budget it hit', async () => {
    const slow = '{ cypher(query: "UNWIND range(1, 500000000) AS x WITH x WHERE x % 1000003 = -1 RETURN count(*) AS n") { rows } }';
    const answer = await stack.query(slow, {}, { 'x-api-key': KEYS.researcher });
    expect(answer.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/400 ms/),
      extensions: { code: 'QUERY_TIMEOUT', budgetMs: 400 },
    });
    expect(answer.status).toBe(504);
  }, 60_000);
});
