import neo4j from 'neo4j-driver';
import { KEYS } from './support/env';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

describe('the federated API end to end (real subgraphs, gateway and Neo4j)', () => {
  it('answers a query crossing four subgraphs, with sources at every level', async () => {
    const { body } = await stack.query(`{
      sercop: organization(id: "sercop") {
        name kind country sources { title quote }
        commitments { role commitment { name actionPlan { name startYear endYear place { name iso2 } } sources { title } } }
        initiatives { role initiative { name } }
      }
      imco: organization(id: "imco") {
        name
        grantsReceived { value { amount currency } signedDate funders { name } sources { title quote } }
      }
      acij: organization(id: "acij") {
        name
        people { totalCount edges { node { person { name } title sources { quote } } } }
        memberships { role status network { name kind parent { name } hubs { name } } sources { quote } }
      }
    }`);
    expect(body.errors).toBeUndefined();
    const { sercop, imco, acij } = body.data;
    expect(sercop.commitments[0].commitment.actionPlan).toMatchObject({
      startYear: 2019,
      endYear: 2022,
      place: { name: 'Ecuador', iso2: 'EC' },
    });
    expect(sercop.sources[0].quote).toContain('SERCOP');
    expect(imco.grantsReceived).toEqual([
      expect.objectContaining({
        value: { amount: 25000, currency: 'USD' },
        signedDate: '2012-03-12',
        funders: [{ name: 'Omidyar Network' }],
      }),
    ]);
    expect(acij.people.edges[0].node).toMatchObject({
      person: { name: 'Joaquin Caprarulo' },
      title: 'Coordinator - Strengthening Democratic Institutions',
    });
    expect(acij.memberships[0]).toMatchObject({
      role: 'civil society',
      network: { name: 'LOCI Buenos Aires cohort', kind: 'COHORT', parent: { name: 'LOCI' }, hubs: [{ name: 'Hivos Latin America' }] },
    });
    expect(acij.memberships[0].sources[0].quote).toMatch(/Asociacion Civil/);
  });

  it('keeps data-quality flags on the entities they concern', async () => {
    const { body } = await stack.query(
      '{ network(id: "loci-jalisco") { name places { name } dataQualityFlags { kind what documentSays { quote } factIs { text } } } }',
    );
    expect(body.data.network.places).toEqual([{ name: 'Jalisco' }]);
    expect(body.data.network.dataQualityFlags).toEqual([
      expect.objectContaining({ kind: 'place_mismatch', documentSays: { quote: 'Jalisco, Mexico' } }),
    ]);
  });

  it('searches across entity types without accents or case and ranks exact names first', async () => {
    const { body } = await stack.query(
      '{ search(text: "asociacion civil por la igualdad y la justicia", first: 3) { totalCount edges { node { type score entity { ... on Organization { id name } } } } } }',
    );
    expect(body.data.search.edges[0].node).toMatchObject({
      type: 'ORGANIZATION',
      entity: { id: 'acij', name: 'Asociación Civil por la Igualdad y la Justicia' },
    });
    const stubs = await stack.query(
      '{ search(text: "Open Government Partnership", types: [NETWORK]) { edges { node { entity { ... on Network { id name kind } } } } } }',
    );
    expect(stubs.body.data.search.edges[0].node.entity).toEqual({
      id: 'open-government-partnership',
      name: 'Open Government Partnership',
      kind: 'PARTNERSHIP',
    });
  });

  it('pages lists as stable Relay connections', async () => {
    // Mexican organizations: a set other test files never add to.
    const first = await stack.query(
      '{ organizations(first: 3, filter: { country: "MX" }) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }',
    );
    const page1 = first.body.data.organizations;
    expect(page1.edges).toHaveLength(3);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await stack.query(
      'query($after: String) { organizations(first: 3, after: $after, filter: { country: "MX" }) { totalCount pageInfo { hasPreviousPage } edges { node { id } } } }',
      { after: page1.pageInfo.endCursor },
    );
    const page2 = second.body.data.organizations;
    expect(page2.totalCount).toBe(page1.totalCount);
    expect(page2.pageInfo.hasPreviousPage).toBe(true);
    const ids = [...page1.edges, ...page2.edges].map((e: { node: { id: string } }) => e.node.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('filters organizations by a place and everything inside it', async () => {
    const { body } = await stack.query('{ organizations(first: 50, filter: { place: "mexico" }) { edges { node { id } } } }');
    const ids = body.data.organizations.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids).toEqual(expect.arrayContaining(['government-of-mexico', 'orfis', 'inai']));
    expect(ids).not.toContain('sercop');
  });

  it('filters organizations by network, cohorts included', async () => {
    const { body } = await stack.query(
      '{ organizations(first: 50, filter: { network: "loci", kinds: [NETWORK_HUB] }) { totalCount edges { node { id } } } }',
    );
    expect(body.data.organizations.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([
      'hivos-latin-america',
      'hivos-southeast-asia',
    ]);
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    const { body } = await stack.query('{ organization(id: "no-such-org") { name } }');
    expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // Served from the networks subgraph when the selection stays there: the same error, the same message.
    const viaNetworks = await stack.query('{ organization(id: "no-such-org") { networks { id } } }');
    expect(viaNetworks.body.errors?.[0]).toMatchObject({ message: body.errors![0]!.message, extensions: { code: 'NOT_FOUND' } });
    expect(viaNetworks.body.data).toBeNull();
  });

  it('refuses a page larger than the maximum with BAD_USER_INPUT', async () => {
    const { body } = await stack.query('{ people(first: 101) { totalCount } }');
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('refuses a query deeper than the limit with QUERY_TOO_DEEP before calling any subgraph', async () => {
    const deep =
      '{ network(id: "loci") { cohorts { cohorts { cohorts { cohorts { cohorts { cohorts { cohorts { cohorts { cohorts { cohorts { cohorts { cohorts { id } } } } } } } } } } } } } }';
    const { body } = await stack.query(deep);
    expect(body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    expect(body.data).toBeUndefined();
  });

  it('refuses a query whose estimated cost is too high with QUERY_TOO_COMPLEX', async () => {
    const costly =
      '{ organizations(first: 100) { edges { node { people(first: 100) { edges { node { person { affiliations { organization { name } } } } } } } } } }';
    const { body } = await stack.query(costly);
    expect(body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('answers /health and /ready', async () => {
    const base = stack.gateway.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('supports automatic persisted queries', async () => {
    const query = '{ place(id: "cali") { name } }';
    const hash = require('node:crypto').createHash('sha256').update(query).digest('hex');
    const extensions = encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }));
    const base = stack.gateway.url;
    const miss: any = await (await fetch(`${base}?extensions=${extensions}`, { headers: { 'apollo-require-preflight': 'true' } })).json();
    expect(miss.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    await fetch(base, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    });
    const hit: any = await (await fetch(`${base}?extensions=${extensions}`, { headers: { 'apollo-require-preflight': 'true' } })).json();
    expect(hit.data).toEqual({ place: { name: 'Cali' } });
  });
});

describe('no N+1: DataLoaders batch every level (issue 4)', () => {
  /**
   * The statements one request sends: the fewest of three tries, because the listener hears everything sent on the
   * shared database meanwhile (the stack's own background work can only add statements, never remove the request's).
   */
  async function roundTrips(first: number): Promise<{ count: number; organizations: number }> {
    const tries: Array<{ count: number; organizations: number }> = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const seen: string[] = [];
      const off = stack.db.onQuery((event) => seen.push(event.cypher));
      const { body } = await stack.query(`{ organizations(first: ${first}) { edges { node {
        name basedIn { name } networks { name } grantsGiven { name } grantsReceived { name } commitments { commitment { name } } totalGiven { amount currency }
      } } } }`);
      off();
      expect(body.errors).toBeUndefined();
      tries.push({ count: seen.length, organizations: body.data.organizations.edges.length });
    }
    return tries.reduce((a, b) => (b.count < a.count ? b : a));
  }

  it('sends as many Cypher queries for 45 organizations as for 5', async () => {
    const few = await roundTrips(5);
    const many = await roundTrips(45);
    expect(many.organizations).toBeGreaterThanOrEqual(40);
    expect(few.organizations).toBe(5);
    expect(many.count).toBe(few.count);
    expect(many.count).toBeLessThanOrEqual(12);
  });

  it('resolves N entity references with one query', async () => {
    const seen: string[] = [];
    const off = stack.db.onQuery((event) => seen.push(event.cypher));
    const { body } = await stack.query(
      '{ network(id: "open-government-partnership") { members(first: 50) { edges { node { member { ... on Organization { name country } } } } } } }',
    );
    off();
    expect(body.data.network.members.edges.length).toBeGreaterThanOrEqual(8);
    // The batched look-up of organizations by id (services/shared/cypher.ts entitiesByIdCypher).
    const lookups = seen.filter((c) => c.includes('MATCH (direct:Organization {id: id})'));
    expect(lookups).toHaveLength(1);
  });
});

describe('curator mutations', () => {
  const citation = '{ sourceId: "src-ecuador-procurement-portal", quote: "Open Contracting Partnership" }';
  const created: string[] = [];
  afterAll(async () => {
    await stack.db.writeRows('UNWIND $ids AS id MATCH (n {id: id}) DETACH DELETE n', { ids: created });
  });

  it('answers UNAUTHENTICATED without an API key and FORBIDDEN with a reader key', async () => {
    const mutation = `mutation { createOrganization(id: "e2e-forbidden", input: { name: "Nope", kind: BUSINESS }, citation: ${citation}) { id } }`;
    expect((await stack.query(mutation)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await stack.query(mutation, {}, { 'x-api-key': KEYS.reader })).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await stack.query(mutation, {}, { 'x-api-key': 'made-up' })).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await stack.db.readRows('MATCH (n {id: "e2e-forbidden"}) RETURN n')).toHaveLength(0);
  });

  it('creates and updates an organization with a curator key, keeping provenance', async () => {
    const curator = { 'x-api-key': KEYS.curator };
    created.push('e2e-observatorio-ciudadano');
    const create = await stack.query(
      `mutation { createOrganization(id: "e2e-observatorio-ciudadano", input: { name: "Observatório Cidadão", kind: CIVIL_SOCIETY, country: "EC", aliases: ["OC"] }, citation: ${citation}) { id name country sources { quote } } }`,
      {},
      curator,
    );
    expect(create.body.data.createOrganization).toEqual({
      id: 'e2e-observatorio-ciudadano',
      name: 'Observatório Cidadão',
      country: 'EC',
      sources: [{ quote: 'Open Contracting Partnership' }],
    });
    const update = await stack.query(
      `mutation { updateOrganization(id: "e2e-observatorio-ciudadano", input: { description: "Watches procurement.", website: "https://observatorio.example.org/" }, citation: ${citation}) { name description aliases website } }`,
      {},
      curator,
    );
    expect(update.body.data.updateOrganization).toEqual({
      name: 'Observatório Cidadão',
      description: 'Watches procurement.',
      aliases: ['OC'],
      website: 'https://observatorio.example.org/',
    });
    const found = await stack.query(
      '{ search(text: "observatorio cidadao") { edges { node { entity { ... on Organization { id } } } } } }',
    );
    expect(found.body.data.search.edges[0].node.entity.id).toBe('e2e-observatorio-ciudadano');
  });

  it('rejects invalid input with BAD_USER_INPUT naming the field', async () => {
    const curator = { 'x-api-key': KEYS.curator };
    const noKind = await stack.query(
      `mutation { createOrganization(id: "e2e-bad", input: { name: "X" }, citation: ${citation}) { id } }`,
      {},
      curator,
    );
    expect(noKind.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.kind' });
    const badSource = await stack.query(
      'mutation { createOrganization(id: "e2e-bad", input: { name: "X", kind: MEDIA }, citation: { sourceId: "src-nope", quote: "abc" }) { id } }',
      {},
      curator,
    );
    expect(badSource.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'citation.sourceId' });
    const badCountry = await stack.query(
      `mutation { createOrganization(id: "e2e-bad", input: { name: "X", kind: MEDIA, country: "ZZZ" }, citation: ${citation}) { id } }`,
      {},
      curator,
    );
    expect(badCountry.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('writes a grant, its funder and recipient links and the money flow in one transaction, or nothing', async () => {
    const curator = { 'x-api-key': KEYS.curator };
    const failing = await stack.query(
      `mutation { createGrant(id: "e2e-grant-bad", input: { name: "Bad", amount: 10, currency: "USD", funderId: "omidyar-network", recipientId: "nobody" }, citation: ${citation}) { id } }`,
      {},
      curator,
    );
    expect(failing.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await stack.db.readRows('MATCH (g:Grant {id: "e2e-grant-bad"}) RETURN g')).toHaveLength(0);
    created.push('e2e-grant');
    const ok = await stack.query(
      `mutation { createGrant(id: "e2e-grant", input: { name: "Portal grant", amount: 1000, currency: "USD", signedDate: "2021-06", funderId: "caf", recipientId: "sercop" }, citation: ${citation}) { id value { amount currency } funders { name } recipients { name } } }`,
      {},
      curator,
    );
    expect(ok.body.data.createGrant).toEqual({
      id: 'e2e-grant',
      value: { amount: 1000, currency: 'USD' },
      funders: [{ name: 'CAF' }],
      recipients: [{ name: 'National Public Procurement Service' }],
    });
    const flows = await stack.query(
      '{ organization(id: "sercop") { fundedBy { organization { id } value { amount currency } grantId } } }',
    );
    expect(flows.body.data.organization.fundedBy).toEqual([
      { organization: { id: 'caf' }, value: { amount: 1000, currency: 'USD' }, grantId: 'e2e-grant' },
    ]);
    const noCurrency = await stack.query(
      `mutation { updateGrant(id: "e2e-grant", input: { amount: 5 }, citation: ${citation}) { id } }`,
      {},
      curator,
    );
    expect(noCurrency.body.errors).toBeUndefined();
    // The money flow follows the grant's new amount (found through the grant's funder, not by a scan).
    const updated = await stack.query('{ organization(id: "sercop") { fundedBy { value { amount currency } grantId } } }');
    expect(updated.body.data.organization.fundedBy).toEqual([{ value: { amount: 5, currency: 'USD' }, grantId: 'e2e-grant' }]);
    await stack.db.writeRows("MATCH ()-[r:FUNDED {grantId: 'e2e-grant'}]->() DELETE r");
  });

  it('records a membership once even when sent twice', async () => {
    const curator = { 'x-api-key': KEYS.curator };
    const mutation = `mutation { upsertMembership(input: { memberId: "datasketch", networkId: "eiti", role: "e2e observer", since: "2020" }, citation: ${citation}) { id role since member { ... on Organization { name } } network { name } } }`;
    const first = await stack.query(mutation, {}, curator);
    const second = await stack.query(mutation, {}, curator);
    expect(second.body.data.upsertMembership.id).toBe(first.body.data.upsertMembership.id);
    expect(first.body.data.upsertMembership.member).toEqual({ name: 'Datasketch' });
    const rows = await stack.db.readRows("MATCH (:Organization {id: 'datasketch'})-[r:MEMBER_OF {role: 'e2e observer'}]->() RETURN r");
    expect(rows).toHaveLength(1);
    await stack.db.writeRows("MATCH (:Organization {id: 'datasketch'})-[r:MEMBER_OF {role: 'e2e observer'}]->() DELETE r");
  });

  it('records a commitment in an action plan with its responsible organization', async () => {
    const curator = { 'x-api-key': KEYS.curator };
    created.push('e2e-commitment');
    const { body } = await stack.query(
      `mutation { createCommitment(id: "e2e-commitment", input: { name: "Open contracting data for all buyers", actionPlanId: "ecuador-nap-1-2019-2022", organizationId: "sercop" }, citation: ${citation}) { id actionPlan { id } madeBy { role organization { name } } } }`,
      {},
      curator,
    );
    expect(body.data.createCommitment).toEqual({
      id: 'e2e-commitment',
      actionPlan: { id: 'ecuador-nap-1-2019-2022' },
      madeBy: [{ role: 'lead', organization: { name: 'National Public Procurement Service' } }],
    });
  });
});

describe('the gateway running the subgraphs in its own process (the npm start default)', () => {
  let local: Stack;
  beforeAll(async () => {
    local = await startStack('in-process');
  });
  afterAll(() => local.close());

  it.each([
    [
      'a query crossing subgraphs',
      '{ organization(id: "imco") { name grantsReceived { value { amount currency } funders { name } } memberships { network { name } } } }',
      {},
    ],
    [
      'an entity reference resolved by another subgraph',
      '{ network(id: "loci-buenos-aires") { name members(first: 5) { totalCount edges { node { ... on Organization { id name } } } } } }',
      {},
    ],
    [
      'a network question',
      '{ collaborators(id: "acij", linkKinds: [NETWORK, HUB], first: 5) { totalCount edges { node { actor { id } hops } } } }',
      {},
    ],
    ['NOT_FOUND', '{ organization(id: "nobody-at-all") { id } }', {}],
    [
      'a variable failing its scalar',
      'query($c: CountryCode) { organizations(first: 1, filter: { country: $c }) { totalCount } }',
      { c: 'not-a-country' },
    ],
    [
      'a mutation without a key',
      'mutation { createOrganization(id: "e2e-local", input: { name: "Nope", kind: BUSINESS }, citation: { sourceId: "src-x", quote: "quote" }) { id } }',
      {},
    ],
  ])('answers %s exactly as over HTTP', async (_name, query, variables) => {
    const [overHttp, inProcess] = await Promise.all([stack.query(query, variables), local.query(query, variables)]);
    expect(inProcess.status).toBe(overHttp.status);
    expect(inProcess.body.data).toEqual(overHttp.body.data);
    expect(inProcess.body.errors?.map((e) => e.extensions?.code)).toEqual(overHttp.body.errors?.map((e) => e.extensions?.code));
  });
});

describe('pages of a long list are cut in Cypher', () => {
  const membersQuery = (
    first: number,
    after?: string,
  ) => `{ network(id: "open-government-partnership") { members(first: ${first}${after ? `, after: "${after}"` : ''}) {
    totalCount pageInfo { endCursor hasNextPage } edges { node { role member { ... on Organization { id name } ... on Person { id name } } } } } } }`;

  it("pages through a network's members in order, each page cut by SKIP/LIMIT in the network's one statement", async () => {
    const all = await stack.query(membersQuery(100));
    const everyone = all.body.data.network.members.edges.map((e: any) => e.node.member.id);
    const total = all.body.data.network.members.totalCount;
    expect(everyone.length).toBe(total);
    expect(total).toBeGreaterThanOrEqual(8);

    const seen: Array<{ cypher: string; params: Record<string, unknown> }> = [];
    const off = stack.db.onQuery((event) => {
      if (event.cypher.includes('MEMBER_OF')) seen.push(event);
    });
    const first = await stack.query(membersQuery(3));
    const second = await stack.query(membersQuery(3, first.body.data.network.members.pageInfo.endCursor));
    off();
    const ids = [first, second].flatMap((p) => p.body.data.network.members.edges.map((e: any) => e.node.member.id));
    expect(ids).toEqual(everyone.slice(0, 6));
    expect(first.body.data.network.members).toMatchObject({ totalCount: total, pageInfo: { hasNextPage: true } });
    // Names come from the actors subgraph; the networks subgraph read the network and one page of member references.
    expect(first.body.data.network.members.edges[0].node.member.name).toEqual(expect.any(String));
    expect(seen).toHaveLength(2);
    const windowOf = (params: Record<string, unknown>) =>
      ['offset', 'limit'].map((part) => {
        const value = Object.entries(params).find(([name]) => name === part || name.endsWith(`_${part}`))?.[1];
        return neo4j.isInt(value) ? value.toNumber() : value;
      });
    expect(seen.map((s) => windowOf(s.params))).toEqual([
      [0, 3],
      [3, 3],
    ]);
    for (const statement of seen) expect(statement.cypher).toMatch(/SKIP \$\w+ LIMIT \$\w+/);
  });
});

describe('provenance is read when it is selected, and only then', () => {
  async function statements(query: string) {
    const seen: string[] = [];
    const off = stack.db.onQuery((event) => seen.push(event.cypher));
    const { body } = await stack.query(query);
    off();
    expect(body.errors).toBeUndefined();
    return { body, citing: seen.filter((c) => c.includes('MATCH (s:Source')).length, total: seen.length };
  }

  it('skips citations and flags for an operation that selects neither, and reads them when it does', async () => {
    const lean = await statements('{ organization(id: "imco") { name networks { name } partners { partner { name } } } }');
    const full = await statements(
      '{ organization(id: "imco") { name sources { quote } networks { name } partners { partner { name } sources { quote } } } }',
    );
    expect(lean.citing).toBe(0);
    expect(full.citing).toBeGreaterThan(0);
    expect(lean.total).toBe(full.total);
    expect(full.body.data.organization.sources.length).toBeGreaterThan(0);
    expect(lean.body.data.organization.networks).toEqual(full.body.data.organization.networks);
  });
});

describe("a relationship's properties are read only for selections that use them", () => {
  const MEMBERS = (fields: string) =>
    `members(first: 20) { edges { node { ${fields} member { ... on Organization { id name } ... on Person { id name } } } } }`;

  it('reads memberships lean for members alone, fully when a role is selected, and both right in one request', async () => {
    const cyphers: string[] = [];
    const off = stack.db.onQuery((event) => cyphers.push(event.cypher));
    const lean = await stack.query(`{ network(id: "loci-buenos-aires") { ${MEMBERS('')} } }`);
    const leanCyphers = cyphers.splice(0);
    const full = await stack.query(`{ network(id: "loci-buenos-aires") { ${MEMBERS('id role since sources { quote }')} } }`);
    const fullCyphers = cyphers.splice(0);
    // Both in one request (one statement's tree for both aliases: read fully, or the roles would be missing).
    const both = await stack.query(
      `{ network(id: "loci-buenos-aires") { a: ${MEMBERS('')} b: ${MEMBERS('id role since sources { quote }')} } }`,
    );
    off();
    const rows = (body: any, key = 'members') => body.data.network[key].edges.map((e: any) => e.node);
    expect(rows(lean.body).length).toBeGreaterThan(2);
    expect(rows(full.body).some((m: { role?: string }) => m.role)).toBe(true);
    expect(rows(lean.body)).toEqual(rows(full.body).map((m: { member: unknown }) => ({ member: m.member })));
    expect(rows(both.body, 'a')).toEqual(rows(lean.body));
    expect(rows(both.body, 'b')).toEqual(rows(full.body));
    // Lean: nothing of the membership is returned (no property map, no type, no citations), only the member.
    expect(leanCyphers.join('\n')).toContain('MEMBER_OF');
    expect(leanCyphers.join('\n')).not.toMatch(/r_p0 \{|type\(r_p0\)|rel:/);
    expect(fullCyphers.join('\n')).toMatch(/rel: r_p0 \{\.\*, __type: type\(r_p0\)/);
  });

  it('reads memberships lean through the page loader too, where no prefetch read them (a list of networks)', async () => {
    const members = (fields: string) =>
      `{ networks(first: 5) { edges { node { id members(first: 3) { edges { node { ${fields} member { ... on Organization { id name } } } } } } } } }`;
    const cyphers: string[] = [];
    const off = stack.db.onQuery((event) => cyphers.push(event.cypher));
    const lean = await stack.query(members(''));
    const leanCyphers = cyphers.splice(0).filter((c) => c.includes('MEMBER_OF'));
    const full = await stack.query(members('role'));
    off();
    expect(lean.body.errors).toBeUndefined();
    const rows = (body: any) => body.data.networks.edges.map((e: any) => e.node.members.edges.map((m: any) => m.node.member?.id ?? null));
    expect(rows(lean.body).flat().length).toBeGreaterThan(3);
    expect(rows(lean.body)).toEqual(rows(full.body));
    expect(leanCyphers.length).toBeGreaterThan(0);
    expect(leanCyphers.join('\n')).not.toMatch(/type\(r\)|rel:/);
  });

  it("reads an organization's networks without their membership properties, its memberships with them", async () => {
    const { body } = await stack.query(
      '{ organization(id: "government-of-mexico") { networks { id } memberships { role network { id } } } }',
    );
    expect(body.errors).toBeUndefined();
    const { networks, memberships } = body.data.organization;
    expect(networks.length).toBeGreaterThan(0);
    expect(memberships.some((m: { role?: string }) => m.role)).toBe(true);
    expect(new Set(networks.map((n: { id: string }) => n.id))).toEqual(new Set(memberships.map((m: any) => m.network.id)));
  });
});

describe('a list counts its total only for clients that read it', () => {
  it('answers the same page without counting when neither totalCount nor pageInfo is selected', async () => {
    const params: Array<Record<string, unknown>> = [];
    const off = stack.db.onQuery((event) => {
      if ('withTotal' in event.params) params.push(event.params);
    });
    const bare = await stack.query('{ organizations(first: 7, sort: NAME) { edges { node { id } } } }');
    const counted = await stack.query(
      '{ organizations(first: 7, sort: NAME) { totalCount pageInfo { hasNextPage } edges { node { id } } } }',
    );
    off();
    expect(params.map((p) => p.withTotal)).toEqual([false, true]);
    expect(bare.body.data.organizations.edges).toEqual(counted.body.data.organizations.edges);
    expect(counted.body.data.organizations).toMatchObject({ totalCount: expect.any(Number), pageInfo: { hasNextPage: true } });
    expect(counted.body.data.organizations.totalCount).toBeGreaterThan(7);
  });
});

describe('one Cypher statement per subgraph fetch (the shapes of npm run bench:peer)', () => {
  let local: Stack;
  beforeAll(async () => {
    local = await startStack('in-process');
  });
  afterAll(() => local.close());

  // [shape, operation, statements: one per subgraph the gateway's plan fetches from, nesting read in the same one]
  const shapes: Array<[string, string, number]> = [
    // One fetch: the networks subgraph serves `organization` and `basedIn` too.
    ['organization + based-in place + networks', '{ organization(id: "imco") { id name basedIn { id name } networks { id name } } }', 1],
    [
      'organization -> networks -> first 50 members -> name',
      '{ organization(id: "government-of-mexico") { id networks { id members(first: 50) { edges { node { member { ... on Organization { id name } } } } } } } }',
      1, // the networks subgraph serves `organization` too: one fetch
    ],
    [
      'first 100 organizations by name + place',
      '{ organizations(first: 100, sort: NAME) { edges { node { id name basedIn { id name } } } } }',
      2,
    ],
    [
      'network + member count + first 100 members',
      '{ network(id: "open-government-partnership") { id name members(first: 100) { totalCount edges { node { member { ... on Organization { id name } } } } } } }',
      1,
    ],
    [
      "organization's partners + their places",
      '{ organization(id: "imco") { id partners { partner { id name basedIn { id name } } } } }',
      1,
    ],
    [
      'grant -> participants -> their organizations',
      '{ grant(id: "omidyar-imco-ogp-convening-2012") { id name participants { role organization { id name } } } }',
      1, // the funding subgraph shares Organization.name: one fetch
    ],
    ['a deep page of organizations', '{ organizations(first: 100, after: "bzo5", sort: NAME) { edges { node { id name } } } }', 1],
  ];

  async function counted(target: Stack, query: string) {
    const statements: string[] = [];
    const off = target.db.onQuery((event) => statements.push(event.cypher));
    const { body } = await target.query(query);
    off();
    expect(body.errors).toBeUndefined();
    return { data: body.data, statements };
  }

  it.each(shapes)('%s: the expected statements, the same answer over HTTP and in process', async (_shape, query, expected) => {
    const overHttp = await counted(stack, query);
    const inProcess = await counted(local, query);
    expect(overHttp.statements).toHaveLength(expected);
    expect(inProcess.statements).toHaveLength(expected);
    expect(inProcess.data).toEqual(overHttp.data);
    // Asked again in process, a one-fetch operation runs directly in its subgraph (gateway/direct.ts): the same.
    const again = await counted(local, query);
    expect(again.statements).toHaveLength(expected);
    expect(again.data).toEqual(overHttp.data);
  });

  it("gives an organization's base from the networks subgraph equal to the actors subgraph's", async () => {
    // Seed organizations: five based in a city (seed/data/relationships.yaml) and two more (other test files add and
    // delete organizations of their own meanwhile, so no list of all of them).
    const ids = (
      await local.db.readRows<{ id: string }>(
        `MATCH (o:Organization) WHERE o.testTag IS NULL AND o.id IN $seed RETURN o.id AS id ORDER BY id`,
        {
          seed: [
            ...['buenos-aires-city-government', 'buenos-aires-dg-institutional-quality', 'semarang-regional-secretariat-division'],
            ...['pattiro-semarang', 'legazpi-city-government', 'imco', 'global-integrity'],
          ],
        },
      )
    ).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(3);
    let based = 0;
    for (const id of ids) {
      // `aliases` only the actors subgraph gives: one fetch there. `networks`: one fetch to the networks subgraph.
      const fromActors = await counted(local, `{ organization(id: ${JSON.stringify(id)}) { aliases basedIn { id name } } }`);
      const fromNetworks = await counted(local, `{ organization(id: ${JSON.stringify(id)}) { basedIn { id name } networks { id } } }`);
      expect(fromNetworks.statements).toHaveLength(1);
      expect((fromNetworks.data as any).organization.basedIn).toEqual((fromActors.data as any).organization.basedIn);
      if ((fromActors.data as any).organization.basedIn) based++;
    }
    expect(based).toBeGreaterThanOrEqual(5);
  });

  it("gives an actor's name from the networks subgraph wherever it returns one, equal to the actors subgraph's", async () => {
    const names = async (ids: string[]) =>
      Object.fromEntries(
        (
          await local.db.readRows<{ id: string; name: string }>('UNWIND $ids AS id MATCH (n {id: id}) RETURN n.id AS id, n.name AS name', {
            ids,
          })
        ).map((r) => [r.id, r.name]),
      );
    const { data } = await counted(
      local,
      `{ organization(id: "government-of-mexico") { name memberships { member { ... on Organization { id name } } } events { participant { ... on Organization { id name } } } }
         person(id: "ana-gabriel-zuniga") { name memberships { member { ... on Person { id name } } } }
         network(id: "loci-buenos-aires") { hubs { id name } members(first: 5) { edges { node { member { ... on Organization { id name } ... on Person { id name } } } } } } }`,
    );
    const d = data as any;
    const seen: Array<{ id: string; name: string }> = [
      ...d.organization.memberships.map((m: any) => m.member),
      ...d.organization.events.map((e: any) => e.participant),
      ...d.person.memberships.map((m: any) => m.member),
      ...d.network.hubs,
      ...d.network.members.edges.map((e: any) => e.node.member),
    ];
    expect(seen.length).toBeGreaterThan(3);
    const expected = await names(seen.map((x) => x.id));
    for (const actor of seen) expect(actor.name).toBe(expected[actor.id]);
  });

  it('counts a nested page only when a selection of it reads the total, and then counts it right', async () => {
    const network = 'open-government-partnership';
    const [{ members }] = await local.db.readRows<{ members: number }>(
      'MATCH (:Network {id: $network})<-[:MEMBER_OF]-(m) WHERE m:Organization OR m:Person RETURN count(*) AS members',
      { network },
    );
    const bare = await counted(local, `{ network(id: "${network}") { members(first: 2) { edges { node { role } } } } }`);
    expect(bare.statements).toHaveLength(1);
    expect(bare.statements[0]).not.toContain('COUNT {');
    const aliased = await counted(
      local,
      `{ network(id: "${network}") { a: members(first: 2) { edges { node { role } } } b: members(first: 2) { totalCount } } }`,
    );
    expect(aliased.statements).toHaveLength(1);
    expect(members).toBeGreaterThan(2);
    expect((aliased.data as any).network.b.totalCount).toBe(members);
  });

  it('still reads provenance in the same statements when a nested selection asks for it', async () => {
    const { data, statements } = await counted(
      local,
      '{ organization(id: "imco") { id partners { partner { id basedIn { id sources { quote } } } sources { quote } } } }',
    );
    expect(statements).toHaveLength(1);
    expect(statements[0]).toContain('MATCH (s:Source');
    const partners = (data as any).organization.partners;
    expect(partners.length).toBeGreaterThan(0);
    expect(partners.some((p: any) => p.sources.length > 0)).toBe(true);
  });
});
