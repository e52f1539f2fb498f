import { SUBGRAPH_MODULES } from '..';
import { SUBGRAPHS } from '../shared/config';
import { NO_KEYS, requestContext, subgraphServer } from '../shared/subgraph';
import { testDatabase } from '../../test/support/database';

const db = testDatabase();
afterAll(() => db.close());

async function execute(name: (typeof SUBGRAPHS)[number], query: string, variables: Record<string, unknown> = {}) {
  const server = subgraphServer(await SUBGRAPH_MODULES[name].buildSchema());
  await server.start();
  try {
    const response = await server.executeOperation({ query, variables }, { contextValue: requestContext(db, {}, NO_KEYS) });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult;
  } finally {
    await server.stop();
  }
}

describe('each subgraph on its own', () => {
  it.each(SUBGRAPHS)('%s publishes its SDL through _service', async (name) => {
    const result = await execute(name, '{ _service { sdl } }');
    expect(result.errors).toBeUndefined();
    expect((result.data as { _service: { sdl: string } })._service.sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.5"');
  });

  it('actors resolves Organization and Place references in one Cypher query', async () => {
    const seen: string[] = [];
    const batches: Record<string, unknown[]> = {};
    const off = db.onQuery((e) => {
      seen.push(e.cypher);
      const label = /\((?:direct|n):(\w+) \{id: id\}\)/.exec(e.cypher)?.[1];
      if (label && e.cypher.startsWith('UNWIND $ids')) (batches[label] ??= []).push(e.params.ids);
    });
    const result = await execute(
      'actors',
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { id name } ... on Place { id iso2 } } }',
      {
        r: [
          { __typename: 'Organization', id: 'imco' },
          { __typename: 'Organization', id: 'acij' },
          { __typename: 'Organization', id: 'sercop' },
          { __typename: 'Place', id: 'ecuador' },
          { __typename: 'Organization', id: 'missing-org' },
        ],
      },
    );
    off();
    expect(result.data).toEqual({
      _entities: [
        { id: 'imco', name: 'Mexican Institute for Competitiveness' },
        { id: 'acij', name: 'Asociación Civil por la Igualdad y la Justicia' },
        { id: 'sercop', name: 'National Public Procurement Service' },
        { id: 'ecuador', iso2: 'EC' },
        null,
      ],
    });
    // One batch per label, holding exactly the ids asked for, in the order asked (dataloader's own tests assert so).
    expect(batches).toEqual({ Organization: [['imco', 'acij', 'sercop', 'missing-org']], Place: [['ecuador']] });
    expect(seen.filter((c) => c.includes('(direct:Organization {id: id})'))).toHaveLength(1); // merged-away ids answer too
  });

  it('networks adds memberships to an Organization it only knows by id', async () => {
    const result = await execute(
      'networks',
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { memberships { role network { name } } } } }',
      {
        r: [{ __typename: 'Organization', id: 'government-of-norway' }],
      },
    );
    expect(result.data).toEqual({
      _entities: [{ memberships: [{ role: 'founding government', network: { name: 'Open Government Partnership' } }] }],
    });
  });

  it('funding totals money per currency for many organizations at once', async () => {
    const result = await execute(
      'funding',
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { totalGiven { amount currency } } } }',
      {
        r: [
          { __typename: 'Organization', id: 'omidyar-network' },
          { __typename: 'Organization', id: 'datasketch' },
        ],
      },
    );
    expect(result.data).toEqual({ _entities: [{ totalGiven: [{ amount: 25000, currency: 'USD' }] }, { totalGiven: [] }] });
  });

  it('reports DATABASE_UNAVAILABLE when Neo4j cannot be reached', async () => {
    const down = testDatabase({ NEO4J_URI: 'bolt://127.0.0.1:1', NEO4J_CONNECT_TIMEOUT_MS: '1000' });
    const server = subgraphServer(await SUBGRAPH_MODULES.actors.buildSchema());
    await server.start();
    try {
      const response = await server.executeOperation(
        { query: '{ organization(id: "imco") { name } }' },
        { contextValue: requestContext(down, {}, NO_KEYS) },
      );
      const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
      expect(result?.errors?.[0]?.extensions?.code).toBe('DATABASE_UNAVAILABLE');
      expect(result?.errors?.[0]?.message).toContain('bolt://127.0.0.1:1');
    } finally {
      await server.stop();
      await down.close();
    }
  });
});
