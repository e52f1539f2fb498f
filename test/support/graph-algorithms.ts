import type { GeneratedGraph } from '../../bench/generate';

/*
 * Independent answers to the network questions, computed in plain TypeScript over the generated edge list (never
 * read back from Neo4j), so the tests compare the Cypher against a second implementation.
 */

export class UndirectedGraph {
  readonly adjacency = new Map<string, Set<string>>();
  constructor(graph: GeneratedGraph, types: readonly string[]) {
    for (const e of graph.edges) {
      if (!types.includes(e.type)) continue;
      if (!this.adjacency.has(e.from)) this.adjacency.set(e.from, new Set());
      if (!this.adjacency.has(e.to)) this.adjacency.set(e.to, new Set());
      this.adjacency.get(e.from)!.add(e.to);
      this.adjacency.get(e.to)!.add(e.from);
    }
  }

  /** Breadth-first distances (in relationships) from `start`, up to `maxDepth`. */
  distances(start: string, maxDepth: number): Map<string, number> {
    const dist = new Map([[start, 0]]);
    let frontier = [start];
    for (let d = 1; d <= maxDepth && frontier.length > 0; d++) {
      const next: string[] = [];
      for (const node of frontier)
        for (const n of this.adjacency.get(node) ?? [])
          if (!dist.has(n)) {
            dist.set(n, d);
            next.push(n);
          }
      frontier = next;
    }
    return dist;
  }

  /** Length and number of distinct shortest paths (as node sequences) between two nodes, within maxDepth. */
  shortestPaths(from: string, to: string, maxDepth: number): { length: number; count: number } | undefined {
    const dist = new Map([[from, 0]]);
    const count = new Map([[from, 1]]);
    let frontier = [from];
    for (let d = 1; d <= maxDepth && frontier.length > 0; d++) {
      const next = new Set<string>();
      for (const node of frontier) {
        for (const n of this.adjacency.get(node) ?? []) {
          if (!dist.has(n)) {
            dist.set(n, d);
            next.add(n);
          }
          if (dist.get(n) === d) count.set(n, (count.get(n) ?? 0) + count.get(node)!);
        }
      }
      if (next.has(to)) return { length: d, count: count.get(to)! };
      frontier = [...next];
    }
    return undefined;
  }
}

const isActor = (label: string | undefined) => label === 'Organization' || label === 'Person';

/**
 * The reference for collaboration hops (links.ts): one direct link between actors, one shared context, or any
 * other single relationship is a hop. `hopsFrom` searches level by level over actors (the generated graph has no
 * relationships between contexts, so one context per hop is all there is), not as the index's weighted search.
 */
export class CollaborationReference {
  private readonly graph: UndirectedGraph;
  private readonly labels: Map<string, string>;
  constructor(generated: GeneratedGraph, types: readonly string[]) {
    this.graph = new UndirectedGraph(generated, types);
    this.labels = new Map(generated.nodes.map((n) => [n.id, n.label]));
  }

  private actor(id: string): boolean {
    return isActor(this.labels.get(id));
  }

  /** Actors one hop from `x`: its direct actor neighbours and the other members of each context it is in. */
  private oneHop(x: string): Set<string> {
    const found = new Set<string>();
    for (const n of this.graph.adjacency.get(x) ?? []) {
      if (this.actor(n)) found.add(n);
      else for (const m of this.graph.adjacency.get(n) ?? []) if (this.actor(m)) found.add(m);
    }
    found.delete(x);
    return found;
  }

  /** Hops from `start` to every actor within `maxHops`. */
  hopsFrom(start: string, maxHops: number): Map<string, number> {
    const hops = new Map<string, number>([[start, 0]]);
    let frontier = [start];
    for (let d = 1; d <= maxHops && frontier.length > 0; d++) {
      const next: string[] = [];
      for (const x of frontier)
        for (const y of this.oneHop(x))
          if (!hops.has(y)) {
            hops.set(y, d);
            next.push(y);
          }
      frontier = next;
    }
    hops.delete(start);
    return hops;
  }

  /** Fewest hops, then fewest relationships, between two nodes, and how many distinct node sequences achieve it. */
  cheapest(from: string, to: string, maxHops: number): { hops: number; relationships: number; count: number } | undefined {
    type Cost = [hops: number, rels: number];
    const less = (a: Cost, b: Cost) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
    const same = (a: Cost, b: Cost) => a[0] === b[0] && a[1] === b[1];
    const cost = new Map<string, Cost>([[from, [0, 0]]]);
    const done = new Set<string>();
    const count = new Map<string, number>([[from, 1]]);
    for (;;) {
      let best: string | undefined;
      for (const [id, c] of cost) if (!done.has(id) && (best === undefined || less(c, cost.get(best)!))) best = id;
      if (best === undefined) return undefined;
      done.add(best);
      if (best === to) {
        const [hops, relationships] = cost.get(to)!;
        return { hops, relationships, count: count.get(to)! };
      }
      const [h, r] = cost.get(best)!;
      for (const n of this.graph.adjacency.get(best) ?? []) {
        const next: Cost = [h + (this.actor(best) && !this.actor(n) ? 0 : 1), r + 1];
        if (next[0] > maxHops || done.has(n)) continue;
        const known = cost.get(n);
        if (!known || less(next, known)) {
          cost.set(n, next);
          count.set(n, count.get(best)!);
        } else if (same(next, known)) count.set(n, count.get(n)! + count.get(best)!);
      }
    }
  }
}
