import neo4j from 'neo4j-driver';
import * as q from '../services/insights/questions';
import { RELATIONSHIP_VIEW } from '../services/shared/relationship-view';
import { random, type GraphSize } from './generate';

/*
 * The network questions the benches ask of the generated graph (bench-graph.ts): for each, the GraphQL request for a
 * new sample and, where there is one, the fastest Cypher for the same answer. Samples come from a seeded sequence, so
 * two runs at the same scale ask the same samples.
 */

/**
 * `cypher`: the same answer in Cypher sent with neo4j-driver. The questions the collaboration index answers have
 * none: Cypher's shortest paths count relationships, not hops (see links.ts), so they carry no floor. `local`: the
 * answer is a neighbourhood (#13's growth goal applies).
 */
export interface BenchQuestion {
  name: string;
  local?: boolean;
  graphql: () => { query: string; variables: Record<string, unknown> };
  cypher?: (v: Record<string, unknown>) => { text: string; params: Record<string, unknown> };
}

/** The questions in the order the benches ask them, drawing samples for a graph of `size`. */
export function networkQuestions(size: GraphSize): BenchQuestion[] {
  const rnd = random(99);
  const org = () => `b-org-${Math.floor(rnd() * size.organizations)}`;
  const city = () => `b-city-${Math.floor(rnd() * size.cities)}`;
  const network = () => `b-network-${Math.floor(rnd() * size.networks)}`;
  const int = (n: number) => neo4j.int(n);

  return [
    {
      name: 'collaborators, 1 hop',
      local: true,
      graphql: () => ({
        query: 'query($id: ID!) { collaborators(id: $id, first: 20) { totalCount edges { node { actor { id } hops } } } }',
        variables: { id: org() },
      }),
    },
    {
      name: 'collaborators, 2 hops, other cities',
      local: true,
      graphql: () => ({
        query:
          'query($id: ID!) { collaborators(id: $id, maxHops: 2, scope: OTHER_CITY, first: 20) { totalCount edges { node { actor { id } hops } } } }',
        variables: { id: org() },
      }),
    },
    {
      name: 'collaborators, 3 hops, at a hub funder',
      local: true,
      graphql: () => ({
        query: 'query($id: ID!) { collaborators(id: $id, maxHops: 3, first: 20) { totalCount edges { node { actor { id } hops } } } }',
        variables: { id: `b-org-${Math.floor(rnd() * 3)}` },
      }),
    },
    {
      name: 'shortest paths, up to 3 hops',
      local: true,
      graphql: () => ({
        query: 'query($f: ID!, $t: ID!) { shortestPaths(from: $f, to: $t, maxHops: 3, limit: 10) { hops nodes { id } } }',
        variables: { f: org(), t: org() },
      }),
    },
    {
      name: 'city-to-city, 5 cities, 1 hop',
      graphql: () => ({
        query: 'query($c: [ID!]) { cityCollaboration(cities: $c, maxHops: 1) { actorPairs } }',
        variables: { c: [city(), city(), city(), city(), city()] },
      }),
    },
    {
      name: 'brokers by cities, one country scope',
      graphql: () => ({
        query: 'query($c: String) { brokers(by: CITIES, country: $c, limit: 20) { score } }',
        variables: { c: `X${String.fromCharCode(65 + Math.floor(rnd() * 26))}` },
      }),
    },
    {
      name: 'brokers by networks, one network scope',
      graphql: () => ({
        query: 'query($n: ID) { brokers(by: NETWORKS, network: $n, limit: 20) { score } }',
        variables: { n: network() },
      }),
      cypher: (v) => ({ text: q.BROKERS_BY_NETWORKS, params: { network: v.n, country: null, limit: int(20) } }),
    },
    {
      name: 'funding trail, 3 steps',
      local: true,
      graphql: () => ({
        query: 'query($id: ID!) { fundingTrail(id: $id) { totals { amount currency } flows { from to } } }',
        variables: { id: `b-org-${Math.floor(rnd() * Math.max(1, size.organizations / 50))}` },
      }),
      cypher: (v) => ({ text: q.FUNDING_TRAIL('DOWNSTREAM', 3, { organizations: false, sources: false }), params: { id: v.id } }), // what it selects
    },
    {
      name: 'network overlap',
      local: true,
      graphql: () => ({
        query: 'query($a: ID!, $b: ID!) { networkOverlap(a: $a, b: $b) { count } }',
        variables: { a: network(), b: network() },
      }),
      cypher: (v) => ({ text: q.NETWORK_OVERLAP(false), params: { a: v.a, b: v.b } }), // what it selects: the count
    },
    {
      name: 'relationship view, depth 2, 200 nodes',
      local: true,
      graphql: () => ({
        query: 'query($id: ID!) { relationshipView(id: $id, depth: 2, limit: 200) { truncated nodes { id } edges { id } } }',
        variables: { id: org() },
      }),
      cypher: (v) => ({
        text: RELATIONSHIP_VIEW(2, { places: false, sources: false }), // what the question selects
        params: { id: v.id, kinds: [], limit: int(200), hidden: ['FLAGS', 'AUTHORED', 'MENTIONS'] },
      }),
    },
    // Last: at scale 10 its count outlives the request and goes on in the background, slowing what follows.
    {
      name: 'city-to-city, all cities, 1 hop, strongest 100',
      graphql: () => ({ query: '{ cityCollaboration(maxHops: 1, first: 100) { actorPairs } }', variables: {} }),
    },
  ];
}
