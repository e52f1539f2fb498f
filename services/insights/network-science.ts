import Graph from 'graphology';
import louvain from 'graphology-communities-louvain';
import { connectedComponents, countConnectedComponents } from 'graphology-components';
import betweennessCentrality from 'graphology-metrics/centrality/betweenness';
import closenessCentrality from 'graphology-metrics/centrality/closeness';
import { degreeCentrality } from 'graphology-metrics/centrality/degree';
import eigenvectorCentrality from 'graphology-metrics/centrality/eigenvector';
import pagerank from 'graphology-metrics/centrality/pagerank';
import { createUnweightedIndexedBrandes } from 'graphology-shortest-path/indexed-brandes';
import { singleSourceLength } from 'graphology-shortest-path/unweighted';
import { AppError } from '../shared/errors';
import { compareText, type CollaborationIndex } from './collaboration-index';
import type { LinkKind } from './links';

/*
 * Network science on the actor collaboration graph: actors (organizations, people) as nodes, one tie between two
 * actors one hop apart as links.ts counts hops (a direct link or a shared context). Centrality and communities
 * come from graphology's maintained implementations; Gould and Fernandez's brokerage roles, which no JavaScript
 * library offers, are counted here. Everything is exact up to EXACT_ACTORS, the size at which betweenness and
 * closeness (each a breadth-first search from every actor) still take seconds. Beyond it both are estimated from
 * sampled sources and the answer states the error bound; a scope too large for the rest is refused with a clear
 * message. Nothing is answered approximately without saying so.
 */

/** The most actors, and ties, a scope may project to. */
export const MAX_ACTORS = 100_000;
export const MAX_TIES = 1_000_000;
/** Betweenness and closeness are exact up to this many actors (each costs a search from every actor). */
export const EXACT_ACTORS = 5000;
/** Beyond EXACT_ACTORS, betweenness is accumulated from this many sources, closeness from this many per component. */
export const SAMPLED_SOURCES = 500;
/** The confidence the error bound of an estimate holds with, for every actor at once. */
export const ESTIMATE_CONFIDENCE = 0.95;
/**
 * Brokerage roles and structural holes look at every pair of each actor's ties: the most pairs they may look at
 * (a hub tied to 10,000 actors alone has 100 million).
 */
export const MAX_TIE_PAIRS = 200_000_000;

export interface ActorScope {
  /** Only these actors (ids), e.g. a network's family; undefined: every actor. */
  members?: readonly string[];
  /** Only actors of this country. */
  country?: string;
  kinds: readonly LinkKind[];
  /** Only relationships active in this window (begun by `to`, not ended before `from`): the graph as it was. */
  from?: string;
  to?: string;
}

/** Actors (or contexts) projected between two pauses of `projectYielding`. */
const YIELD_EVERY = 256;

/** Directed relationships between actors (links.ts): the tie runs from the relationship's start to its end. */
const DIRECTED_TYPES = new Set(['FUNDED', 'WORKS_FOR', 'PROCURED_FROM', 'PART_OF']);

/**
 * The projection of a scope: actor index numbers, and for each actor its out-ties (an undirected tie is an out-tie
 * both ways; a tie made only of directed relationships runs their way) as local positions.
 */
export interface Projection {
  /** The actors' index numbers (positions, in a projection rebuilt in a worker thread). */
  actors: number[];
  /** The actors' ids, by position. */
  ids: string[];
  out: Array<Set<number>>;
  /** Pairs of actors tied (either way): the undirected graph's edges. */
  ties: number;
  /** The undirected graphology graph, built on first use (in the worker thread, where the measures run). */
  readonly graph: Graph;
}

/** A projection's ties as flat arrays (ids, and each position's out-ties in compressed rows), for a worker thread. */
export interface PackedProjection {
  ids: string[];
  offsets: Int32Array;
  targets: Int32Array;
}

export function packProjection({ ids, out }: Projection): PackedProjection {
  const offsets = new Int32Array(out.length + 1);
  out.forEach((targets, i) => (offsets[i + 1] = offsets[i]! + targets.size));
  const targets = new Int32Array(offsets[out.length]!);
  out.forEach((ties, i) => {
    let k = offsets[i]!;
    for (const j of ties) targets[k++] = j;
  });
  return { ids, offsets, targets };
}

/** The projection a packed one was made from (actors by position). */
export function unpackProjection({ ids, offsets, targets }: PackedProjection): Projection {
  const out = ids.map((_, i) => new Set(targets.subarray(offsets[i]!, offsets[i + 1]!)));
  let ties = 0;
  forEachTie(out, () => ties++);
  return projectionOf(
    ids.map((_, i) => i),
    ids,
    out,
    ties,
  );
}

/** Calls `visit(i, j)` once for every pair of positions tied either way. */
function forEachTie(out: Array<Set<number>>, visit: (i: number, j: number) => void): void {
  out.forEach((targets, i) =>
    targets.forEach((j) => {
      if (i < j || !out[j]!.has(i)) visit(i, j);
    }),
  );
}

/** A projection whose graphology graph is built when first read: the main thread, which projects, never needs it. */
function projectionOf(actors: number[], ids: string[], out: Array<Set<number>>, ties: number): Projection {
  let graph: Graph | undefined;
  return {
    actors,
    ids,
    out,
    ties,
    get graph() {
      if (!graph) {
        graph = new Graph({ type: 'undirected', allowSelfLoops: false, multi: false });
        for (const id of ids) graph.addNode(id);
        forEachTie(out, (i, j) => graph!.addEdge(ids[i]!, ids[j]!));
      }
      return graph;
    },
  };
}

/** Refuses a projection whose actors' pairs of ties are too many to look at one by one (brokerage, holes). */
export function checkTiePairs(graph: Graph): void {
  let pairs = 0;
  graph.forEachNode((v) => {
    pairs += graph.degree(v) ** 2;
  });
  if (pairs > MAX_TIE_PAIRS)
    throw new AppError(
      'BAD_USER_INPUT',
      `scope: its actors' ties make ${pairs.toLocaleString('en')} pairs to look at, more than ${MAX_TIE_PAIRS.toLocaleString('en')}; narrow it with network, country or linkKinds.`,
      { field: 'scope' },
    );
}

/** The collaboration graph of a scope, at once (see `projecting`). */
export function project(index: CollaborationIndex, scope: ActorScope): Projection {
  const steps = projecting(index, scope);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The same, letting other requests in between steps: the index lives on the main thread, which also serves. */
export async function projectYielding(index: CollaborationIndex, scope: ActorScope): Promise<Projection> {
  const steps = projecting(index, scope);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise((resume) => setImmediate(resume));
  }
}

/** Projects a scope's actors and ties, pausing (yield) every so often. */
function* projecting(index: CollaborationIndex, scope: ActorScope): Generator<void, Projection> {
  const accepts = index.kindFilter(scope.kinds, { from: scope.from, to: scope.to });
  const wanted = scope.members
    ? new Set(scope.members.map((id) => index.indexOf(id)).filter((n): n is number => n !== undefined))
    : undefined;
  const actors: number[] = [];
  for (let n = 0; n < index.nodeCount; n++) {
    if (!index.isActor[n] || (wanted && !wanted.has(n)) || (scope.country && index.countries[n] !== scope.country)) continue;
    actors.push(n);
  }
  actors.sort((a, b) => compareText(index.ids[a]!, index.ids[b]!));
  if (actors.length > MAX_ACTORS) {
    throw new AppError(
      'BAD_USER_INPUT',
      `scope: ${actors.length.toLocaleString('en')} actors; whole-graph measures cover at most ${MAX_ACTORS.toLocaleString('en')}: narrow it with network or country.`,
      { field: 'scope' },
    );
  }
  const position = new Map(actors.map((n, i) => [n, i]));
  const out = actors.map(() => new Set<number>());
  let ties = 0;
  const tie = (a: number, b: number) => {
    if (a === b || out[a]!.has(b)) return;
    out[a]!.add(b);
    if (!out[b]!.has(a) && ++ties > MAX_TIES) {
      throw new AppError(
        'BAD_USER_INPUT',
        `scope: more than ${MAX_TIES.toLocaleString('en')} ties (a large shared network or grant joins everyone in it); narrow it with network, country or linkKinds.`,
        { field: 'scope' },
      );
    }
  };
  // Direct links, from each actor; the contexts they are in, gathered to be visited once each (a context's members
  // are tied pairwise once, not once per member: a 20,000-member network is walked once).
  const contexts = new Set<number>();
  for (let i = 0; i < actors.length; i++) {
    const a = actors[i]!;
    index.forEachLink(a, (v, e) => {
      if (!accepts(e)) return;
      const direct = position.get(v);
      if (direct !== undefined) {
        const [from] = index.edgeEnds(e);
        if (!DIRECTED_TYPES.has(index.edgeTypeName(e))) {
          tie(i, direct);
          tie(direct, i);
        } else if (from === a) tie(i, direct);
        else tie(direct, i);
      } else if (!index.isActor[v]) contexts.add(v);
    });
    if (i % YIELD_EVERY === YIELD_EVERY - 1) yield;
  }
  // A shared context: its members in scope (through an accepted link) are tied both ways, every pair.
  let visited = 0;
  for (const v of contexts) {
    const members = new Set<number>();
    index.forEachLink(v, (b, e) => {
      const j = position.get(b);
      if (j !== undefined && accepts(e)) members.add(j);
    });
    const list = [...members];
    for (let x = 0; x < list.length; x++)
      for (let y = x + 1; y < list.length; y++) {
        tie(list[x]!, list[y]!);
        tie(list[y]!, list[x]!);
      }
    if (++visited % YIELD_EVERY === 0) yield;
  }
  return projectionOf(
    actors,
    actors.map((a) => index.ids[a]!),
    out,
    ties,
  );
}

export type CentralityMeasure = 'DEGREE' | 'BETWEENNESS' | 'CLOSENESS' | 'EIGENVECTOR' | 'PAGERANK';

/** How an estimated measure was sampled, and how far any actor's score may be from the exact one. */
export interface Estimate {
  /** Sources the estimate accumulates from. */
  samples: number;
  /** Every actor's estimate is within this of its exact score, with probability `confidence`. */
  errorBound: number;
  confidence: number;
}

export interface Scores {
  scores: Record<string, number>;
  /** Absent when the scores are exact. */
  estimate?: Estimate;
}

export interface ExactLimits {
  exactActors: number;
  pivots: number;
}

/**
 * Every actor's score under a measure, as networkx defines it on an undirected, unweighted graph: degree / (n - 1);
 * betweenness normalized by (n - 1)(n - 2) / 2; closeness with the Wasserman-Faust correction for disconnected
 * graphs; eigenvector (L2-normalized); PageRank with damping 0.85. Betweenness and closeness beyond `exactActors`
 * are estimated from sampled sources (estimatedBetweenness, estimatedCloseness).
 */
export function centralityScores(
  graph: Graph,
  measure: CentralityMeasure,
  limits: ExactLimits = { exactActors: EXACT_ACTORS, pivots: SAMPLED_SOURCES },
): Scores {
  if (graph.order === 0) return { scores: {} };
  switch (measure) {
    case 'DEGREE':
      return { scores: degreeCentrality(graph) };
    case 'BETWEENNESS':
      return graph.order <= limits.exactActors
        ? { scores: betweennessCentrality(graph, { normalized: true }) }
        : estimatedBetweenness(graph, limits.pivots);
    case 'CLOSENESS':
      return graph.order <= limits.exactActors
        ? { scores: closenessCentrality(graph, { wassermanFaust: true }) }
        : estimatedCloseness(graph, limits.pivots);
    case 'EIGENVECTOR':
      return {
        scores:
          graph.size === 0
            ? Object.fromEntries(graph.nodes().map((n) => [n, 1 / Math.sqrt(graph.order)]))
            : eigenvectorCentrality(graph, { maxIterations: 1000, tolerance: 1e-12 }),
      };
    case 'PAGERANK':
      return { scores: pagerank(graph, { alpha: 0.85, getEdgeWeight: null, maxIterations: 1000, tolerance: 1e-12 }) };
  }
}

/**
 * Betweenness estimated from `pivots` sources drawn without replacement (Brandes and Pich, 2007), each search
 * graphology's indexed Brandes routine: the dependencies accumulated from the sample, scaled by n / pivots, are an
 * unbiased estimate of the sums over every source. One source adds at most n / ((n - 1)(n - 2)) * (n - 2) to an
 * actor's normalized score, so by Hoeffding's inequality (which holds for sampling without replacement too) and a
 * union bound over the n actors, every estimate is within (n / (n - 1)) * sqrt(ln(2n / (1 - confidence)) / (2 *
 * pivots)) of its exact score with probability `confidence`. The pivots are drawn from a seeded generator: the same
 * graph gives the same answer.
 */
export function estimatedBetweenness(graph: Graph, pivots: number): Scores {
  const n = graph.order;
  const k = Math.min(pivots, n);
  const brandes = createUnweightedIndexedBrandes(graph) as ReturnType<typeof createUnweightedIndexedBrandes> & {
    index: { collect(values: Float64Array): Record<string, number> };
  };
  const delta = new Float64Array(n);
  const sums = new Float64Array(n);
  for (const source of sampleOf(
    Array.from({ length: n }, (_, i) => i),
    k,
    seededRandom(),
  )) {
    const [stack, predecessors, sigma] = brandes(source);
    delta.fill(0); // linear, like the search itself
    while (stack.size !== 0) {
      const w = stack.pop()!;
      const coefficient = (1 + delta[w]!) / sigma[w]!;
      for (const v of predecessors[w]!) delta[v]! += sigma[v]! * coefficient;
      if (w !== source) sums[w]! += delta[w]!;
    }
  }
  const scale = n <= 2 ? 0 : n / k / ((n - 1) * (n - 2));
  for (let v = 0; v < n; v++) sums[v]! *= scale;
  const errorBound = k === n ? 0 : (n / (n - 1)) * Math.sqrt(Math.log((2 * n) / (1 - ESTIMATE_CONFIDENCE)) / (2 * k));
  return { scores: brandes.index.collect(sums), estimate: { samples: k, errorBound, confidence: ESTIMATE_CONFIDENCE } };
}

/**
 * Closeness (Wasserman-Faust, as networkx computes it: ((r - 1) / (n - 1)) / the mean distance to the r - 1 others
 * of one's component) estimated from up to `pivots` sources per component, drawn without replacement (Eppstein and
 * Wang's sampling): an actor's mean distance is estimated by its mean distance to the sources. A component with no
 * more actors than `pivots` is searched from every actor, so exact. A distance lies between 1 and the component's
 * diameter D (at most twice any source's eccentricity), so by Hoeffding's inequality and a union bound over the n
 * actors every mean is within (D - 1) * sqrt(ln(2n / (1 - confidence)) / (2k)) of the exact one (k: the sources
 * other than the actor); the bound stated is the largest closeness error that allows, over every actor.
 */
export function estimatedCloseness(graph: Graph, pivots: number): Scores {
  const n = graph.order;
  const logTerm = Math.log((2 * n) / (1 - ESTIMATE_CONFIDENCE));
  const rng = seededRandom();
  const scores: Record<string, number> = {};
  let samples = 0;
  let errorBound = 0;
  for (const component of connectedComponents(graph)) {
    const r = component.length;
    const share = (r - 1) / (n - 1);
    const exact = r <= pivots;
    const sources = exact ? component : sampleOf(component, pivots, rng);
    samples += sources.length;
    const sums = new Map<string, number>();
    const counts = new Map<string, number>();
    let eccentricity = Number.POSITIVE_INFINITY;
    for (const source of sources) {
      let farthest = 0;
      for (const [v, d] of Object.entries(singleSourceLength(graph, source))) {
        if (v === source) continue;
        sums.set(v, (sums.get(v) ?? 0) + d);
        counts.set(v, (counts.get(v) ?? 0) + 1);
        farthest = Math.max(farthest, d);
      }
      eccentricity = Math.min(eccentricity, farthest);
    }
    const diameter = Math.min(2 * eccentricity, r - 1);
    for (const v of component) {
      if (r === 1) {
        scores[v] = 0;
        continue;
      }
      const mean = sums.get(v)! / counts.get(v)!;
      scores[v] = share / mean;
      if (exact) continue;
      const spread = (diameter - 1) * Math.sqrt(logTerm / (2 * counts.get(v)!));
      const [low, high] = [Math.max(1, mean - spread), Math.min(diameter, mean + spread)];
      errorBound = Math.max(errorBound, share / low - share / mean, share / mean - share / high);
    }
  }
  return { scores, estimate: { samples, errorBound, confidence: ESTIMATE_CONFIDENCE } };
}

/** `k` of `items` drawn uniformly without replacement (a partial Fisher-Yates shuffle of a copy). */
function sampleOf<T>(items: readonly T[], k: number, rng: () => number): T[] {
  const copy = [...items];
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, k);
}

/** A seeded linear congruential generator in [0, 1): an unchanged graph always gets the same sample. */
function seededRandom(): () => number {
  let seed = 42;
  return () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** Actors ranked by score, best first, ties by id; rank counts from 1 and equal scores share it. */
export function rankScores(scores: Record<string, number>): Array<{ id: string; score: number; rank: number }> {
  const sorted = Object.entries(scores).sort(([a, x], [b, y]) => y - x || compareText(a, b));
  let rank = 0;
  return sorted.map(([id, score], i) => {
    if (i === 0 || score !== sorted[i - 1]![1]) rank = i + 1;
    return { id, score, rank };
  });
}

export interface Partition {
  modularity: number;
  /** Communities, largest first (ties by their first member's id); members by degree, then id. */
  communities: Array<{ id: number; members: string[] }>;
}

/** Louvain communities (graphology's implementation, seeded so an unchanged graph always gets the same answer). */
export function louvainCommunities(graph: Graph): Partition {
  if (graph.size === 0)
    return {
      modularity: 0,
      communities: graph
        .nodes()
        .sort(compareText)
        .map((id, i) => ({ id: i, members: [id] })),
    };
  const detailed = louvain.detailed(graph, { rng: seededRandom(), getEdgeWeight: null });
  const groups = new Map<number, string[]>();
  for (const [node, community] of Object.entries(detailed.communities))
    (groups.get(community) ?? groups.set(community, []).get(community)!).push(node);
  const ordered = [...groups.values()]
    .map((members) => members.sort((a, b) => graph.degree(b) - graph.degree(a) || compareText(a, b)))
    .sort((a, b) => b.length - a.length || compareText(a[0]!, b[0]!));
  return { modularity: detailed.modularity, communities: ordered.map((members, id) => ({ id, members })) };
}

export type Grouping = 'CITY' | 'COUNTRY' | 'KIND' | 'NETWORK' | 'SECTOR';

/**
 * Each node's group under a grouping, as a function of its index number (null: no group; brokerage then counts
 * the actor as a group of its own). CITY, COUNTRY and KIND are the index's own columns. An actor linked to
 * several networks or sectors is given one, so the groups stay a partition as Gould and Fernandez require:
 * NETWORK is its most specific network (the one with the fewest links, ties by id: a LOCI cohort before OGP Local
 * before OGP), SECTOR the DAC sector category most frequent among the grants it is linked to (ties by code).
 */
export function groupOf(index: CollaborationIndex, grouping: Grouping): (n: number) => string | null {
  switch (grouping) {
    case 'CITY':
      return (n) => index.cities[n] ?? null;
    case 'COUNTRY':
      return (n) => index.countries[n] ?? null;
    case 'KIND':
      return (n) => index.kinds[n] ?? null;
    case 'NETWORK':
      return memoized((n) => {
        let best: number | undefined;
        const moreSpecific = (v: number, than: number) =>
          index.degree(v) - index.degree(than) || compareText(index.ids[v]!, index.ids[than]!);
        index.forEachLink(n, (v) => {
          if (index.labelOf(v) === 'Network' && (best === undefined || moreSpecific(v, best) < 0)) best = v;
        });
        return best === undefined ? null : index.ids[best]!;
      });
    case 'SECTOR':
      return memoized((n) => {
        const counts = new Map<string, number>();
        index.forEachLink(n, (v) => {
          const sector = index.sectors[v];
          if (sector) counts.set(sector, (counts.get(sector) ?? 0) + 1);
        });
        let best: string | null = null;
        for (const [sector, count] of counts)
          if (best === null || count > counts.get(best)! || (count === counts.get(best) && sector < best)) best = sector;
        return best;
      });
  }
}

function memoized(compute: (n: number) => string | null): (n: number) => string | null {
  const known = new Map<number, string | null>();
  return (n) => {
    let group = known.get(n);
    if (group === undefined) known.set(n, (group = compute(n)));
    return group;
  };
}

export interface BrokerageRoles {
  coordinator: number;
  itinerant: number;
  gatekeeper: number;
  representative: number;
  liaison: number;
  total: number;
}

/**
 * Gould and Fernandez's brokerage roles: for every two-step path a -> b -> c with no tie a -> c (and a != c), the
 * broker b plays one role by the groups of the three: coordinator (all one group), itinerant (a and c share a
 * group b is not in), representative (a and b share one, c is outside), gatekeeper (b and c share one, a is
 * outside), liaison (three groups). Undirected ties count both ways, so an undirected path a - b - c is two paths
 * (a -> b -> c and c -> b -> a): representative and gatekeeper then mirror each other, as in the literature's
 * undirected treatment. Actors without a group take part as their own singleton group.
 */
export function brokerageRoles(projection: Projection, groupOf: (actor: number) => string | null | undefined): BrokerageRoles[] {
  checkTiePairs(projection.graph);
  const { actors } = projection;
  const group = groupsOf(projection, groupOf);
  const into = inTies(projection);
  return actors.map((_, b) => {
    const roles: BrokerageRoles = { coordinator: 0, itinerant: 0, gatekeeper: 0, representative: 0, liaison: 0, total: 0 };
    forEachOpenPath(projection, into, b, (a, c) => {
      roles[roleOf(group[a]!, group[b]!, group[c]!)]++;
      roles.total++;
    });
    return roles;
  });
}

export type BrokerageRole = Exclude<keyof BrokerageRoles, 'total'>;

/** The role a two-step path a -> b -> c gives b, by the groups of the three. */
export function roleOf(ga: string, gb: string, gc: string): BrokerageRole {
  if (ga === gb && gb === gc) return 'coordinator';
  if (ga === gc) return 'itinerant';
  if (ga === gb) return 'representative';
  if (gb === gc) return 'gatekeeper';
  return 'liaison';
}

/** Each actor's group (by position); an actor without one is a group of its own. */
const groupsOf = (projection: Projection, groupOf: (actor: number) => string | null | undefined) =>
  projection.actors.map((n, i) => groupOf(n) ?? `\u0000${i}`);

/** For each actor (by position), the actors with a tie into it. */
function inTies({ actors, out }: Projection): number[][] {
  const into = actors.map(() => [] as number[]);
  out.forEach((targets, a) => targets.forEach((b) => into[b]!.push(a)));
  return into;
}

/** Calls `visit(a, c)` for every open two-step path a -> b -> c (no tie a -> c, a != c), by positions. */
function forEachOpenPath({ out }: Projection, into: number[][], b: number, visit: (a: number, c: number) => void): void {
  for (const a of into[b]!) for (const c of out[b]!) if (c !== a && !out[a]!.has(c)) visit(a, c);
}

/**
 * Sample open two-step paths through the actor at position `b`, ordered by their ends' positions (ids: the
 * projection sorts actors by id), at most `limit`, optionally of one role only.
 */
export function brokerageTriads(
  projection: Projection,
  b: number,
  groupOf: (actor: number) => string | null | undefined,
  limit: number,
  only?: BrokerageRole,
): Array<{ a: number; c: number; role: BrokerageRole }> {
  const group = groupsOf(projection, groupOf);
  const paths: Array<{ a: number; c: number; role: BrokerageRole }> = [];
  forEachOpenPath(projection, inTies(projection), b, (a, c) => {
    const role = roleOf(group[a]!, group[b]!, group[c]!);
    if (!only || role === only) paths.push({ a, c, role });
  });
  return paths.sort((x, y) => x.a - y.a || x.c - y.c).slice(0, limit);
}

export interface StructuralHoles {
  id: string;
  degree: number;
  constraint: number;
  effectiveSize: number;
}

/**
 * Burt's structural holes for every actor with ties, as networkx computes them on an undirected, unweighted graph:
 * effective size n - 2t/n (n ties, t ties among those neighbours) and constraint, the sum over each neighbour w of
 * (p(v,w) + sum over the other neighbours q of p(v,q) p(q,w))^2 with p(u,x) = 1 / degree(u) for a tie. Low constraint
 * and high effective size mark an actor whose contacts do not know each other: a broker across a structural hole.
 */
export function structuralHoles(graph: Graph): StructuralHoles[] {
  checkTiePairs(graph);
  const result: StructuralHoles[] = [];
  graph.forEachNode((v) => {
    const neighbours = graph.neighbors(v);
    const n = neighbours.length;
    if (n === 0) return;
    let ties = 0;
    let constraint = 0;
    for (const w of neighbours) {
      let indirect = 0;
      for (const q of neighbours) {
        if (q === w || !graph.hasEdge(q, w)) continue;
        indirect += (1 / n) * (1 / graph.degree(q));
        ties += 0.5; // each tie among the neighbours is seen from both its ends
      }
      constraint += (1 / n + indirect) ** 2;
    }
    result.push({ id: v, degree: n, constraint, effectiveSize: n - (2 * ties) / n });
  });
  return result;
}

export interface NetworkPeriod {
  year: number;
  /** Actors with at least one tie that year. */
  actors: number;
  ties: number;
  /** ties / (actors (actors - 1) / 2). */
  density: number;
  components: number;
  modularity: number;
  /** The best three by betweenness that year. */
  topBrokers: Array<{ id: string; score: number; rank: number }>;
}

/** The scope's collaboration graph year by year, in this thread: each year, the ties through relationships active during it. */
export async function networkEvolution(
  index: CollaborationIndex,
  scope: ActorScope,
  fromYear: number,
  toYear: number,
): Promise<NetworkPeriod[]> {
  return (await yearlyProjections(index, scope, fromYear, toYear)).map(({ year, projection }) => periodOf(year, projection.graph));
}

/** The scope's projection for each year, through the relationships active during it (made between other requests). */
export async function yearlyProjections(index: CollaborationIndex, scope: ActorScope, fromYear: number, toYear: number) {
  const years: Array<{ year: number; projection: Projection }> = [];
  for (let year = fromYear; year <= toYear; year++)
    years.push({ year, projection: await projectYielding(index, { ...scope, from: `${year}-01-01`, to: `${year}-12-31` }) });
  return years;
}

/** One year's figures, from its projection's graph (from which the actors without a tie that year are dropped). */
export function periodOf(year: number, graph: Graph): NetworkPeriod {
  for (const node of graph.nodes()) if (graph.degree(node) === 0) graph.dropNode(node);
  const n = graph.order;
  return {
    year,
    actors: n,
    ties: graph.size,
    density: n > 1 ? graph.size / ((n * (n - 1)) / 2) : 0,
    components: countConnectedComponents(graph),
    modularity: louvainCommunities(graph).modularity,
    topBrokers: rankScores(centralityScores(graph, 'BETWEENNESS').scores).slice(0, 3),
  };
}
