import { Writable } from 'node:stream';
import pino from 'pino';
import { KEYS } from '../../test/support/env';
import { startStack, type Stack } from '../../test/support/stack';

/** The gateway's request log, as JSON lines written to a stream the test reads. */
const lines: Array<Record<string, unknown>> = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  }),
);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('in-process', {}, { logger });
}, 60_000);
afterAll(() => stack?.close());

const metrics = async () => (await fetch(stack.gateway.url.replace(/\/graphql$/, '/metrics'))).text();

describe('operator signals', () => {
  it('logs one JSON line per request: operation, client, duration, Cypher round trips, outcome', async () => {
    await stack.query('query TwoOrganizations { organizations(first: 2) { edges { node { id name } } } }');
    const ok = lines.find((l) => l.operation === 'TwoOrganizations');
    expect(ok).toMatchObject({
      level: 30,
      msg: 'graphql request',
      kind: 'query',
      outcome: 'OK',
      status: 200,
      client: expect.any(String),
      ms: expect.any(Number),
    });
    expect(ok!.cypher).toBeGreaterThanOrEqual(1);

    const { status } = await stack.query('query Unknown { organization(id: "no-such-organization") { id } }');
    const refused = lines.find((l) => l.operation === 'Unknown');
    expect(refused).toMatchObject({ outcome: 'NOT_FOUND', status });
  });

  it('serves Prometheus metrics: latency per operation and outcome, errors per code, Cypher statements, the process', async () => {
    await stack.query('query OneOrganization { organizations(first: 1) { edges { node { id } } } }');
    await stack.query('query OneOrganization { organizations(first: 1) { edges { node { id } } } }');
    const text = await metrics();
    expect(text).toMatch(/^ogp_graphql_request_duration_seconds_count\{operation="OneOrganization",outcome="OK"\} 2$/m);
    expect(text).toMatch(/^ogp_graphql_errors_total\{code="NOT_FOUND"\} [1-9]/m);
    expect(text).toMatch(/^ogp_cypher_statements_total\{mode="READ"\} [1-9]/m);
    expect(text).toMatch(/^ogp_process_resident_memory_bytes \d+/m);
  });

  it('shows Neo4j pool use and availability, and the imports the API ran, in the metrics', async () => {
    // While this test holds a session open, the gauge counts it (the metrics request itself needs none).
    const held = await stack.db.read(async () => metrics());
    expect(Number(/^ogp_neo4j_sessions_in_use (\d+)$/m.exec(held)?.[1])).toBeGreaterThanOrEqual(1);
    expect(held).toMatch(/^ogp_neo4j_available 1$/m);

    const xml =
      '<iati-activities version="2.03">' +
      [1, 2]
        .map(
          (i) =>
            `<iati-activity><iati-identifier>XM-METRICS-${i}</iati-identifier><title><narrative>Metrics ${i}</narrative></title></iati-activity>`,
        )
        .join('') +
      '</iati-activities>';
    const before = Number(/^ogp_import_units_written\{kind="iati",unit="activities"\} (\d+)$/m.exec(await metrics())?.[1] ?? 0);
    const imported = await stack.query(
      'mutation($x: String!) { importIati(xml: $x) { created } }',
      { x: xml },
      { 'x-api-key': KEYS.curator },
    );
    expect(imported.body.errors).toBeUndefined();
    const after = await metrics();
    expect(Number(/^ogp_import_units_written\{kind="iati",unit="activities"\} (\d+)$/m.exec(after)?.[1])).toBe(before + 2);
    expect(after).toMatch(/^ogp_imports_running\{kind="iati"\} 0$/m);
    await stack.db.writeRows("MATCH (g:Grant) WHERE g.iatiIdentifier STARTS WITH 'XM-METRICS-' DETACH DELETE g");
  });
});
