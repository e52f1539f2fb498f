/*
 * Adjacency lists of the collaboration index in one typed array: node n's [neighbour, edge] pairs are
 * `pairs[first[n] .. first[n] + size[n])`, each list with room to grow (`room[n]`). A search then walks contiguous
 * memory with no object per node, the layout graph-analytics engines call compressed sparse rows, while the index
 * still takes live writes: a list that outgrows its room moves to the end of the array, and the holes it leaves are
 * squeezed out once they are a third of the array (`compact`, also run once after a whole-graph load).
 */
export class AdjacencyLists {
  first = new Int32Array(1024);
  size = new Int32Array(1024);
  private room = new Int32Array(1024);
  pairs = new Int32Array(1 << 16);
  /** The end of the used part of `pairs`. */
  private end = 0;
  /** Entries of `pairs` no list owns any more (lists that moved). */
  private holes = 0;
  private nodes = 0;

  /** Makes room for node `n` (an empty list). */
  addNode(n: number): void {
    if (n < this.nodes) return;
    if (n >= this.first.length) {
      const length = Math.max(n + 1, this.first.length * 2);
      this.first = grown(this.first, length);
      this.size = grown(this.size, length);
      this.room = grown(this.room, length);
    }
    this.nodes = n + 1;
  }

  degree(n: number): number {
    return this.size[n]! >> 1;
  }

  /** Appends the pair [neighbour, edge] to n's list. */
  push(n: number, neighbour: number, edge: number): void {
    if (this.size[n]! + 2 > this.room[n]!) this.move(n, Math.max(4, this.room[n]! * 2));
    const at = this.first[n]! + this.size[n]!;
    this.pairs[at] = neighbour;
    this.pairs[at + 1] = edge;
    this.size[n] = this.size[n]! + 2;
  }

  /** Removes the pair with this edge from n's list, keeping the order of the others. */
  remove(n: number, edge: number): void {
    const start = this.first[n]!;
    const stop = start + this.size[n]!;
    for (let i = start; i < stop; i += 2) {
      if (this.pairs[i + 1] !== edge) continue;
      this.pairs.copyWithin(i, i + 2, stop);
      this.size[n] = this.size[n]! - 2;
      return;
    }
  }

  clear(n: number): void {
    this.size[n] = 0;
  }

  /** Lays every list out again, in node order and with no spare room: after a bulk load, or once holes pile up. */
  compact(): void {
    let total = 0;
    for (let n = 0; n < this.nodes; n++) total += this.size[n]!;
    const pairs = new Int32Array(Math.max(1 << 16, total + (total >> 3)));
    let at = 0;
    for (let n = 0; n < this.nodes; n++) {
      const size = this.size[n]!;
      pairs.set(this.pairs.subarray(this.first[n]!, this.first[n]! + size), at);
      this.first[n] = at;
      this.room[n] = size;
      at += size;
    }
    this.pairs = pairs;
    this.end = at;
    this.holes = 0;
  }

  /** Gives n's list `room` entries at the end of the array (in place when it is the last list already). */
  private move(n: number, room: number): void {
    const start = this.first[n]!;
    const size = this.size[n]!;
    const isLast = this.room[n]! > 0 && start + this.room[n]! === this.end;
    const from = isLast ? start : this.end;
    if (from + room > this.pairs.length) {
      if (this.holes * 3 > this.end) {
        this.compact();
        return this.move(n, room);
      }
      this.pairs = grown(this.pairs, Math.max(from + room, this.pairs.length * 2));
    }
    if (!isLast) {
      this.pairs.copyWithin(from, start, start + size);
      this.holes += this.room[n]!;
      this.first[n] = from;
    }
    this.room[n] = room;
    this.end = from + room;
  }
}

function grown(array: Int32Array<ArrayBuffer>, length: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(length);
  bigger.set(array);
  return bigger;
}
