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
      for (const node of frontier) for (const n of this.adjacency.get(node) ?? []) if (!dist.has(n)) { dist.set(n, d); next.push(n); }
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
          if (!dist.has(n)) { dist.set(n, d); next.add(n); }
          if (dist.get(n) === d) count.set(n, (count.get(n) ?? 0) + count.get(node)!);
        }
      }
      if (next.has(to)) return { length: d, count: count.get(to)! };
      frontier = [...next];
    }
    return undefined;
  }
}
