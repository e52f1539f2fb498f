import { tracedStack } from '../../test/support/traced-stack';

/*
 * Direct execution (gateway/direct.ts): an operation the planner sends whole to one in-process subgraph runs there
 * as the client wrote it from its second request on. The answers must be the planner's, byte for byte, errors and
 * HTTP statuses included; and the second request must really skip the planner (no gateway fetch span).
 */
const traced = tracedStack();
const { exporter } = traced;

// Every row has its variables (jest would take a missing third value for a `done` callback).
const OPERATIONS: Array<[string, string, Record<string, unknown>]> = [
  [
    'a union list in a connection, with aliases and a fragment',
    'query Members($id: ID!) { network(id: $id) { id name members(first: 5) { totalCount edges { cursor node { role who: member { __typename ...M } } } } } } fragment M on Organization { id name }',
    { id: 'loci-buenos-aires' },
  ],
  [
    "an organization's networks and base, from the networks subgraph",
    'query Base { organization(id: "acij") { id basedIn { id name } networks { id kind members(first: 3) { edges { node { member { ... on Person { name } ... on Organization { name } } } } } } } }',
    {},
  ],
  [
    'sources selected',
    'query Sourced { network(id: "loci-jalisco") { name places { name } dataQualityFlags { kind documentSays { quote } } } }',
    {},
  ],
  ['an unknown id', 'query Missing { network(id: "no-such-network") { id name } }', {}],
  ['a directive on a variable', 'query Maybe($with: Boolean!) { network(id: "loci") { id name @include(if: $with) } }', { with: false }],
  ['a view', 'query View { relationshipView(id: "acij", depth: 1, limit: 20) { truncated nodes { id label } edges { id kind } } }', {}],
  ['a refused argument', 'query Deep { relationshipView(id: "acij", depth: 9) { truncated } }', {}],
];

describe('operations one in-process subgraph answers whole', () => {
  it.each(OPERATIONS)('answer as the planner did: %s', async (_name, query, variables) => {
    exporter.reset();
    const planned = await traced.stack.query(query, variables);
    const planSpans = exporter.getFinishedSpans().filter((s) => s.name === 'gateway.fetch');
    expect(planSpans.length).toBe(1);
    exporter.reset();
    const direct = await traced.stack.query(query, variables);
    const spans = exporter.getFinishedSpans();
    expect(spans.filter((s) => s.name === 'gateway.fetch' || s.name === 'gateway.plan')).toEqual([]);
    expect(direct).toEqual(planned);
  });

  it('keeps error codes, statuses and the subgraph named in errors, and resolves union members by their label', async () => {
    const query = 'query Missing2 { network(id: "no-such-network") { id } }';
    await traced.stack.query(query);
    const { status, body } = await traced.stack.query(query);
    expect(status).toBe(404);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', serviceName: 'networks' });
    const query2 = 'query Cohort { network(id: "loci-buenos-aires") { members(first: 50) { edges { node { member { __typename } } } } } }';
    await traced.stack.query(query2);
    const members = (await traced.stack.query(query2)).body.data as {
      network: { members: { edges: Array<{ node: { member: unknown } }> } };
    };
    expect(members.network.members.edges.map((e) => e.node.member)).toContainEqual({ __typename: 'Organization' });
  });

  it('leaves operations that need two subgraphs to the planner', async () => {
    const query = 'query Two { organization(id: "imco") { name grantsReceived { signedDate } memberships { role } } }';
    await traced.stack.query(query);
    exporter.reset();
    const { body } = await traced.stack.query(query);
    expect(body.errors).toBeUndefined();
    expect(exporter.getFinishedSpans().filter((s) => s.name === 'gateway.fetch').length).toBeGreaterThanOrEqual(2);
  });
});
