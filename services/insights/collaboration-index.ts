import { AdjacencyLists } from './adjacency';
import { ALL_LINK_KINDS, LINK_KINDS, linkKindOf, type LinkKind } from './links';

/*
 * The collaboration index: every actor (Organization, Person) and every context node that a link relationship
 * touches, with those relationships, held in memory the way a graph-analytics projection is (GDS, graphology), so
 * neighbourhood questions cost what their answer costs instead of what the whole graph costs.
 *
 * Hops are counted as links.ts defines them: every relationship is a hop, except one that goes from an actor into a
 * context (a network, grant, event, plan...): that one and the next together are the single "shared context" hop.
 * A search minimises hops, then relationships: Dial's bucket queue over the cost `hops * STRIDE + relationships`,
 * linear in what it visits, so a network of 20,000 members is crossed once, never pairwise.
 *
 * No Cypher here: the repository reads rows from Neo4j and hands them to `addNode`/`replaceEdges`.
 */

/** Cost of a relationship from an actor into a context (no hop yet) and of any other relationship (one hop). */
const STRIDE = 64;
const SHARED_CONTEXT_ENTRY = 1;
const HOP = STRIDE + 1;
/** Costs stay below this (hops are at most MAX_HOPS = 3, so below 4 * STRIDE; room to spare). */
const COST_LIMIT = 1024;

export const LINK_TYPES = [...new Set(ALL_LINK_KINDS.flatMap((k) => LINK_KINDS[k].types as readonly string[]))];
const TYPE_CODE = new Map(LINK_TYPES.map((t, i) => [t, i]));

/** A node as the repository reads it. */
export interface IndexNodeRow {
  id: string;
  actor: boolean;
  /** Its first label, as `labels(n)[0]` gives it (unknown for a node only seen as a relationship's end). */
  label?: string | null;
  name?: string | null;
  city?: string | null;
  country?: string | null;
  kind?: string | null;
  /** A grant's sector: the DAC 3-digit category of its first sector in a DAC vocabulary (IATI 1 or 2). */
  sector?: string | null;
}
/** A link relationship as the repository reads it; `rel` is Neo4j's relationship id (for fetching its details). */
export interface IndexEdgeRow {
  rel: number;
  type: string;
  from: string;
  to: string;
  since?: string | null;
  until?: string | null;
}

/** Partial dates ("2012", "2012-03", "2012-03-12...") as numbers that sort as the dates do; 0 when absent. */
export function dateNumber(value: string | null | undefined, bound: 'start' | 'end' = 'start'): number {
  if (!value) return 0;
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value);
  if (!m) return 0;
  // A partial date is a span: "2011" begins on 2011-01-01 and ends on 2011-12-31, so as an end (a window's `to`, a
  // relationship's `until`) its missing parts sort after every day in it.
  const missing = bound === 'start' ? 0 : 99;
  return Number(m[1]) * 10000 + Number(m[2] ?? missing) * 100 + Number(m[3] ?? missing);
}

/** A place scope: per node a place code (`cityCode` or `countryCode`), and the start's own (0: it has none). */
export interface PlaceScope {
  groups: Int32Array;
  mine: number;
}

/** Whether a node is somewhere known and other than the start's place (never, for a start with no place). */
export const isElsewhere = ({ groups, mine }: PlaceScope, node: number): boolean =>
  mine !== 0 && groups[node] !== 0 && groups[node] !== mine;

export interface SearchOptions {
  kinds: readonly LinkKind[];
  maxHops: number;
  /** Relationships active in this window only (same rule as the Cypher: begun by `to`, not ended before `from`). */
  from?: string | null;
  to?: string | null;
  /** Stop at the end of hop `maxHops` without entering contexts (only actors are wanted). */
  actorsOnly?: boolean;
}

/** One reached node: its hops, relationships, and the edge it was first reached by (-1 at the start). */
export interface Reached {
  node: number;
  hops: number;
  rels: number;
}

/** A path as node indexes and edge indexes (edges[i] joins nodes[i] and nodes[i + 1]). */
export interface IndexPath {
  nodes: number[];
  edges: number[];
}

export class CollaborationIndex {
  readonly ids: string[] = [];
  private readonly byId = new Map<string, number>();
  /** 1 for an actor (Organization, Person), 0 for a context: bytes, so a search's look-ups stay in cache. */
  private actorFlags = new Uint8Array(1024);
  readonly names: string[] = [];
  readonly cities: (string | null)[] = [];
  readonly countries: (string | null)[] = [];
  /** The same cities and countries as numbers (0: none), so a scope test per reached node compares two integers. */
  private readonly cityCodes = new GroupCodes();
  private readonly countryCodes = new GroupCodes();
  /** An organization's kind (government, civil_society, funder...), a person's "person". */
  readonly kinds: (string | null)[] = [];
  /** A grant's DAC sector category (null for every other node). */
  readonly sectors: (string | null)[] = [];
  /** Per node, its label as a code into `labelNames` (0: not known yet). */
  private labelCodes = new Uint8Array(1024);
  private readonly labelNames: string[] = [''];
  private readonly labelCode = new Map<string, number>();
  /** Per node, flattened pairs [neighbour, edge, neighbour, edge, ...]. */
  private readonly lists = new AdjacencyLists();
  // Per edge, in typed arrays (off the JavaScript heap, so a garbage collection never walks millions of entries).
  private edgeFrom = new Int32Array(1024);
  private edgeTo = new Int32Array(1024);
  private edgeType = new Uint8Array(1024);
  private edgeSince = new Int32Array(1024);
  private edgeUntil = new Int32Array(1024);
  private edgeRels = new Float64Array(1024);
  /** Edge numbers handed out so far (freed ones are reused first). */
  private edgesUsed = 0;
  private readonly edgeByRel = new RelationshipIds();
  private readonly freeEdges: number[] = [];
  /**
   * Per node, its place in (name, id) order as of the last `rankNames`, or -1 for a node added or renamed since: two
   * ranked nodes compare as two integers (a hub's first page picks 20 names among tens of thousands).
   */
  private nameRanks = new Int32Array(1024).fill(-1);

  /** Bumped by every change, so cached aggregates know when they are stale. */
  version = 0;

  // Scratch space for searches, reused (searches are synchronous): the costs of the nodes the current search has
  // reached (one array, so a step reads one memory place), and the edge each was reached by.
  private readonly marks = new CostTable();
  private via = new Int32Array(0);
  private readonly buckets = new BucketQueue(COST_LIMIT);
  /** A count's current and next level of nodes (each node joins one level at most, so each holds every node). */
  private levels = [new Int32Array(0), new Int32Array(0)];
  /** A count's visited nodes, one bit each. */
  private visited = new Uint32Array(0);
  /** A path search's forward and backward costs, and the nodes that lead on to the target. */
  private readonly pathTables = [new CostTable(), new CostTable(), new CostTable()] as const;

  /** A node's label (Organization, Network, Grant...), when the index has read the node itself. */
  labelOf(n: number): string | undefined {
    return this.labelNames[this.labelCodes[n]!] || undefined;
  }

  private setLabel(n: number, label: string | null | undefined): void {
    if (n >= this.labelCodes.length) {
      const grown = new Uint8Array(Math.max(n + 1, this.labelCodes.length * 2));
      grown.set(this.labelCodes);
      this.labelCodes = grown;
    }
    let code = label ? this.labelCode.get(label) : 0;
    if (code === undefined && this.labelNames.length < 256) {
      code = this.labelNames.push(label!) - 1;
      this.labelCode.set(label!, code);
    }
    this.labelCodes[n] = code ?? 0; // past 255 distinct labels: unknown, read from the database instead
  }

  /** Per node, 1 for an actor and 0 for a context (a view: read it again after the index grows). */
  get isActor(): Uint8Array {
    return this.actorFlags;
  }

  /** Per edge, Neo4j's relationship id (for fetching its details). */
  get edgeRel(): Float64Array {
    return this.edgeRels;
  }

  private newEdge(): number {
    const e = this.edgesUsed++;
    if (e >= this.edgeFrom.length) {
      const length = this.edgeFrom.length * 2;
      this.edgeFrom = grownTo(this.edgeFrom, new Int32Array(length));
      this.edgeTo = grownTo(this.edgeTo, new Int32Array(length));
      this.edgeType = grownTo(this.edgeType, new Uint8Array(length));
      this.edgeSince = grownTo(this.edgeSince, new Int32Array(length));
      this.edgeUntil = grownTo(this.edgeUntil, new Int32Array(length));
      this.edgeRels = grownTo(this.edgeRels, new Float64Array(length));
    }
    return e;
  }

  get nodeCount(): number {
    return this.ids.length;
  }
  get edgeCount(): number {
    return this.edgeByRel.size;
  }

  indexOf(id: string): number | undefined {
    return this.byId.get(id);
  }

  /** Adds a node or updates what is known of it. */
  addNode(row: IndexNodeRow): number {
    let n = this.byId.get(row.id);
    if (n === undefined) {
      n = this.ids.length;
      this.ids.push(row.id);
      this.byId.set(row.id, n);
      this.lists.addNode(n);
      if (n >= this.actorFlags.length) {
        const grown = new Uint8Array(this.actorFlags.length * 2);
        grown.set(this.actorFlags);
        this.actorFlags = grown;
      }
      this.actorFlags[n] = row.actor ? 1 : 0;
      this.setLabel(n, row.label);
      this.names.push(row.name ?? row.id);
      this.unrank(n);
      this.cities.push(row.city ?? null);
      this.countries.push(row.country ?? null);
      this.kinds.push(row.kind ?? null);
      this.sectors.push(row.sector ?? null);
    } else {
      this.actorFlags[n] = row.actor ? 1 : 0;
      if (row.label) this.setLabel(n, row.label);
      if (this.names[n] !== (row.name ?? row.id)) this.unrank(n);
      this.names[n] = row.name ?? row.id;
      this.cities[n] = row.city ?? null;
      this.countries[n] = row.country ?? null;
      this.kinds[n] = row.kind ?? null;
      this.sectors[n] = row.sector ?? null;
    }
    this.cityCodes.set(n, row.city);
    this.countryCodes.set(n, row.country);
    this.version++;
    return n;
  }

  /**
   * Adds one link relationship (ignored when a self-loop or not a link type). One already known under this Neo4j id
   * with the same ends and type gets the row's dates. Under other ends or type, the known one is stale: Neo4j gives a
   * deleted relationship's id to a new one, and a delete made without a journal entry never reached the index.
   */
  addEdge(row: IndexEdgeRow): void {
    const type = TYPE_CODE.get(row.type);
    if (type === undefined) return;
    const [since, until] = [dateNumber(row.since), dateNumber(row.until, 'end')];
    const known = this.edgeByRel.get(row.rel);
    if (known !== undefined) {
      if (this.ids[this.edgeFrom[known]!] === row.from && this.ids[this.edgeTo[known]!] === row.to && this.edgeType[known] === type) {
        if (this.edgeSince[known] === since && this.edgeUntil[known] === until) return;
        this.edgeSince[known] = since;
        this.edgeUntil[known] = until;
        this.version++;
        return;
      }
      this.dropEdge(known);
    }
    const a = this.byId.get(row.from) ?? this.addNode({ id: row.from, actor: false });
    const b = this.byId.get(row.to) ?? this.addNode({ id: row.to, actor: false });
    if (a === b) return;
    const e = this.freeEdges.pop() ?? this.newEdge();
    this.edgeFrom[e] = a;
    this.edgeTo[e] = b;
    this.edgeType[e] = type;
    this.edgeSince[e] = since;
    this.edgeUntil[e] = until;
    this.edgeRels[e] = row.rel;
    this.edgeByRel.set(row.rel, e);
    this.lists.push(a, b, e);
    this.lists.push(b, a, e);
    this.version++;
  }

  /** Forgets one relationship, from both its ends' lists. */
  private dropEdge(e: number): void {
    this.lists.remove(this.edgeFrom[e]!, e);
    this.lists.remove(this.edgeTo[e]!, e);
    this.releaseEdge(e);
    this.version++;
  }

  /** Hands an edge number back, its relationship id forgotten (its ends' lists are the caller's to update). */
  private releaseEdge(e: number): void {
    this.edgeByRel.delete(this.edgeRels[e]!);
    this.freeEdges.push(e);
  }

  /** Forgets a node's relationships (both directions); the node itself stays, as an isolated entry. */
  dropEdgesOf(id: string): void {
    const n = this.byId.get(id);
    if (n === undefined) return;
    const list = this.linksOf(n);
    for (let i = 0; i < list.length; i += 2) {
      const other = list[i]!;
      const e = list[i + 1]!;
      if (other !== n) this.lists.remove(other, e);
      this.releaseEdge(e);
    }
    this.lists.clear(n);
    this.version++;
  }

  /** Marks a node as gone (deleted in Neo4j): no relationships, never an actor in an answer. */
  forget(id: string): void {
    const n = this.byId.get(id);
    if (n === undefined) return;
    this.dropEdgesOf(id);
    this.actorFlags[n] = 0;
    this.cities[n] = null;
    this.countries[n] = null;
    this.kinds[n] = null;
    this.sectors[n] = null;
    this.cityCodes.set(n, null);
    this.countryCodes.set(n, null);
  }

  /** Per node, its city as a number: equal numbers, the same city; 0, none (a view: read it again after growth). */
  get cityCode(): Int32Array {
    return this.cityCodes.byNode;
  }

  /** Per node, its country as a number, as `cityCode`. */
  get countryCode(): Int32Array {
    return this.countryCodes.byNode;
  }

  /** How many link relationships `n` has. */
  degree(n: number): number {
    return this.lists.degree(n);
  }

  /** Orders every node by name, then id, so `compareByName` compares integers (after a whole-graph load). */
  rankNames(): void {
    const order = Array.from({ length: this.ids.length }, (_, n) => n);
    order.sort((x, y) => this.compareNameStrings(x, y));
    this.nameRanks = new Int32Array(Math.max(1024, this.ids.length * 2)).fill(-1);
    order.forEach((n, rank) => (this.nameRanks[n] = rank));
  }

  private unrank(n: number): void {
    if (n >= this.nameRanks.length)
      this.nameRanks = grownTo(this.nameRanks, new Int32Array(Math.max(n + 1, this.nameRanks.length * 2)).fill(-1));
    this.nameRanks[n] = -1;
  }

  /**
   * Nodes in (name, id) order, as Cypher's ORDER BY orders them: by rank when both were ranked (their names have not
   * changed since, so the ranks still say how their names compare), otherwise by the strings.
   */
  compareByName(x: number, y: number): number {
    const rx = this.nameRanks[x]!;
    const ry = this.nameRanks[y]!;
    if (rx >= 0 && ry >= 0) return rx - ry;
    return this.compareNameStrings(x, y);
  }

  private compareNameStrings(x: number, y: number): number {
    return compareText(this.names[x]!, this.names[y]!) || compareText(this.ids[x]!, this.ids[y]!);
  }

  /** Lays the adjacency lists out tightly in node order (after a whole-graph load): searches walk them faster. */
  compact(): void {
    this.lists.compact();
  }

  /** n's links as flattened [neighbour, edge] pairs: a view, valid until the index next changes. */
  private linksOf(n: number): Int32Array {
    const start = this.lists.first[n]!;
    return this.lists.pairs.subarray(start, start + this.lists.size[n]!);
  }

  /** Whether an edge is of one of these link kinds (and, given a window, active in it: as `search` applies it). */
  kindFilter(kinds: readonly LinkKind[], window: { from?: string | null; to?: string | null } = {}): (e: number) => boolean {
    return this.edgeFilter({ kinds, maxHops: 1, ...window });
  }

  /** Calls `visit` with each neighbour of `n` and the edge that links them. */
  forEachLink(n: number, visit: (neighbour: number, edge: number) => void): void {
    const list = this.linksOf(n);
    for (let i = 0; i < list.length; i += 2) visit(list[i]!, list[i + 1]!);
  }

  edgeEnds(e: number): [number, number] {
    return [this.edgeFrom[e]!, this.edgeTo[e]!];
  }
  edgeTypeName(e: number): string {
    return LINK_TYPES[this.edgeType[e]!]!;
  }
  edgeKind(e: number): LinkKind {
    return linkKindOf(this.edgeTypeName(e))!;
  }

  private prepare(): void {
    this.marks.reset(this.ids.length);
    if (this.via.length < this.marks.mark.length) this.via = new Int32Array(this.marks.mark.length);
  }

  /** Whether a search may follow every edge (every kind, no date window): then it tests none. */
  followsEvery(options: SearchOptions): boolean {
    const kinds = new Set(options.kinds);
    return !options.from && !options.to && LINK_TYPES.every((t) => kinds.has(linkKindOf(t)!));
  }

  private edgeFilter(options: SearchOptions): (e: number) => boolean {
    const allowed = new Uint8Array(LINK_TYPES.length);
    for (const kind of options.kinds) for (const t of LINK_KINDS[kind].types) allowed[TYPE_CODE.get(t)!] = 1;
    const to = dateNumber(options.to, 'end');
    const from = dateNumber(options.from);
    return (e) => {
      if (!allowed[this.edgeType[e]!]) return false;
      const since = this.edgeSince[e]!;
      if (to && since && since > to) return false;
      const until = this.edgeUntil[e]!;
      if (from && until && until < from) return false;
      return true;
    };
  }

  /**
   * How many actors `search` would reach within `options` (a 2-hop question reaches a tenth of the graph). With
   * `scope`, only actors whose group (a `cityCode` or `countryCode` entry) is known and differs from `mine` count.
   *
   * A count needs only each node's hops, not its relationships nor the way it was reached, so it runs level by level
   * instead of through the cost queue: a level is the nodes first reached at that many hops, with the contexts its
   * actors step into (a step into a context is no hop; any other relationship is one). Every node joins one level
   * at most. An actor's links are read twice (for the contexts it steps into, then for the next level); reading them
   * once (contexts to this level and actors to the next, in one pass) measured no faster.
   */
  countActors(start: number, options: SearchOptions, scope?: PlaceScope): number {
    if (scope && scope.mine === 0) return 0; // no place of its own: nobody is elsewhere
    const nodes = this.ids.length;
    const words = (nodes >>> 5) + 1;
    // Visited as one bit per node: at a million nodes 128 KB, which stays in the CPU's cache where a cost table of
    // 4 MB does not (a 2-hop count tests a million links; it ran in half the time).
    if (this.visited.length < words) this.visited = new Uint32Array(words + 1024);
    const visited = this.visited;
    visited.fill(0, 0, words);
    const { isActor } = this;
    const { first, size, pairs } = this.lists;
    const accepts = this.followsEvery(options) ? undefined : this.edgeFilter(options);
    if (this.levels[0]!.length < nodes) this.levels = [new Int32Array(nodes), new Int32Array(nodes)];
    let [level, next] = this.levels as [Int32Array, Int32Array];
    let size0 = 0;
    level[size0++] = start;
    visited[start >>> 5]! |= 1 << (start & 31);
    for (let hops = 0; hops < options.maxHops && size0 > 0; hops++) {
      // The contexts this level's actors step into belong to the level.
      for (let k = 0, actors = size0; k < actors; k++) {
        const u = level[k]!;
        if (!isActor[u]) continue;
        for (let i = first[u]!, stop = i + size[u]!; i < stop; i += 2) {
          const v = pairs[i]!;
          if (isActor[v] || visited[v >>> 5]! & (1 << (v & 31))) continue;
          if (accepts && !accepts(pairs[i + 1]!)) continue;
          visited[v >>> 5]! |= 1 << (v & 31);
          level[size0++] = v;
        }
      }
      if (hops === options.maxHops - 1) {
        // The last hop is only marked (a context entered there leads nowhere within the budget): most of a count's
        // links end there, and setting a bit reads nothing else about the node. Who is marked is counted below.
        for (let k = 0; k < size0; k++) {
          const u = level[k]!;
          for (let i = first[u]!, stop = i + size[u]!; i < stop; i += 2) {
            const v = pairs[i]!;
            if (!accepts || accepts(pairs[i + 1]!)) visited[v >>> 5]! |= 1 << (v & 31);
          }
        }
        break;
      }
      // One hop out of the level: the next one.
      let size1 = 0;
      for (let k = 0; k < size0; k++) {
        const u = level[k]!;
        for (let i = first[u]!, stop = i + size[u]!; i < stop; i += 2) {
          const v = pairs[i]!;
          if (visited[v >>> 5]! & (1 << (v & 31))) continue; // (every context an actor here steps into is visited already)
          if (accepts && !accepts(pairs[i + 1]!)) continue;
          visited[v >>> 5]! |= 1 << (v & 31);
          next[size1++] = v;
        }
      }
      [level, next] = [next, level];
      size0 = size1;
    }
    // Counted in node order, so the reads of each node's kind and place run along their arrays instead of jumping
    // (at scale 10 this halved a 2-hop count, 4.5 to 2.4 ms).
    visited[start >>> 5]! &= ~(1 << (start & 31));
    let counted = 0;
    for (let w = 0; w < words; w++) {
      let bits = visited[w]!;
      while (bits !== 0) {
        const lowest = bits & -bits;
        bits ^= lowest;
        const v = (w << 5) | (31 - Math.clz32(lowest));
        if (isActor[v] && (!scope || isElsewhere(scope, v))) counted++;
      }
    }
    return counted;
  }

  /**
   * Everything within `maxHops` of `start`, cheapest first, with the edge each node was first reached by.
   * `onReach` sees each node once, when its cost is final, and may return false to stop there, or a number of hops
   * beyond which nothing more is wanted (a page already full at that level): the search then neither reaches nor
   * expands anything further out, so a hub whose first hop fills the page never reads its second. Returns false
   * when the search stopped or narrowed before reaching everything within maxHops. `onReach` is handed the same
   * object every time, refilled: read it, do not keep it.
   */
  search(start: number, options: SearchOptions, onReach: (r: Reached) => boolean | number | void): boolean {
    this.prepare();
    const { via, isActor } = this;
    const { mark, base } = this.marks; // read inline below: the hot loop calls no method
    const { first, size, pairs } = this.lists; // no change can happen during a search: it is synchronous
    const accepts = this.followsEvery(options) ? undefined : this.edgeFilter(options);
    let maxHops = options.maxHops;
    let maxCost = maxHops * STRIDE + STRIDE - 1;
    if (maxCost >= COST_LIMIT) throw new RangeError(`at most ${Math.floor(COST_LIMIT / STRIDE) - 1} hops`);
    const buckets = this.buckets;
    buckets.clear();
    buckets.push(0, start);
    mark[start] = base;
    via[start] = -1;
    const reached: Reached = { node: start, hops: 0, rels: 0 }; // one object, refilled for every node
    for (let c = 0; c <= buckets.highest; c++) {
      // Every step costs at least 1, so nothing joins bucket c while it is read.
      const bucket = buckets.items[c]!;
      for (let k = 0, queued = buckets.count[c]!; k < queued; k++) {
        const u = bucket[k]!;
        if (mark[u] !== base + c) continue; // reached again more cheaply: a stale entry
        const hops = Math.floor(c / STRIDE);
        if (u !== start) {
          reached.node = u;
          reached.hops = hops;
          reached.rels = c % STRIDE;
          const wanted = onReach(reached);
          if (wanted === false) return false;
          if (typeof wanted === 'number' && wanted < maxHops) {
            maxHops = Math.max(wanted, hops);
            maxCost = maxHops * STRIDE + STRIDE - 1;
          }
        }
        // At the last hop only actors are of interest: whatever follows is one hop more.
        if (options.actorsOnly && hops === maxHops && u !== start) continue;
        const fromActor = isActor[u]!;
        // Every step out of a context is a hop: none fits once the budget is spent.
        if (!fromActor && c + HOP > maxCost) continue;
        if (c % STRIDE === STRIDE - 1) continue; // more relationships than the cost can count
        for (let i = first[u]!, stop = i + size[u]!; i < stop; i += 2) {
          const v = pairs[i]!;
          const next = c + (fromActor && !isActor[v] ? SHARED_CONTEXT_ENTRY : HOP);
          if (next > maxCost) continue;
          if (mark[v]! >= base && mark[v]! <= base + next) continue;
          const e = pairs[i + 1]!;
          if (accepts && !accepts(e)) continue;
          mark[v] = base + next;
          via[v] = e;
          buckets.push(next, v);
        }
      }
    }
    return maxHops === options.maxHops;
  }

  /** One-hop levels in name order, by start, for the state of the index they were found in. */
  private readonly levelsByName = new KeptPerVersion<number, OneHopLevel>(LEVELS_KEPT);

  /**
   * The actors one hop from `start` over every kind of link and any date, in (name, id) order, each with the path a
   * search finds to it. Kept until the index changes (at most LEVELS_KEPT starts): a hub funder's first page is the
   * first names among 13,000+ actors one hop away, and once they are ordered a page is a look-up. The paths are those
   * of a one-hop search, which are the ones any deeper search finds too: actors one hop away are reached only from
   * `start` itself or the contexts it steps into, all read before anything further out.
   */
  oneHopInNameOrder(start: number): OneHopLevel {
    return this.levelsByName.get(this.version, start, () => {
      const reached: number[] = [];
      this.search(start, { kinds: ALL_LINK_KINDS, maxHops: 1, actorsOnly: true }, ({ node }) => {
        if (this.isActor[node]) reached.push(node);
      });
      reached.sort((x, y) => this.compareByName(x, y));
      const nodes = Int32Array.from(reached);
      // The edge into each actor, and the edge from `start` into the context it came through (-1: a direct link).
      const last = new Int32Array(nodes.length);
      const first = new Int32Array(nodes.length).fill(-1);
      nodes.forEach((node, k) => {
        last[k] = this.via[node]!;
        const [a, b] = this.edgeEnds(last[k]!);
        const through = a === node ? b : a;
        if (through !== start) first[k] = this.via[through]!;
      });
      return new OneHopLevel(start, nodes, first, last, this);
    });
  }

  private actorsByCity?: { version: number; actors: Map<string, number[]> };
  private readonly contextMembersByCity = new KeptPerVersion<number, Map<string, number[]>>();

  /** The actors of a city, in index order (gathered once per state of the index). */
  actorsOf(city: string): readonly number[] {
    if (this.actorsByCity?.version !== this.version) {
      const actors = new Map<string, number[]>();
      for (let n = 0; n < this.ids.length; n++) {
        const c = this.cities[n];
        if (c && this.isActor[n]) (actors.get(c) ?? actors.set(c, []).get(c)!).push(n);
      }
      this.actorsByCity = { version: this.version, actors };
    }
    return this.actorsByCity.actors.get(city) ?? [];
  }

  /** A context's actor members by city, as flattened [member, edge] pairs in adjacency order (once per state). */
  private membersByCity(context: number): Map<string, number[]> {
    return this.contextMembersByCity.get(this.version, context, () => {
      const byCity = new Map<string, number[]>();
      const list = this.linksOf(context);
      for (let i = 0; i < list.length; i += 2) {
        const b = list[i]!;
        const c = this.cities[b];
        if (c && this.isActor[b]) (byCity.get(c) ?? byCity.set(c, []).get(c)!).push(b, list[i + 1]!);
      }
      return byCity;
    });
  }

  /**
   * Each actor one hop from actor `a` whose city is in `cities`, once, with the relationships of the path a
   * one-hop `search` would find to it: a direct link before a shared context (one relationship before two), and
   * among equals `a`'s adjacency order, then the context's. A context of `largeAt` links or more is read through
   * its members in those cities only, so a 20,000-member network costs what it holds there, not 20,000 visits.
   */
  forEachOneHopInCities(
    a: number,
    accepts: (e: number) => boolean,
    cities: ReadonlySet<string>,
    visit: (b: number, edges: number[]) => void,
    largeAt = 256,
  ): void {
    this.prepare();
    const { mark, base } = this.marks;
    mark[a] = base;
    /** The actors among [node, edge] pairs, each once, reached by `via` and then that edge. */
    const reach = (pairs: ArrayLike<number>, via: number[]) => {
      for (let j = 0; j < pairs.length; j += 2) {
        const b = pairs[j]!;
        const e = pairs[j + 1]!;
        if (!this.isActor[b] || mark[b]! >= base || !accepts(e)) continue;
        mark[b] = base;
        const c = this.cities[b];
        if (c && cities.has(c)) visit(b, [...via, e]);
      }
    };
    const list = this.linksOf(a);
    reach(list, []); // direct links first: one relationship, cheaper than any shared context
    for (let i = 0; i < list.length; i += 2) {
      const context = list[i]!;
      const e = list[i + 1]!;
      if (this.isActor[context] || mark[context]! >= base || !accepts(e)) continue;
      mark[context] = base;
      if (this.degree(context) < largeAt) reach(this.linksOf(context), [e]);
      else {
        const byCity = this.membersByCity(context);
        for (const city of cities) {
          const members = byCity.get(city);
          if (members) reach(members, [e]);
        }
      }
    }
  }

  /**
   * Every unordered pair of actors one hop apart (links.ts) whose groups differ, counted once, from the actor of the
   * lower group: `add(lower, higher, times)` adds `times` such pairs. `groupOf[n]` is a node's group (a city, say),
   * or -1 for none.
   *
   * Distinct pairs without enumerating a large context pairwise: each actor's largest context of `largeAt` links or
   * more (its "bulk" context) is counted in aggregate, as the context's members per group times the actors that
   * chose it per group, and everything else the actor reaches (direct links, its other contexts) is enumerated and
   * counted only when not a member of the bulk context. The two parts are disjoint and together are exactly the
   * actor's one-hop neighbourhood, so a 20,000-member network costs its members times their groups, not 200M pairs.
   */
  async countOneHopPairsByGroup(
    accepts: (e: number) => boolean,
    groupOf: Int32Array,
    add: (lower: number, higher: number, times: number) => void,
    options: { largeAt?: number; yieldEvery?: number } = {},
  ): Promise<void> {
    const largeAt = options.largeAt ?? 256;
    const yieldEvery = options.yieldEvery ?? 500;
    /** A large context's actor members (via accepted links) as a bitset, and how many there are per group. */
    const bulk = new Map<number, { members: Uint32Array; perGroup: Array<[number, number]>; chosenBy: Map<number, number> }>();
    const bulkOf = (c: number) => {
      let found = bulk.get(c);
      if (!found) {
        const members = new Uint32Array((this.ids.length >>> 5) + 1);
        const counts = new Map<number, number>();
        this.forEachLink(c, (b, e) => {
          if (!this.isActor[b] || !accepts(e) || members[b >>> 5]! & (1 << (b & 31))) return;
          members[b >>> 5]! |= 1 << (b & 31);
          const g = groupOf[b] ?? -1;
          if (g >= 0) counts.set(g, (counts.get(g) ?? 0) + 1);
        });
        found = { members, perGroup: [...counts].sort(([x], [y]) => x - y), chosenBy: new Map() };
        bulk.set(c, found);
      }
      return found;
    };
    let searched = 0;
    // Nodes added while this yields have no group: they wait for the next computation (a new index version).
    for (let a = 0; a < groupOf.length; a++) {
      const ga = groupOf[a]!;
      if (!this.isActor[a] || ga < 0) continue;
      this.prepare();
      const { mark, base } = this.marks;
      mark[a] = base;
      const list = this.linksOf(a);
      let chosen = -1;
      for (let i = 0; i < list.length; i += 2) {
        const c = list[i]!;
        if (!this.isActor[c] && this.degree(c) >= largeAt && (chosen < 0 || this.degree(c) > this.degree(chosen)) && accepts(list[i + 1]!))
          chosen = c;
      }
      let inBulk: Uint32Array | undefined;
      if (chosen >= 0) {
        const b = bulkOf(chosen);
        b.chosenBy.set(ga, (b.chosenBy.get(ga) ?? 0) + 1);
        inBulk = b.members;
        mark[chosen] = base;
      }
      const reach = (b: number, e: number) => {
        if (!this.isActor[b] || mark[b]! >= base || !accepts(e)) return;
        mark[b] = base;
        if (inBulk && inBulk[b >>> 5]! & (1 << (b & 31))) return; // counted with the bulk context
        const gb = groupOf[b] ?? -1;
        if (gb > ga) add(ga, gb, 1);
      };
      for (let i = 0; i < list.length; i += 2) reach(list[i]!, list[i + 1]!);
      for (let i = 0; i < list.length; i += 2) {
        const c = list[i]!;
        if (this.isActor[c] || mark[c]! >= base || !accepts(list[i + 1]!)) continue;
        mark[c] = base;
        this.forEachLink(c, reach);
      }
      if (++searched % yieldEvery === 0) await new Promise((resume) => setImmediate(resume));
    }
    for (const { perGroup, chosenBy } of bulk.values()) {
      for (const [ga, actors] of chosenBy) {
        // perGroup is sorted by group: the higher groups are its tail.
        for (let k = perGroup.length - 1; k >= 0 && perGroup[k]![0] > ga; k--) add(ga, perGroup[k]![0], actors * perGroup[k]![1]);
      }
      await new Promise((resume) => setImmediate(resume));
    }
  }

  /** A cheapest one-hop path from actor `a` to actor `b` (a direct link or one shared context), if there is one. */
  oneHopPath(a: number, b: number, options: Pick<SearchOptions, 'kinds' | 'from' | 'to'>): IndexPath | undefined {
    let found = false;
    this.search(a, { ...options, maxHops: 1, actorsOnly: true }, ({ node }) => {
      if (node !== b) return;
      found = true;
      return false;
    });
    return found ? this.pathTo(b) : undefined;
  }

  /** The path the last search found to `node` (valid until the next search). */
  pathTo(node: number): IndexPath {
    const nodes = [node];
    const edges: number[] = [];
    let at = node;
    while (this.via[at]! >= 0) {
      const e = this.via[at]!;
      const [a, b] = this.edgeEnds(e);
      at = a === at ? b : a;
      edges.push(e);
      nodes.push(at);
    }
    return { nodes: nodes.reverse(), edges: edges.reverse() };
  }

  /** The cost of stepping from `u` to `v`: entering a context from an actor is no hop yet; anything else is one. */
  private step(u: number, v: number): number {
    return this.isActor[u] && !this.isActor[v] ? SHARED_CONTEXT_ENTRY : HOP;
  }

  /**
   * The cheapest step there is out of `u`, priced as `step` does in the direction a path runs: into a context, from
   * an actor going forward or from a context going backward. A node at a ball's edge that this step would take past
   * the radius reads none of its links (a large context has thousands).
   */
  private cheapestStepOut(u: number, backward = false): number {
    return backward !== !!this.isActor[u] ? SHARED_CONTEXT_ENTRY : HOP;
  }

  /**
   * Exact cheapest costs from `start` up to `radius`, forward (cost of reaching each node) or backward (cost of
   * reaching `start` from each node: steps are priced in the direction a path runs). A Dial search of its own, so a
   * forward and a backward ball can live side by side; `order` lists the nodes as their costs became final.
   */
  private ball(
    start: number,
    radius: number,
    backward: boolean,
    accepts: (e: number) => boolean,
    cost: CostTable,
  ): { cost: CostTable; order: number[] } {
    const { first, size, pairs } = this.lists;
    const { isActor } = this;
    cost.reset(this.ids.length);
    const { mark, base } = cost; // read inline below: the hot loop calls no method
    mark[start] = base;
    const order: number[] = [];
    const buckets: number[][] = [[start]];
    for (let c = 0; c < buckets.length; c++) {
      const bucket = buckets[c];
      if (!bucket) continue;
      for (const u of bucket) {
        if (mark[u] !== base + c) continue;
        order.push(u);
        if (c + this.cheapestStepOut(u, backward) > radius) continue;
        const fromActor = isActor[u]!;
        for (let i = first[u]!, stop = i + size[u]!; i < stop; i += 2) {
          const v = pairs[i]!;
          const entersContext = backward ? isActor[v] && !fromActor : fromActor && !isActor[v];
          const next = c + (entersContext ? SHARED_CONTEXT_ENTRY : HOP);
          if (next > radius || (mark[v]! >= base && mark[v]! <= base + next) || !accepts(pairs[i + 1]!)) continue;
          mark[v] = base + next;
          (buckets[next] ??= []).push(v);
        }
      }
      buckets[c] = undefined as never;
    }
    return { cost, order };
  }

  /**
   * All cheapest paths from `from` to `to` (fewest hops, then fewest relationships), as distinct node sequences in
   * the order of their id lists, at most `limit`. Empty when `to` is not within maxHops.
   *
   * Bidirectional: a forward ball from `from` to half the cost budget and a backward ball from `to` to the rest.
   * Every path within budget has exactly one edge where its running cost first passes the forward radius; that
   * edge's start is in the forward ball and its end in the backward one, both at their exact costs (a cheapest
   * path's parts are cheapest too). So the cheapest cost is the best such crossing, and each side explores about
   * half the hops: at a hub that is the difference between a neighbourhood and most of the graph.
   */
  cheapestPaths(from: number, to: number, options: SearchOptions, limit: number): IndexPath[] {
    const { first, size, pairs } = this.lists;
    const accepts = this.edgeFilter(options);
    const maxCost = options.maxHops * STRIDE + STRIDE - 1;
    const forwardRadius = Math.floor(maxCost / 2);
    const [forwardCosts, backwardCosts, leads] = this.pathTables;
    const forward = this.ball(from, forwardRadius, false, accepts, forwardCosts);
    const backward = this.ball(to, maxCost - forwardRadius, true, accepts, backwardCosts);
    const df = forward.cost;
    const db = backward.cost;
    // The edges from the forward ball into the backward one, read from the ball with fewer links: its far edge holds
    // whole contexts (every context the start's collaborators are in, forward), the other ball's may not.
    const linksIn = (order: number[]) => order.reduce((sum, u) => sum + size[u]!, 0);
    const fromBackward = linksIn(backward.order) < linksIn(forward.order);
    const eachCrossing = (visit: (x: number, y: number, e: number) => void): void => {
      const [side, other] = fromBackward ? [backward.order, df] : [forward.order, db];
      for (const u of side) {
        for (let i = first[u]!, stop = i + size[u]!; i < stop; i += 2) {
          const v = pairs[i]!;
          if (other.has(v)) visit(fromBackward ? v : u, fromBackward ? u : v, pairs[i + 1]!);
        }
      }
    };
    // The cheapest cost: the target inside the forward ball, or the best crossing edge.
    let best = df.get(to) ?? Infinity;
    eachCrossing((x, y, e) => {
      const total = df.get(x)! + this.step(x, y) + db.get(y)!;
      if (total < best && accepts(e)) best = total;
    });
    if (best > maxCost) return [];
    // A step from `u` at running cost `p` to `v` keeps a path cheapest when `v` is reached at its exact cost and can
    // still finish on budget: in the forward half that is `leads` (worked out from the far end of the ball back),
    // past it the backward ball's exact cost says it.
    leads.reset(this.ids.length);
    const continues = (v: number, p: number): boolean =>
      p <= forwardRadius ? df.get(v) === p && (v === to ? p === best : leads.has(v)) : db.get(v) === best - p;
    // First the steps that leave the forward half and stay cheapest (crossing edges), then the rest from the far end
    // back; a node whose every step leaves the half has been settled by the first.
    eachCrossing((x, y, e) => {
      const p = df.get(x)! + this.step(x, y);
      if (p > forwardRadius && db.get(y) === best - p && accepts(e)) leads.set(x, 0);
    });
    for (let k = forward.order.length - 1; k >= 0; k--) {
      const u = forward.order[k]!;
      const p = df.get(u)!;
      if (u === to || leads.has(u) || p + this.cheapestStepOut(u) > forwardRadius) continue;
      for (let i = first[u]!, stop = i + size[u]!; i < stop; i += 2) {
        const v = pairs[i]!;
        const next = p + this.step(u, v);
        if (next <= forwardRadius && continues(v, next) && accepts(pairs[i + 1]!)) {
          leads.set(u, 0);
          break;
        }
      }
    }
    // Forward from the start, neighbours by id, so paths come out ordered by their id lists.
    const paths: IndexPath[] = [];
    const walk = (node: number, p: number, nodes: number[], edges: number[]) => {
      if (paths.length >= limit) return;
      if (node === to) {
        paths.push({ nodes: [...nodes], edges: [...edges] });
        return;
      }
      const next = new Map<number, number>(); // neighbour -> first edge: distinct node sequences only
      const list = this.linksOf(node);
      for (let i = 0; i < list.length; i += 2) {
        const v = list[i]!;
        if (next.has(v) || !continues(v, p + this.step(node, v)) || !accepts(list[i + 1]!)) continue;
        next.set(v, list[i + 1]!);
      }
      for (const [v, e] of [...next].sort(([x], [y]) => compareText(this.ids[x]!, this.ids[y]!))) {
        nodes.push(v);
        edges.push(e);
        walk(v, p + this.step(node, v), nodes, edges);
        nodes.pop();
        edges.pop();
      }
    };
    if (from === to || !leads.has(from)) return [];
    walk(from, 0, [from], []);
    return paths;
  }
}

/** Values computed per key for one state of the index (its `version`), all dropped when it changes. */
class KeptPerVersion<K, V> {
  private version = -1;
  private readonly values = new Map<K, V>();

  /** @param limit the most keys kept at once (all are dropped when a new one would exceed it) */
  constructor(private readonly limit = Number.POSITIVE_INFINITY) {}

  get(version: number, key: K, compute: () => V): V {
    if (this.version !== version) {
      this.version = version;
      this.values.clear();
    }
    let value = this.values.get(key);
    if (value === undefined) {
      value = compute();
      if (this.values.size >= this.limit) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }
}

/** How many starts keep their one-hop level in name order at once (each holds three integers per actor). */
const LEVELS_KEPT = 64;

/** The actors one hop from a start in name order, with their paths (see `oneHopInNameOrder`). */
export class OneHopLevel {
  constructor(
    readonly start: number,
    readonly nodes: Int32Array,
    private readonly firstEdges: Int32Array,
    private readonly lastEdges: Int32Array,
    private readonly index: CollaborationIndex,
  ) {}

  /** The path to the k-th actor: a direct link, or into a context and out to the actor. */
  pathAt(k: number): IndexPath {
    const node = this.nodes[k]!;
    const last = this.lastEdges[k]!;
    const first = this.firstEdges[k]!;
    if (first < 0) return { nodes: [this.start, node], edges: [last] };
    const [a, b] = this.index.edgeEnds(last);
    return { nodes: [this.start, a === node ? b : a, node], edges: [first, last] };
  }
}

/** `bigger` holding `array`'s values at their places. */
function grownTo<T extends Int32Array | Uint8Array | Float64Array>(array: T, bigger: T): T {
  bigger.set(array);
  return bigger;
}

/** Code-point order, as Cypher's ORDER BY compares strings. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export { STRIDE };

/** Strings that group nodes (a city, a country) as small numbers per node: 0 for none. */
class GroupCodes {
  byNode = new Int32Array(1024);
  private readonly codes = new Map<string, number>();

  set(n: number, value: string | null | undefined): void {
    if (n >= this.byNode.length) this.byNode = grownTo(this.byNode, new Int32Array(Math.max(n + 1, this.byNode.length * 2)));
    let code = 0;
    if (value) {
      const known = this.codes.get(value);
      code = known ?? this.codes.size + 1;
      if (known === undefined) this.codes.set(value, code);
    }
    this.byNode[n] = code;
  }
}

/**
 * Small costs by node, in a typed array that a new `reset` empties at once: `mark[n]` is `base + cost`, and anything
 * below `base` is from before. Hot loops read `mark` and `base` directly.
 */
class CostTable {
  mark = new Int32Array(0);
  base = 0;

  reset(nodes: number): void {
    if (this.mark.length < nodes) {
      this.mark = new Int32Array(Math.ceil(nodes * 1.25) + 1024);
      this.base = 0;
    }
    this.base += COST_LIMIT;
    if (this.base > 0x7fffffff - COST_LIMIT) {
      this.mark.fill(0);
      this.base = COST_LIMIT;
    }
  }

  get(n: number): number | undefined {
    const m = this.mark[n]!;
    return m >= this.base ? m - this.base : undefined;
  }

  has(n: number): boolean {
    return this.mark[n]! >= this.base;
  }

  set(n: number, cost: number): void {
    this.mark[n] = this.base + cost;
  }
}

/** Dial's buckets: per cost, the nodes queued at it, in typed arrays kept from one search to the next. */
class BucketQueue {
  readonly items: Int32Array[] = [];
  readonly count: Int32Array;
  highest = -1;

  constructor(costs: number) {
    this.count = new Int32Array(costs);
  }

  clear(): void {
    this.count.fill(0, 0, this.highest + 1);
    this.highest = -1;
  }

  push(cost: number, node: number): void {
    let items = this.items[cost];
    const n = this.count[cost]!;
    if (!items || n === items.length) {
      const grown = new Int32Array(Math.max(256, n * 2));
      if (items) grown.set(items);
      this.items[cost] = items = grown;
    }
    items[n] = node;
    this.count[cost] = n + 1;
    if (cost > this.highest) this.highest = cost;
  }
}

/**
 * Edge numbers by Neo4j relationship id. Those ids are small dense integers in a store, so a typed array indexed by
 * id holds them with no hashing (a Map of five million entries made loading a scale-10 index a third slower); an id
 * beyond DENSE_LIMIT (a very large or sparse store) goes to a Map instead.
 */
class RelationshipIds {
  private static readonly DENSE_LIMIT = 1 << 26;
  private dense = new Int32Array(1 << 16).fill(-1);
  private readonly sparse = new Map<number, number>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(rel: number): boolean {
    return this.get(rel) !== undefined;
  }

  get(rel: number): number | undefined {
    if (rel >= 0 && rel < RelationshipIds.DENSE_LIMIT) {
      const e = rel < this.dense.length ? this.dense[rel]! : -1;
      return e >= 0 ? e : undefined;
    }
    return this.sparse.get(rel);
  }

  set(rel: number, edge: number): void {
    if (rel >= 0 && rel < RelationshipIds.DENSE_LIMIT) {
      if (rel >= this.dense.length) {
        let length = this.dense.length;
        while (length <= rel) length *= 2;
        const grown = new Int32Array(Math.min(length, RelationshipIds.DENSE_LIMIT)).fill(-1);
        grown.set(this.dense);
        this.dense = grown;
      }
      if (this.dense[rel]! < 0) this.count++;
      this.dense[rel] = edge;
      return;
    }
    if (!this.sparse.has(rel)) this.count++;
    this.sparse.set(rel, edge);
  }

  delete(rel: number): void {
    if (rel >= 0 && rel < RelationshipIds.DENSE_LIMIT) {
      if (rel < this.dense.length && this.dense[rel]! >= 0) {
        this.dense[rel] = -1;
        this.count--;
      }
      return;
    }
    if (this.sparse.delete(rel)) this.count--;
  }
}
