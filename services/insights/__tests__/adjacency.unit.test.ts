import { random as seeded } from '../../../bench/generate';
import { AdjacencyLists } from '../adjacency';

/** Every node's list as plain arrays, read through the public layout (first, size, pairs). */
function lists(adjacency: AdjacencyLists, nodes: number): number[][] {
  return Array.from({ length: nodes }, (_, n) => [
    ...adjacency.pairs.subarray(adjacency.first[n]!, adjacency.first[n]! + adjacency.size[n]!),
  ]);
}

describe('adjacency lists in one typed array', () => {
  it('keeps each list exactly as plain arrays would, through growth, moves, removals, clears and compaction', () => {
    const rnd = seeded(7);
    const nodes = 300;
    const adjacency = new AdjacencyLists();
    const model: number[][] = [];
    for (let n = 0; n < nodes; n++) {
      adjacency.addNode(n);
      model.push([]);
    }
    let edge = 0;
    for (let step = 0; step < 20_000; step++) {
      const n = Math.floor(rnd() * rnd() * nodes); // skewed: a few long lists that move many times
      const roll = rnd();
      if (roll < 0.8) {
        const neighbour = Math.floor(rnd() * nodes);
        adjacency.push(n, neighbour, edge);
        model[n]!.push(neighbour, edge);
        edge++;
      } else if (roll < 0.97 && model[n]!.length > 0) {
        const at = 2 * Math.floor((rnd() * model[n]!.length) / 2);
        const removed = model[n]![at + 1]!;
        adjacency.remove(n, removed);
        model[n]!.splice(at, 2);
      } else if (roll < 0.99) {
        adjacency.clear(n);
        model[n] = [];
      } else {
        adjacency.compact();
      }
      if (step % 1000 === 0) expect(lists(adjacency, nodes)).toEqual(model);
    }
    expect(lists(adjacency, nodes)).toEqual(model);
    adjacency.compact();
    expect(lists(adjacency, nodes)).toEqual(model);
    // Compacted lists lie in node order with no gaps.
    let at = 0;
    for (let n = 0; n < nodes; n++) {
      expect(adjacency.first[n]).toBe(at);
      at += model[n]!.length;
    }
    expect(adjacency.degree(0)).toBe(model[0]!.length / 2);
  });

  it('grows past its first allocation for nodes and pairs', () => {
    const adjacency = new AdjacencyLists();
    const nodes = 5000;
    for (let n = 0; n < nodes; n++) adjacency.addNode(n);
    for (let n = 0; n < nodes; n++) for (let k = 0; k < 10; k++) adjacency.push(n, (n + k + 1) % nodes, n * 10 + k);
    expect(adjacency.degree(4999)).toBe(10);
    expect([...adjacency.pairs.subarray(adjacency.first[4999]!, adjacency.first[4999]! + 4)]).toEqual([0, 49990, 1, 49991]);
  });
});
