import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGraph } from '../../../bench/generate';
import { importIati } from '../../../importers/iati';
import { CollaborationReference } from '../../../test/support/graph-algorithms';
import { ORACLE_PYTHON, runOracle } from '../../../test/support/python-oracle';
import { startStack, type Stack } from '../../../test/support/stack';
import { CollaborationIndex } from '../collaboration-index';
import { ALL_LINK_KINDS, LINK_KINDS, isActorLabel } from '../links';
import {
  brokerageRoles,
  centralityScores,
  groupOf,
  louvainCommunities,
  networkEvolution,
  project,
  rankScores,
  structuralHoles,
  type CentralityMeasure,
} from '../network-science';

const COLLABORATION_TYPES = [...new Set(Object.values(LINK_KINDS).flatMap((k) => k.types as readonly string[]))];

/** A generated graph (no hub: every actor's one-hop ties stay in the thousands) and its index, built in memory. */
function generated() {
  const graph = buildGraph(
    {
      countries: 4,
      cities: 12,
      networks: 30,
      organizations: 260,
      people: 120,
      events: 20,
      membershipsPerOrg: 2,
      partnerships: 120,
      participantsPerEvent: 4,
      fundings: 60,
      hubNetworkMembers: 0,
    },
    7,
    'ns-',
  );
  const index = new CollaborationIndex();
  for (const n of graph.nodes)
    index.addNode({ id: n.id, actor: isActorLabel(n.label), name: n.name, city: n.city ?? null, country: n.country ?? null });
  graph.edges.forEach((e, rel) => index.addEdge({ rel, type: e.type, from: e.from, to: e.to, since: e.since ?? null }));
  return { graph, index, reference: new CollaborationReference(graph, COLLABORATION_TYPES) };
}

describe('the actor collaboration graph (no database)', () => {
  const { graph, index, reference } = generated();
  const projection = project(index, { kinds: ALL_LINK_KINDS });
  const actorIds = graph.nodes
    .filter((n) => isActorLabel(n.label))
    .map((n) => n.id)
    .sort();

  it('ties exactly the actors one hop apart, by the reference definition of a hop', () => {
    const expected = new Set(actorIds.flatMap((a) => [...reference.hopsFrom(a, 1).keys()].filter((b) => a < b).map((b) => `${a}|${b}`)));
    const ours = new Set(projection.graph.edges().map((e) => [projection.graph.source(e), projection.graph.target(e)].sort().join('|')));
    expect(ours.size).toBeGreaterThan(500);
    expect([...ours].sort()).toEqual([...expected].sort());
    expect(projection.graph.nodes().sort()).toEqual(actorIds);
  });

  it('projects the graph as it was on a date: ties only through relationships active then', () => {
    const small = new CollaborationIndex();
    for (const id of ['a', 'b', 'c']) small.addNode({ id, actor: true });
    small.addNode({ id: 'net', actor: false });
    small.addEdge({ rel: 1, type: 'MEMBER_OF', from: 'a', to: 'net', since: '2015' });
    small.addEdge({ rel: 2, type: 'MEMBER_OF', from: 'b', to: 'net', since: '2019', until: '2021' });
    small.addEdge({ rel: 3, type: 'PARTNERS_WITH', from: 'a', to: 'c' });
    const ties = (at?: string) => {
      const { graph: g } = project(small, { kinds: ALL_LINK_KINDS, from: at, to: at });
      return g
        .edges()
        .map((e) => [g.source(e), g.target(e)].sort().join('-'))
        .sort();
    };
    expect(ties()).toEqual(['a-b', 'a-c']);
    expect(ties('2016')).toEqual(['a-c']);
    expect(ties('2020')).toEqual(['a-b', 'a-c']);
    expect(ties('2022')).toEqual(['a-c']);
  });

  it('follows the graph year by year: actors, ties, density, components and the top broker of each year', async () => {
    const small = new CollaborationIndex();
    for (const id of ['a', 'b', 'c', 'd']) small.addNode({ id, actor: true });
    small.addNode({ id: 'net', actor: false });
    small.addEdge({ rel: 1, type: 'MEMBER_OF', from: 'a', to: 'net', since: '2011' });
    small.addEdge({ rel: 2, type: 'MEMBER_OF', from: 'b', to: 'net', since: '2012-06' });
    small.addEdge({ rel: 3, type: 'PARTNERS_WITH', from: 'b', to: 'c', since: '2013', until: '2013-12' });
    small.addEdge({ rel: 4, type: 'PARTNERS_WITH', from: 'd', to: 'a', since: '2014' });
    const years = await networkEvolution(small, { kinds: ALL_LINK_KINDS }, 2011, 2014);
    expect(years.map((y) => [y.year, y.actors, y.ties, y.components])).toEqual([
      [2011, 0, 0, 0],
      [2012, 2, 1, 1],
      [2013, 3, 2, 1],
      [2014, 3, 2, 1],
    ]);
    expect(years[1]!.density).toBe(1);
    expect(years[2]!.density).toBeCloseTo(2 / 3, 12);
    // 2013: c - b - a, b in the middle; 2014: d - a - b, a in the middle.
    expect(years[2]!.topBrokers[0]).toMatchObject({ id: 'b', rank: 1 });
    expect(years[3]!.topBrokers[0]).toMatchObject({ id: 'a', rank: 1 });
  });

  it('ranks by score, best first, ties sharing a rank', () => {
    expect(rankScores({ b: 2, a: 2, c: 1 })).toEqual([
      { id: 'a', score: 2, rank: 1 },
      { id: 'b', score: 2, rank: 1 },
      { id: 'c', score: 1, rank: 3 },
    ]);
  });

  it('counts brokerage roles as Gould and Fernandez define them, directed ties included', () => {
    // a -FUNDED-> b -FUNDED-> c, and b, d members of one network: groups by city.
    const small = new CollaborationIndex();
    const place = { a: 'city-1', b: 'city-2', c: 'city-3', d: 'city-2' } as const;
    for (const [id, city] of Object.entries(place)) small.addNode({ id, actor: true, city });
    small.addNode({ id: 'net', actor: false });
    small.addEdge({ rel: 1, type: 'FUNDED', from: 'a', to: 'b' });
    small.addEdge({ rel: 2, type: 'FUNDED', from: 'b', to: 'c' });
    small.addEdge({ rel: 3, type: 'MEMBER_OF', from: 'b', to: 'net' });
    small.addEdge({ rel: 4, type: 'MEMBER_OF', from: 'd', to: 'net' });
    const p = project(small, { kinds: ALL_LINK_KINDS });
    const roles = brokerageRoles(p, (n) => small.cities[n]);
    const of = (id: string) => roles[p.actors.indexOf(small.indexOf(id)!)]!;
    // b brokers a -> b -> c (liaison: three cities), a -> b -> d (b and d share city-2: gatekeeper),
    // d -> b -> c (d and b share city-2: representative); funding is one-way, so never c -> b -> a.
    expect(of('b')).toEqual({ coordinator: 0, itinerant: 0, gatekeeper: 1, representative: 1, liaison: 1, total: 3 });
    expect(of('a')).toEqual({ coordinator: 0, itinerant: 0, gatekeeper: 0, representative: 0, liaison: 0, total: 0 });
  });

  it('counts brokerage between kinds of actor: a civil-society organization between two governments is itinerant', () => {
    const small = new CollaborationIndex();
    const kind = { a: 'government', b: 'civil_society', c: 'government', d: 'person' } as const;
    for (const [id, k] of Object.entries(kind)) small.addNode({ id, actor: true, kind: k });
    small.addEdge({ rel: 1, type: 'PARTNERS_WITH', from: 'a', to: 'b' });
    small.addEdge({ rel: 2, type: 'PARTNERS_WITH', from: 'b', to: 'c' });
    small.addEdge({ rel: 3, type: 'WORKS_FOR', from: 'd', to: 'b' });
    const p = project(small, { kinds: ALL_LINK_KINDS });
    const roles = brokerageRoles(p, (n) => small.kinds[n]);
    const of = (id: string) => roles[p.actors.indexOf(small.indexOf(id)!)]!;
    // a - b - c both ways: itinerant twice; d -> b -> a and d -> b -> c (employment runs from the person): liaison.
    expect(of('b')).toEqual({ coordinator: 0, itinerant: 2, gatekeeper: 0, representative: 0, liaison: 2, total: 4 });
  });

  it("groups by network as the actor's most specific network, and by sector as its grants' most frequent DAC category", () => {
    const small = new CollaborationIndex();
    for (const id of ['a', 'b', 'c', 'x', 'y', 'p', 'q', 'r']) small.addNode({ id, actor: true });
    for (const id of ['ogp', 'cohort-a', 'cohort-b', 'cohort-c', 'cohort-d']) small.addNode({ id, actor: false, label: 'Network' });
    const sectors = { g1: '151', g2: '151', g3: '120', g4: '120' };
    for (const [id, sector] of Object.entries(sectors)) small.addNode({ id, actor: false, label: 'Grant', sector });
    const links: Array<[string, string, string]> = [
      ['a', 'MEMBER_OF', 'ogp'],
      ['b', 'MEMBER_OF', 'ogp'],
      ['c', 'MEMBER_OF', 'ogp'],
      ['a', 'MEMBER_OF', 'cohort-a'],
      ['x', 'MEMBER_OF', 'cohort-a'],
      ['b', 'MEMBER_OF', 'cohort-b'],
      ['y', 'MEMBER_OF', 'cohort-d'],
      ['y', 'MEMBER_OF', 'cohort-c'],
      ['p', 'PARTICIPATES_IN_GRANT', 'g1'],
      ['p', 'PARTICIPATES_IN_GRANT', 'g2'],
      ['p', 'PARTICIPATES_IN_GRANT', 'g3'],
      ['q', 'PARTICIPATES_IN_GRANT', 'g3'],
      ['q', 'PARTICIPATES_IN_GRANT', 'g1'],
      ['r', 'PARTICIPATES_IN_GRANT', 'g4'],
    ];
    links.forEach(([from, type, to], rel) => small.addEdge({ rel, type, from, to }));
    const byNetwork = groupOf(small, 'NETWORK');
    const bySector = groupOf(small, 'SECTOR');
    const of = (group: (n: number) => string | null, id: string) => group(small.indexOf(id)!);
    // ogp has 3 links, cohort-a 2, cohort-b 1: each actor's smallest network; y's two of one link each: by id.
    expect(['a', 'b', 'c', 'x', 'y', 'p'].map((id) => of(byNetwork, id))).toEqual([
      'cohort-a',
      'cohort-b',
      'ogp',
      'cohort-a',
      'cohort-c',
      null,
    ]);
    // p: 151 twice, 120 once; q: one of each, the lower code; a: no grant.
    expect(['p', 'q', 'r', 'a'].map((id) => of(bySector, id))).toEqual(['151', '120', '120', null]);
    const p = project(small, { kinds: ALL_LINK_KINDS });
    const roles = brokerageRoles(p, byNetwork);
    const rolesOf = (id: string) => roles[p.actors.indexOf(small.indexOf(id)!)]!;
    // Grouped by network, a (cohort-a) is the only tie between x (cohort-a) and b (cohort-b) or c (ogp); b and c are
    // tied through ogp. x -> a -> b and x -> a -> c are representative (a shares x's group), the reverse gatekeeper.
    expect(rolesOf('a')).toEqual({ coordinator: 0, itinerant: 0, gatekeeper: 2, representative: 2, liaison: 0, total: 4 });
  });

  it('counts every open two-step path once per broker, the roles adding up to it', () => {
    const roles = brokerageRoles(projection, (n) => index.cities[n]);
    let open = 0;
    projection.out.forEach((targets, b) => {
      projection.out.forEach((fromA, a) => {
        if (!fromA.has(b)) return;
        for (const c of targets) if (c !== a && !fromA.has(c)) open++;
      });
    });
    const sum = roles.reduce((n, r) => n + r.total, 0);
    expect(sum).toBe(open);
    for (const r of roles) expect(r.coordinator + r.itinerant + r.gatekeeper + r.representative + r.liaison).toBe(r.total);
  });

  (ORACLE_PYTHON ? describe : describe.skip)('against networkx', () => {
    type Measures = Record<
      'degree' | 'betweenness' | 'closeness' | 'eigenvector' | 'pagerank' | 'constraint' | 'effectiveSize',
      Record<string, number>
    > & { louvainBestModularity: number };
    // networkx computes on the graph the reference's hops define, not on our projection.
    const edges = actorIds.flatMap((a) => [...reference.hopsFrom(a, 1).keys()].filter((b) => a < b).map((b) => [a, b]));
    // Run in beforeAll, not while collecting: a skipped describe's body still runs, and without networkx there is no oracle.
    let networkx: Measures;
    beforeAll(() => {
      networkx = runOracle<Measures>('networkx_measures.py', { nodes: actorIds, edges });
    });
    const cases: Array<[CentralityMeasure, keyof Measures, number]> = [
      ['DEGREE', 'degree', 1e-9],
      ['BETWEENNESS', 'betweenness', 1e-9],
      ['CLOSENESS', 'closeness', 1e-9],
      ['EIGENVECTOR', 'eigenvector', 1e-6],
      ['PAGERANK', 'pagerank', 1e-6],
    ];
    it.each(cases)('%s matches networkx', (measure, key, tolerance) => {
      const { scores: ours, estimate } = centralityScores(projection.graph, measure);
      expect(estimate).toBeUndefined();
      const theirs = networkx[key] as Record<string, number>;
      expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
      const worst = Math.max(...Object.keys(theirs).map((id) => Math.abs(ours[id]! - theirs[id]!)));
      expect(worst).toBeLessThan(tolerance);
    });

    it('estimates betweenness beyond the exact size from sampled sources, every actor within the bound it states', () => {
      const exact = networkx.betweenness as Record<string, number>;
      const n = projection.graph.order;
      // Every actor a source: the estimate is the exact sum, and says its bound is 0.
      const all = centralityScores(projection.graph, 'BETWEENNESS', { exactActors: 100, pivots: n });
      expect(all.estimate).toEqual({ samples: n, errorBound: 0, confidence: 0.95 });
      expect(Math.max(...Object.keys(exact).map((id) => Math.abs(all.scores[id]! - exact[id]!)))).toBeLessThan(1e-9);
      // A third of them: within the stated bound, and close overall (scaled by n / sources, so unbiased).
      const sampled = centralityScores(projection.graph, 'BETWEENNESS', { exactActors: 100, pivots: Math.round(n / 3) });
      const { errorBound, samples } = sampled.estimate!;
      expect(samples).toBe(Math.round(n / 3));
      expect(errorBound).toBeGreaterThan(0);
      const errors = Object.keys(exact).map((id) => Math.abs(sampled.scores[id]! - exact[id]!));
      expect(Math.max(...errors)).toBeLessThanOrEqual(errorBound);
      const total = Object.values(exact).reduce((a, b) => a + b, 0);
      expect(errors.reduce((a, b) => a + b, 0) / total).toBeLessThan(0.35);
      // The exact top five are among the estimated top fifteen.
      const top = (scores: Record<string, number>, k: number) =>
        rankScores(scores)
          .slice(0, k)
          .map((r) => r.id);
      expect(top(sampled.scores, 15)).toEqual(expect.arrayContaining(top(exact, 5)));
    });

    it('estimates closeness beyond the exact size from sampled sources per component, every actor within the bound it states', () => {
      const exact = networkx.closeness as Record<string, number>;
      const n = projection.graph.order;
      const all = centralityScores(projection.graph, 'CLOSENESS', { exactActors: 100, pivots: n });
      expect(all.estimate!.errorBound).toBe(0);
      expect(Math.max(...Object.keys(exact).map((id) => Math.abs(all.scores[id]! - exact[id]!)))).toBeLessThan(1e-9);
      const sampled = centralityScores(projection.graph, 'CLOSENESS', { exactActors: 100, pivots: 40 });
      const { errorBound } = sampled.estimate!;
      expect(errorBound).toBeGreaterThan(0);
      const errors = Object.keys(exact).map((id) => Math.abs(sampled.scores[id]! - exact[id]!));
      expect(Math.max(...errors)).toBeLessThanOrEqual(errorBound);
      const total = Object.values(exact).reduce((a, b) => a + b, 0);
      expect(errors.reduce((a, b) => a + b, 0) / total).toBeLessThan(0.1);
    });

    it("computes Burt's constraint and effective size as networkx does", () => {
      const ours = new Map(structuralHoles(projection.graph).map((h) => [h.id, h]));
      expect([...ours.keys()].sort()).toEqual(Object.keys(networkx.constraint).sort());
      const worst = Math.max(
        ...Object.keys(networkx.constraint).map((id) =>
          Math.max(
            Math.abs(ours.get(id)!.constraint - networkx.constraint[id]!),
            Math.abs(ours.get(id)!.effectiveSize - networkx.effectiveSize[id]!),
          ),
        ),
      );
      expect(worst).toBeLessThan(1e-9);
    });

    it("finds Louvain communities within 2% of networkx's best modularity of five runs", () => {
      const partition = louvainCommunities(projection.graph);
      expect(partition.modularity).toBeGreaterThan(networkx.louvainBestModularity * 0.98);
      expect(partition.communities.flatMap((c) => c.members).sort()).toEqual(actorIds);
    });
  });
});

describe('network science through the API, on the seed graph', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('in-process');
  });
  afterAll(() => stack.close());

  it('finds the Hivos hubs and Ana Gabriel Zuniga brokering between the LOCI cities, as the LOCI document describes', async () => {
    const { body } = await stack.query(
      '{ brokerage(groupBy: CITY, network: "loci", first: 10) { actor { id } roles { liaison itinerant gatekeeper representative coordinator total } freshness { current } } }',
    );
    expect(body.errors).toBeUndefined();
    expect(typeof body.data.brokerage[0].freshness.current).toBe('boolean');
    const top = body.data.brokerage.map((b: { actor: { id: string } }) => b.actor.id);
    expect(top.slice(0, 3).sort()).toEqual(['ana-gabriel-zuniga', 'hivos-latin-america', 'hivos-southeast-asia']);
    for (const b of body.data.brokerage) {
      const r = b.roles;
      expect(r.liaison + r.itinerant + r.gatekeeper + r.representative + r.coordinator).toBe(r.total);
    }
  });

  it('counts brokerage between kinds of actor within LOCI: a Hivos hub joins governments to governments and to others', async () => {
    const { body } = await stack.query(
      '{ brokerage(groupBy: KIND, network: "loci", first: 50) { actor { id kind } roles { liaison itinerant gatekeeper representative coordinator total } } }',
    );
    expect(body.errors).toBeUndefined();
    const brokers = body.data.brokerage as Array<{
      actor: { id: string; kind: string };
      roles: { total: number } & Record<string, number>;
    }>;
    expect(brokers.length).toBeGreaterThan(0);
    const byCity = (await stack.query('{ brokerage(groupBy: CITY, network: "loci", first: 50) { actor { id } roles { total } } }')).body
      .data.brokerage;
    // The same open two-step paths are counted whatever the grouping: only their split into roles differs.
    const totals = (list: Array<{ actor: { id: string }; roles: { total: number } }>) =>
      new Map(list.map((b) => [b.actor.id, b.roles.total]));
    expect(totals(brokers)).toEqual(totals(byCity));
    // Each Hivos hub is the one network hub among the actors it links (city governments, civil society, a person), so
    // every path through it joins two other kinds: itinerant when both ends are of one kind (two governments),
    // liaison otherwise; never a role that needs a second network hub.
    for (const id of ['hivos-latin-america', 'hivos-southeast-asia']) {
      const hub = brokers.find((b) => b.actor.id === id)!;
      expect(hub.actor.kind).toBe('network_hub');
      expect(hub.roles.itinerant).toBeGreaterThan(0);
      expect(hub.roles.itinerant + hub.roles.liaison).toBe(hub.roles.total);
    }
  });

  it("explains an organization's brokerage with sample paths through it, each step one sourced hop", async () => {
    const query = `query($id: ID!, $role: BrokerageRole) { organization(id: $id) { brokerage(groupBy: CITY, network: "loci", triads: 50, role: $role) {
      group roles { liaison itinerant gatekeeper representative coordinator total }
      triads { role from { id } to { id } fromGroup toGroup toBroker { ...step } fromBroker { ...step } } } } }
      fragment step on Path { hops nodes { id } relationships { type sources { title } } }`;
    const { body } = await stack.query(query, { id: 'hivos-latin-america' });
    expect(body.errors).toBeUndefined();
    const explained = body.data.organization.brokerage;
    const ranked = (
      await stack.query(
        '{ brokerage(groupBy: CITY, network: "loci", first: 200) { actor { id } roles { liaison itinerant gatekeeper representative coordinator total } } }',
      )
    ).body.data.brokerage;
    expect(explained.roles).toEqual(ranked.find((b: { actor: { id: string } }) => b.actor.id === 'hivos-latin-america').roles);
    expect(explained.triads.length).toBe(Math.min(50, explained.roles.total));
    const ROLE = {
      coordinator: 'COORDINATOR',
      itinerant: 'ITINERANT',
      gatekeeper: 'GATEKEEPER',
      representative: 'REPRESENTATIVE',
      liaison: 'LIAISON',
    };
    for (const t of explained.triads) {
      const [into, out] = [t.toBroker, t.fromBroker];
      expect(into.nodes[0].id).toBe(t.from.id);
      expect(into.nodes.at(-1).id).toBe('hivos-latin-america');
      expect(out.nodes[0].id).toBe('hivos-latin-america');
      expect(out.nodes.at(-1).id).toBe(t.to.id);
      expect([into.hops, out.hops]).toEqual([1, 1]);
      for (const r of [...into.relationships, ...out.relationships]) expect(r.sources.length).toBeGreaterThan(0);
      // The role follows from the three groups, as Gould and Fernandez define it (an end without a city is a group of its own).
      const [ga, gb, gc] = [t.fromGroup ?? `none:${t.from.id}`, explained.group, t.toGroup ?? `none:${t.to.id}`];
      const role =
        ga === gb && gb === gc
          ? ROLE.coordinator
          : ga === gc
            ? ROLE.itinerant
            : ga === gb
              ? ROLE.representative
              : gb === gc
                ? ROLE.gatekeeper
                : ROLE.liaison;
      expect(t.role).toBe(role);
    }
    const onlyItinerant = (await stack.query(query, { id: 'hivos-latin-america', role: 'ITINERANT' })).body.data.organization.brokerage;
    expect(onlyItinerant.triads.length).toBe(Math.min(50, explained.roles.itinerant));
    expect(onlyItinerant.triads.every((t: { role: string }) => t.role === 'ITINERANT')).toBe(true);
    // An organization outside the scope has no brokerage there; a bad sample size is refused.
    const outside = await stack.query('{ organization(id: "omidyar-network") { brokerage(groupBy: CITY, network: "loci") { group } } }');
    expect(outside.body.errors).toBeUndefined();
    expect(outside.body.data.organization.brokerage).toBeNull();
    const bad = await stack.query('{ organization(id: "hivos-latin-america") { brokerage(groupBy: CITY, triads: 51) { group } } }');
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'triads' });
  });

  it('puts the Latin American and the Southeast Asian LOCI cohorts in different communities', async () => {
    const { body } = await stack.query(
      '{ communities(network: "loci", membersFirst: 100) { modularity actors communities { id size label dominantCities members { id } } freshness { computedAt current } } }',
    );
    expect(body.errors).toBeUndefined();
    // Computed once per state of the graph; after a write the earlier partition may be given, marked not current.
    expect(typeof body.data.communities.freshness.current).toBe('boolean');
    expect(Date.parse(body.data.communities.freshness.computedAt)).toBeLessThanOrEqual(Date.now());
    const communityOf = (id: string) =>
      body.data.communities.communities.find((c: { members: Array<{ id: string }> }) => c.members.some((m) => m.id === id))?.id;
    expect(communityOf('hivos-latin-america')).toBeDefined();
    expect(communityOf('hivos-southeast-asia')).toBeDefined();
    expect(communityOf('hivos-latin-america')).not.toBe(communityOf('hivos-southeast-asia'));
    expect(body.data.communities.modularity).toBeGreaterThan(0.2);
  });

  it('tells an organization its community, the same one `communities` lists it in', async () => {
    const all = (await stack.query('{ communities(network: "loci", membersFirst: 100) { communities { id size label members { id } } } }'))
      .body.data.communities.communities;
    const query =
      'query($id: ID!) { organization(id: $id) { community(network: "loci", membersFirst: 100) { id size label members { id } } } }';
    const communities: number[] = [];
    for (const id of ['hivos-latin-america', 'hivos-southeast-asia']) {
      const { body } = await stack.query(query, { id });
      expect(body.errors).toBeUndefined();
      const mine = body.data.organization.community;
      expect(mine).toEqual(all.find((c: { members: Array<{ id: string }> }) => c.members.some((m) => m.id === id)));
      communities.push(mine.id);
    }
    expect(communities[0]).not.toBe(communities[1]);
    const outside = await stack.query('{ organization(id: "omidyar-network") { community(network: "loci") { id } } }');
    expect(outside.body.errors).toBeUndefined();
    expect(outside.body.data.organization.community).toBeNull();
  });

  it('ranks the LOCI actors across structural holes, the Hivos hubs and their participant among the least constrained', async () => {
    const { body } = await stack.query(
      '{ structuralHoles(network: "loci", first: 5) { actor { id } degree constraint effectiveSize freshness { computedAt } } }',
    );
    expect(body.errors).toBeUndefined();
    expect(Date.parse(body.data.structuralHoles[0].freshness.computedAt)).toBeLessThanOrEqual(Date.now());
    const holes = body.data.structuralHoles;
    expect(holes.length).toBe(5);
    for (let i = 1; i < holes.length; i++) expect(holes[i].constraint).toBeGreaterThanOrEqual(holes[i - 1].constraint);
    expect(
      holes
        .slice(0, 3)
        .map((h: { actor: { id: string } }) => h.actor.id)
        .sort(),
    ).toEqual(['ana-gabriel-zuniga', 'hivos-latin-america', 'hivos-southeast-asia']);
    expect(holes[0].effectiveSize).toBeGreaterThan(holes[4].effectiveSize);
  });

  it('follows OGP year by year through the API, and refuses a reversed or too long span', async () => {
    const { body } = await stack.query(
      '{ networkEvolution(network: "open-government-partnership", from: 2011, to: 2015) { year actors ties density components topBrokers { actor { id } rank } freshness { current } } }',
    );
    expect(body.errors).toBeUndefined();
    const years = body.data.networkEvolution;
    expect(years.map((y: { year: number }) => y.year)).toEqual([2011, 2012, 2013, 2014, 2015]);
    for (const y of years) {
      // The seed's memberships are undated, so they count every year: the founding governments, one cohort.
      expect(y.actors).toBeGreaterThanOrEqual(8);
      expect(y.density).toBeCloseTo(y.ties / ((y.actors * (y.actors - 1)) / 2), 12);
      expect(y.topBrokers.length).toBeLessThanOrEqual(3);
      expect(typeof y.freshness.current).toBe('boolean');
    }
    const code = async (q: string) => (await stack.query(q)).body.errors?.[0]?.extensions;
    expect(await code('{ networkEvolution(from: 2015, to: 2011) { year } }')).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    expect(await code('{ networkEvolution(from: 1950, to: 2020) { year } }')).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });

  it('ranks actors by betweenness, and refuses an unknown network and a bad page size', async () => {
    const { body } = await stack.query(
      '{ centrality(measure: BETWEENNESS, network: "loci", first: 3) { measure actors ties scores { actor { id } score rank } estimate { samples errorBound } freshness { current } } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.centrality.estimate).toBeNull(); // exact: far fewer actors than 5,000
    expect(body.data.centrality.scores[0]).toMatchObject({ rank: 1, score: expect.any(Number) });
    expect(body.data.centrality.scores[0].score).toBeGreaterThan(0);
    expect(typeof body.data.centrality.freshness.current).toBe('boolean');
    expect(
      (await stack.query('{ centrality(measure: DEGREE, network: "no-such-network") { actors } }')).body.errors?.[0]?.extensions?.code,
    ).toBe('NOT_FOUND');
    expect((await stack.query('{ centrality(measure: DEGREE, first: 0) { actors } }')).body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
  });
});

describe('brokerage between networks and sectors, through the API', () => {
  let stack: Stack;
  const dir = mkdtempSync(join(tmpdir(), 'ogp-sector-brokerage-'));
  beforeAll(async () => {
    stack = await startStack('in-process');
  });
  afterAll(async () => {
    await stack.db
      .writeRows(`MATCH (n) WHERE (n:Organization AND n.iatiRef STARTS WITH 'XS-') OR (n:Grant AND n.iatiIdentifier STARTS WITH 'XS-')
      OPTIONAL MATCH (n:Grant)-[:HAS_TRANSACTION|HAS_RESULT]->(child) DETACH DELETE child, n`);
    await stack.close();
  });

  it("finds who joins one LOCI city's cohort to another's: the Hivos hubs and Ana Gabriel Zuniga, never within one cohort", async () => {
    const { body } = await stack.query(
      '{ brokerage(groupBy: NETWORK, network: "loci", first: 10) { actor { id } roles { liaison itinerant gatekeeper representative coordinator total } } }',
    );
    expect(body.errors).toBeUndefined();
    const brokers = body.data.brokerage as Array<{ actor: { id: string }; roles: Record<string, number> }>;
    expect(brokers.map((b) => b.actor.id).sort()).toEqual(['ana-gabriel-zuniga', 'hivos-latin-america', 'hivos-southeast-asia']);
    // Each is in one city's cohort and joins its members to another city's: the broker shares one end's group.
    for (const { roles } of brokers) {
      expect(roles.gatekeeper).toBeGreaterThan(0);
      expect(roles.gatekeeper + roles.representative).toBe(roles.total);
    }
    const explained = await stack.query(
      '{ organization(id: "hivos-latin-america") { brokerage(groupBy: NETWORK, network: "loci", triads: 5) { group triads { fromGroup toGroup } } } }',
    );
    const { group, triads } = explained.body.data.organization.brokerage;
    expect(group).toMatch(/^loci-/);
    expect(triads.length).toBeGreaterThan(0);
    for (const t of triads) {
      expect(t.fromGroup).not.toBe(t.toGroup);
      expect([t.fromGroup, t.toGroup]).toContain(group);
    }
  });

  it("groups IATI participants by their grants' DAC sector category: a funder of two sectors brokers between them", async () => {
    // XS-F funds a water grant (purpose code 14030, category 140) with XS-A and an education one (category 111, given
    // in vocabulary 2) with XS-B; a third grant in category 140 makes 140 the funder's sector.
    const activity = (id: string, sector: string, recipient: string) => `<iati-activity default-currency="EUR">
      <iati-identifier>XS-${id}</iati-identifier><title><narrative>Sector ${id}</narrative></title>
      <participating-org role="1" ref="XS-F"><narrative>Sector Funder</narrative></participating-org>
      <participating-org role="4" ref="XS-${recipient}"><narrative>Sector Recipient ${recipient}</narrative></participating-org>
      ${sector}</iati-activity>`;
    const path = join(dir, 'sectors.xml');
    writeFileSync(
      path,
      `<iati-activities version="2.03">${[
        activity('1', '<sector code="14030"/>', 'A'),
        activity('2', '<sector vocabulary="2" code="111"/><sector code="14030"/>', 'B'),
        activity('3', '<sector vocabulary="99" code="X"/><sector code="14010"/>', 'C'),
      ].join('')}</iati-activities>`,
    );
    await importIati(stack.db, [path]);
    const [ids] = await stack.db.readRows<Record<string, string>>(
      "MATCH (f:Organization {iatiRef: 'XS-F'}), (a:Organization {iatiRef: 'XS-A'}), (b:Organization {iatiRef: 'XS-B'}) RETURN f.id AS f, a.id AS a, b.id AS b",
    );
    const { body } = await stack.query(
      'query($id: ID!) { organization(id: $id) { brokerage(groupBy: SECTOR, triads: 10) { group roles { gatekeeper representative liaison total } triads { from { id } to { id } fromGroup toGroup role } } } }',
      { id: ids!.f },
    );
    expect(body.errors).toBeUndefined();
    const explained = body.data.organization.brokerage;
    // Grants 1 and 3 are in category 140, grant 2 in 111 (its first DAC sector; vocabulary 99 is skipped in grant 3).
    expect(explained.group).toBe('140');
    const toB = explained.triads.find((t: { from: { id: string }; to: { id: string } }) => t.from.id === ids!.a && t.to.id === ids!.b);
    expect(toB).toMatchObject({ fromGroup: '140', toGroup: '111', role: 'REPRESENTATIVE' });
    const fromB = explained.triads.find((t: { from: { id: string }; to: { id: string } }) => t.from.id === ids!.b && t.to.id === ids!.a);
    expect(fromB).toMatchObject({ fromGroup: '111', toGroup: '140', role: 'GATEKEEPER' });
  });
});
