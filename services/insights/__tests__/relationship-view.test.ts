import { startStack, type Stack } from '../../../test/support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const VIEW = `query($id: ID!, $depth: Int, $limit: Int, $kinds: [String!]) {
  relationshipView(id: $id, depth: $depth, limit: $limit, kinds: $kinds) {
    center truncated nodes { id label kind name city country distance } edges { id source target kind role sources { quote } }
  }
}`;

describe('relationshipView', () => {
  it('draws the Buenos Aires cohort with its members, hub and participants, every edge between returned nodes', async () => {
    const { body } = await stack.query(VIEW, { id: 'loci-buenos-aires', depth: 1 });
    const view = body.data.relationshipView;
    expect(view.nodes[0]).toMatchObject({ id: 'loci-buenos-aires', label: 'Network', distance: 0 });
    const ids = view.nodes.map((n: { id: string }) => n.id);
    expect(ids).toEqual(
      expect.arrayContaining(['acij', 'hivos-latin-america', 'buenos-aires-city-government', 'ana-gabriel-zuniga', 'loci', 'buenos-aires']),
    );
    expect(view.truncated).toBe(false);
    const known = new Set(ids);
    for (const edge of view.edges) {
      expect(known.has(edge.source) && known.has(edge.target)).toBe(true);
      expect(edge.sources.length).toBeGreaterThan(0);
    }
    expect(view.nodes.find((n: { id: string }) => n.id === 'buenos-aires-city-government')).toMatchObject({
      city: 'Buenos Aires',
      country: 'AR',
      kind: 'government',
    });
  });

  it('gives the same nodes and edges when places and sources are not selected (they are then not read)', async () => {
    const lean = `query($id: ID!) { relationshipView(id: $id, depth: 2) { truncated nodes { id label kind name distance } edges { id source target kind role } } }`;
    for (const id of ['loci-buenos-aires', 'omidyar-network']) {
      const full = (await stack.query(VIEW, { id, depth: 2 })).body.data.relationshipView;
      const answer = (await stack.query(lean, { id })).body.data.relationshipView;
      expect(answer.nodes.length).toBeGreaterThan(5);
      expect(answer).toEqual({
        truncated: full.truncated,
        nodes: full.nodes.map(({ city, country, ...node }: any) => node),
        edges: full.edges.map(({ sources, ...edge }: any) => edge),
      });
    }
  });

  it('filters by relationship kind and caps the node count, saying it truncated', async () => {
    // A LOCI cohort: no importer adds members to it (OGP's grow with every OGP export imported meanwhile).
    const members = await stack.query(VIEW, { id: 'loci-cali', depth: 1, kinds: ['MEMBER_OF'] });
    expect(members.body.data.relationshipView.edges.every((e: { kind: string }) => e.kind === 'MEMBER_OF')).toBe(true);
    const [{ n }] = (await stack.db.readRows<{ n: number }>(
      "MATCH (m)-[:MEMBER_OF]-(:Network {id: 'loci-cali'}) RETURN count(DISTINCT m) AS n",
    )) as Array<{ n: number }>;
    expect(n).toBeGreaterThan(1);
    expect(members.body.data.relationshipView.nodes).toHaveLength(n + 1);
    const capped = await stack.query(VIEW, { id: 'open-government-partnership', depth: 2, limit: 5 });
    expect(capped.body.data.relationshipView.nodes).toHaveLength(5);
    expect(capped.body.data.relationshipView.truncated).toBe(true);
  });

  it('answers an entity with no links with just the entity, not an error', async () => {
    await stack.db.writeRows("CREATE (:Organization {id: 'rv-lonely', name: 'Lonely', kind: 'business', testTag: 'rv-lonely'})");
    try {
      const { body } = await stack.query(VIEW, { id: 'rv-lonely', depth: 2 });
      expect(body.data.relationshipView).toMatchObject({ nodes: [{ id: 'rv-lonely', distance: 0 }], edges: [], truncated: false });
    } finally {
      await stack.db.writeRows("MATCH (n {testTag: 'rv-lonely'}) DETACH DELETE n");
    }
  });

  it('answers NOT_FOUND for an unknown id and BAD_USER_INPUT for a depth above 3 or an unknown kind', async () => {
    expect((await stack.query(VIEW, { id: 'nope', depth: 1 })).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await stack.query(VIEW, { id: 'loci', depth: 4 })).body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'depth',
    });
    expect((await stack.query(VIEW, { id: 'loci', depth: 1, kinds: ['DROP_ALL'] })).body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'kinds',
    });
  });
});
