import { readSupergraph } from '../compose';
import { startGateway } from '../server';
import { WARM_UP_OPERATIONS } from '../warm-up';
import { config } from '../../services/shared/config';
import { inProcessSubgraphs } from '../../services/shared/subgraph';
import { startStack, type Stack } from '../../test/support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('in-process');
});
afterAll(() => stack.close());

describe('start-up warm-up operations', () => {
  it.each(WARM_UP_OPERATIONS.map((query) => [/query (\w+)/.exec(query)![1]!, query]))(
    '%s is valid against the API, reaches the database, and answers nothing or NOT_FOUND',
    async (_name, query) => {
      const statements: string[] = [];
      const off = stack.db.onQuery((event) => statements.push(event.cypher));
      const { body } = await stack.query(query);
      off();
      const codes = (body.errors ?? []).map((e) => e.extensions?.code);
      expect(codes.every((code) => code === 'NOT_FOUND')).toBe(true);
      expect(statements.length).toBeGreaterThan(0);
      expect(statements.every((cypher) => !/\b(CREATE|MERGE|SET|DELETE)\b/.test(cypher))).toBe(true);
    },
  );

  it('are run by a gateway given them, which serves meanwhile and says when they are done', async () => {
    const params: string[] = [];
    const off = stack.db.onQuery((event) => params.push(JSON.stringify(event.params)));
    const gateway = await startGateway({
      supergraphSdl: readSupergraph(),
      config: { ...config(), host: '127.0.0.1' },
      port: 0,
      db: stack.db,
      inProcess: await inProcessSubgraphs(stack.db),
      warmUp: WARM_UP_OPERATIONS,
    });
    try {
      expect((await fetch(gateway.url.replace(/\/graphql$/, '/health'))).status).toBe(200);
      await gateway.warmedUp;
      expect(params.filter((p) => p.includes('(gateway warm-up)')).length).toBeGreaterThanOrEqual(WARM_UP_OPERATIONS.length);
      // No client's traffic: left out of the request metrics.
      const metrics = await (await fetch(gateway.url.replace(/\/graphql$/, '/metrics'))).text();
      expect(metrics).toContain('ogp_');
      expect(metrics).not.toMatch(/operation="WarmUp/);
    } finally {
      off();
      await gateway.close();
    }
  });
});
