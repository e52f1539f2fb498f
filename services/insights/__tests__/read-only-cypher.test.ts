import { KEYS } from '../../../test/support/env';
import { startStack, type Stack } from '../../../test/support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const CYPHER = `query($q: String!, $p: JSONObject, $max: Int) { cypher(query: $q, params: $p, maxRows: $max) { columns rows truncated } }`;
const asResearcher = (query: string, params?: Record<string, unknown>, maxRows?: number) =>
  stack.query(CYPHER, { q: query, p: params, max: maxRows }, { 'x-api-key': KEYS.researcher });

describe('read-only Cypher for researchers', () => {
  it('answers a parameterised read with its columns and JSON rows, graph elements included', async () => {
    const { body } = await asResearcher(
      'MATCH (o:Organization)-[:MEMBER_OF]->(n:Network {id: $network}) RETURN o.id AS id, o AS node ORDER BY id LIMIT $n',
      { network: 'loci-buenos-aires', n: 2 },
    );
    expect(body.errors).toBeUndefined();
    const answer = body.data.cypher;
    expect(answer.columns).toEqual(['id', 'node']);
    expect(answer.rows).toHaveLength(2);
    const expected = await stack.db.readRows<{ id: string }>(
      'MATCH (o:Organization)-[:MEMBER_OF]->(:Network {id: $network}) RETURN o.id AS id ORDER BY id LIMIT 2',
      { network: 'loci-buenos-aires' },
    );
    expect(answer.rows.map((r: { id: string }) => r.id)).toEqual(expected.map((r) => r.id));
    expect(answer.rows[0].node).toMatchObject({ labels: expect.arrayContaining(['Organization']), properties: { id: expected[0]!.id } });
    expect(answer.truncated).toBe(false);
  });

  it('caps the rows and says it did', async () => {
    const { body } = await asResearcher('UNWIND range(1, 50) AS i RETURN i', {}, 7);
    expect(body.data.cypher.rows.map((r: { i: number }) => r.i)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(body.data.cypher.truncated).toBe(true);
  });

  it('needs the researcher role', async () => {
    const anonymous = await stack.query(CYPHER, { q: 'RETURN 1 AS one' });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const reader = await stack.query(CYPHER, { q: 'RETURN 1 AS one' }, { 'x-api-key': KEYS.reader });
    expect(reader.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const curator = await stack.query(CYPHER, { q: 'RETURN 1 AS one' }, { 'x-api-key': KEYS.curator });
    expect(curator.body.data.cypher.rows).toEqual([{ one: 1 }]);
  });

  const WRITES: Array<[string, string]> = [
    ['CREATE', "CREATE (:CypherProbe {id: 'probe-create'})"],
    ['MERGE', "MERGE (p:CypherProbe {id: 'probe-merge'}) RETURN p"],
    ['SET', "MATCH (o:Organization {id: 'acij'}) SET o.probe = 'changed' RETURN o.id"],
    ['REMOVE', "MATCH (o:Organization {id: 'acij'}) REMOVE o.name RETURN o.id"],
    ['DELETE', "MATCH (o:Organization {id: 'acij'}) DETACH DELETE o"],
    ['LOAD CSV', "LOAD CSV FROM 'file:///etc/hostname' AS line RETURN line"],
    ['a writing procedure', "CALL db.createLabel('CypherProbeLabel')"],
    ['a schema command', 'CREATE INDEX cypher_probe FOR (n:CypherProbe) ON (n.id)'],
    ['batched writes', "CALL { CREATE (:CypherProbe {id: 'probe-batch'}) } IN TRANSACTIONS"],
    ['an administration procedure', 'CALL dbms.components()'],
    // The security review's hostile queries: each is refused, and the graph is unchanged after it.
    ['a write after a read', "MATCH (o:Organization {id: 'acij'}) WITH o CREATE (:CypherProbe {id: 'probe-after'})"],
    ['FOREACH writes', "FOREACH (i IN [1, 2] | CREATE (:CypherProbe {id: 'probe-foreach-' + i}))"],
    ['a write in a subquery', "MATCH (o:Organization {id: 'acij'}) CALL { WITH o SET o.probe = 1 } RETURN o.id"],
    ['a write hidden in a UNION', "RETURN 1 AS x UNION CREATE (p:CypherProbe {id: 'probe-union'}) RETURN 2 AS x"],
    ['a constraint', 'CREATE CONSTRAINT cypher_probe FOR (n:CypherProbe) REQUIRE n.id IS UNIQUE'],
    ['dropping the full-text index', 'DROP INDEX entity_names'],
    ['LOAD CSV over the network', "LOAD CSV FROM 'http://127.0.0.1:9/x.csv' AS line RETURN line"],
    ['LOAD CSV inside a subquery', "CALL { LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line } RETURN line"],
    ['listing connections', 'CALL dbms.listConnections()'],
    ['killing a connection', "CALL dbms.killConnection('bolt-1')"],
    ['reading the server configuration', 'CALL dbms.listConfig()'],
    ['reading JMX beans', "CALL dbms.queryJmx('*:*')"],
    ['clearing the query caches', 'CALL db.clearQueryCaches()'],
    ['creating a property key', "CALL db.createProperty('cypherProbeKey')"],
    ['creating a relationship type', "CALL db.createRelationshipType('CYPHER_PROBE')"],
    ['setting transaction metadata', 'CALL tx.setMetaData({probe: true})'],
    ['a writing procedure after a read', "MATCH (o:Organization {id: 'acij'}) CALL db.createLabel('CypherProbeLabel') RETURN o.id"],
    ['an APOC function', 'RETURN apoc.version() AS version'],
    ['an APOC procedure', "CALL apoc.load.json('file:///etc/passwd')"],
    ["showing other users' transactions", 'SHOW TRANSACTIONS'],
    ['terminating a transaction', "TERMINATE TRANSACTIONS 'neo4j-transaction-1'"],
    ['showing the settings', 'SHOW SETTINGS'],
  ];

  const ADMINISTRATION: Array<[string, string]> = [
    ['creating a user', "CREATE USER cypher_probe SET PASSWORD 'probe-password-1'"],
    ['changing the password', "ALTER CURRENT USER SET PASSWORD FROM 'wrong-password' TO 'probe-password-2'"],
    ['listing users', 'SHOW USERS'],
    ['switching to the system database', 'USE system SHOW USERS'],
    ['stopping a database', 'STOP DATABASE neo4j'],
  ];

  it.each(ADMINISTRATION)('refuses %s (administration belongs to the system database) and changes nothing', async (_name, query) => {
    const before = await graphFingerprint();
    const { body } = await asResearcher(query);
    expect(['FORBIDDEN', 'BAD_USER_INPUT']).toContain(body.errors?.[0]?.extensions?.code);
    expect(await graphFingerprint()).toEqual(before);
    expect(await stack.db.ping().then(() => 'answers')).toBe('answers');
  });

  it('still answers the procedures on the allow-list: the schema and full-text search', async () => {
    const labels = await asResearcher('CALL db.labels() YIELD label WITH label WHERE label = $l RETURN label', { l: 'Organization' });
    expect(labels.body.data.cypher.rows).toEqual([{ label: 'Organization' }]);
    const found = await asResearcher(
      "CALL db.index.fulltext.queryNodes('entity_names', 'acij') YIELD node WITH node WHERE node.id = 'acij' RETURN node.id AS id",
    );
    expect(found.body.errors).toBeUndefined();
    expect(found.body.data.cypher.rows).toEqual([{ id: 'acij' }]);
    const indexes = await asResearcher("SHOW INDEXES YIELD name WHERE name = 'entity_names' RETURN name");
    expect(indexes.body.data.cypher.rows).toEqual([{ name: 'entity_names' }]);
  });

  it.each(WRITES)('refuses %s with FORBIDDEN and changes nothing', async (_name, query) => {
    const before = await graphFingerprint();
    const { body } = await asResearcher(query);
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(body.errors?.[0]?.message).toMatch(/Read-only Cypher/);
    expect(await graphFingerprint()).toEqual(before);
  });

  it("reports a syntax error as BAD_USER_INPUT with Neo4j's explanation", async () => {
    const { body } = await asResearcher('MATCH (n RETURN n');
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toMatch(/^query: /);
  });
});

/** What the refused queries would have touched: probe nodes, the acij organization, the label and index lists. */
async function graphFingerprint() {
  const [row] = await stack.db.readRows(`
    OPTIONAL MATCH (p:CypherProbe) WITH count(p) AS probes
    MATCH (o:Organization {id: 'acij'})
    // Only the probes' own labels: other test files create and delete labels of their own meanwhile.
    CALL { CALL db.labels() YIELD label WITH label WHERE label STARTS WITH 'CypherProbe' RETURN collect(label) AS labels }
    RETURN probes, properties(o) AS acij, labels`);
  const indexes = await stack.db.readRows('SHOW INDEXES YIELD name RETURN name ORDER BY name');
  return { ...row, indexes: indexes.map((i) => i.name) };
}
