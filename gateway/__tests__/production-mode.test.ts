import { SUBGRAPH_MODULES } from '../../services';
import { subgraphServer } from '../../services/shared/subgraph';
import { startStack, type Stack } from '../../test/support/stack';

/*
 * Deployed, the servers run with NODE_ENV=production (the Dockerfile sets it, the benches too), where Apollo Server
 * changes its defaults: the public schema must stay readable by GraphiQL and codegen.
 */
describe('under NODE_ENV=production', () => {
  const before = process.env.NODE_ENV;
  let stack: Stack;
  beforeAll(async () => {
    process.env.NODE_ENV = 'production';
    stack = await startStack('in-process');
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    process.env.NODE_ENV = before;
  });

  it('the gateway answers introspection and still refuses with stable codes', async () => {
    const { status, body } = await stack.query('{ __schema { queryType { name } } }');
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    expect(body.data.__schema.queryType.name).toBe('Query');
    const refused = await stack.query('{ organizations { noSuchField } }');
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(refused.body.errors?.[0]?.extensions?.stacktrace).toBeUndefined();
  });

  it('a subgraph served on its own answers introspection', async () => {
    const apollo = subgraphServer(await SUBGRAPH_MODULES.networks.buildSchema());
    await apollo.start();
    try {
      const response = await apollo.executeOperation({ query: '{ __schema { queryType { name } } }' });
      expect(response.body.kind === 'single' && response.body.singleResult).toMatchObject({
        data: { __schema: { queryType: { name: 'Query' } } },
      });
      expect(response.body.kind === 'single' && response.body.singleResult.errors).toBeUndefined();
    } finally {
      await apollo.stop();
    }
  });
});
