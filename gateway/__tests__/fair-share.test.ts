import { KEYS } from '../../test/support/env';
import { startStack, type Stack } from '../../test/support/stack';

/*
 * One client cannot take the machine: its operations past the concurrency limit or its cost budget are refused at
 * once with RATE_LIMITED (429, Retry-After), and another client is served meanwhile.
 */
describe('fair sharing between clients', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('in-process', {}, { fairShare: { maxConcurrent: 2, costPerSecond: 50, costBurst: 400 } });
  });
  afterAll(() => stack.close());

  const post = async (query: string, key?: string) => {
    const started = performance.now();
    const response = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body, ms: performance.now() - started };
  };

  it("refuses 38 of 40 concurrent heavy queries from one key at once, and answers another key's light query within a second", async () => {
    // About a second of Neo4j work each.
    const heavy = '{ cypher(query: "UNWIND range(1, 6000000) AS x WITH x WHERE x % 7 = 3 RETURN count(*) AS n") { rows } }';
    const burst = Array.from({ length: 40 }, () => post(heavy, KEYS.researcher));
    await new Promise((resume) => setTimeout(resume, 150));
    const light = await post('{ organization(id: "imco") { name } }', KEYS.reader);
    const answers = await Promise.all(burst);

    expect(light.status).toBe(200);
    expect(light.body.errors).toBeUndefined();
    expect(light.ms).toBeLessThan(1000);
    const refused = answers.filter((a) => a.status === 429);
    const served = answers.filter((a) => a.status === 200);
    expect(served).toHaveLength(2);
    expect(refused).toHaveLength(38);
    for (const r of refused) {
      expect(r.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(r.ms).toBeLessThan(1000);
    }
  }, 60_000);

  it('refuses a client that has spent its cost budget, saying when to come back, while others still pass', async () => {
    const pricey = '{ organizations(first: 100) { edges { node { name } } } }';
    const first = await post(pricey, KEYS.curator);
    expect(first.status).toBe(200);
    const spent = await post(pricey, KEYS.curator);
    expect(spent.status).toBe(429);
    expect(spent.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(spent.retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await post(pricey)).status).toBe(200);
  });
});
