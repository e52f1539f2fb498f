import { tracedStack } from '../../test/support/traced-stack';

/*
 * OpenTelemetry, switched on: a GraphQL request is one span named after its operation, and every Neo4j transaction
 * and statement it causes (in whichever subgraph) is a span under it, beneath Apollo Gateway's own plan and fetch spans. The spans go to an in-memory exporter here;
 * `npm start` sends them to OTEL_EXPORTER_OTLP_ENDPOINT.
 */
const traced = tracedStack();
const { exporter } = traced;

describe('tracing', () => {
  it('traces a request as one span with its Neo4j transactions and statements beneath it', async () => {
    exporter.reset();
    const { body } = await traced.stack.query('query TracedOrganizations { organizations(first: 2) { edges { node { id name } } } }');
    expect(body.errors).toBeUndefined();
    const spans = exporter.getFinishedSpans();
    const request = spans.find((s) => s.name === 'graphql TracedOrganizations');
    expect(request).toBeDefined();
    expect(request!.attributes).toMatchObject({ 'graphql.operation.type': 'query', outcome: 'OK', 'http.response.status_code': 200 });
    // Under it (through Apollo Gateway's own spans: plan, fetch per subgraph), the Neo4j transactions.
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const under = (span: (typeof spans)[number], ancestor: string): boolean => {
      for (let parent = span.parentSpanContext?.spanId; parent; parent = byId.get(parent)?.parentSpanContext?.spanId)
        if (parent === ancestor) return true;
      return false;
    };
    const transactions = spans.filter((s) => s.name === 'neo4j read transaction' && under(s, request!.spanContext().spanId));
    expect(transactions.length).toBeGreaterThanOrEqual(1);
    // The operation is the gateway's name for the subgraph fetch: the client's operation, the subgraph, the fetch.
    expect(transactions[0]!.attributes).toMatchObject({
      'db.system': 'neo4j',
      app: 'ogp-graph',
      subgraph: 'actors',
      operation: expect.stringMatching(/^TracedOrganizations__actors__\d+$/),
    });
    const statements = spans.filter(
      (s) => s.name === 'neo4j statement' && transactions.some((t) => t.spanContext().spanId === s.parentSpanContext?.spanId),
    );
    expect(statements.length).toBeGreaterThanOrEqual(1);
    expect(String(statements[0]!.attributes['db.query.text'])).toMatch(/MATCH/);
    expect(new Set(spans.filter((s) => s.name.startsWith('neo4j')).map((s) => s.spanContext().traceId))).toEqual(
      new Set([request!.spanContext().traceId]),
    );
  });

  it('marks a refused request with its outcome code', async () => {
    exporter.reset();
    await traced.stack.query('query TracedMissing { organization(id: "no-such-organization") { id } }');
    expect(exporter.getFinishedSpans().find((s) => s.name === 'graphql TracedMissing')?.attributes).toMatchObject({
      outcome: 'NOT_FOUND',
      'http.response.status_code': 404,
    });
  });
});
