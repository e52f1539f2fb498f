import { firstInOrder } from '../shared/first-in-order';
import type { Database } from '../shared/database';
import { VIEWABLE_LABELS } from '../shared/cypher';
import { AppError } from '../shared/errors';
import { warmPageCache } from '../shared/page-cache';
import { CollaborationIndex, compareText, isElsewhere, type IndexPath, type PlaceScope, type SearchOptions } from './collaboration-index';
import { ALL_LINK_KINDS, hopsAlong, type LinkKind } from './links';
import { liveIndexFor } from './live-index';
import * as repo from './repository';

/*
 * The neighbourhood questions (collaborators, shortest paths, city-to-city), answered from the collaboration index
 * and explained from Neo4j: the index finds who and how far, Neo4j supplies names, places and the sources of every
 * relationship on the paths returned (only those of the page, so a hub's 20,000 members cost one page of details).
 */

export type Scope = 'ANY' | 'OTHER_CITY' | 'OTHER_COUNTRY';

export interface RawPath {
  nodes: Array<{ id: string; label: string; name: string }>;
  relationships: repo.ExplainedRel[];
}

const indexOf = (db: Database) => liveIndexFor(db, { transactionTimeoutMs: db.transactionTimeoutMs });

/** The current index, with `ids` guaranteed looked up (in case something wrote them without a journal entry). */
export async function currentIndex(db: Database, ids: string[]): Promise<CollaborationIndex> {
  const live = indexOf(db);
  const index = await live.current();
  await live.ensure(index, ids);
  if (seenVersions.get(index) !== index.version) {
    // Changed since a request last looked (writes arrive through the journal): the answers clients asked for are
    // computed again in the background.
    if (seenVersions.has(index)) void refreshAskedAnswers(index);
    seenVersions.set(index, index.version);
  }
  return index;
}

const seenVersions = new WeakMap<CollaborationIndex, number>();

/**
 * Starts loading the index of `db` (then the whole-graph aggregates, see `precomputeWholeGraph`, then Neo4j's page
 * cache, see `warmPageCache`) and planning the insights queries; resolves when all are done (never fails).
 */
export function warmIndex(db: Database, log?: (message: string) => void): Promise<void> {
  return Promise.all([
    liveIndexFor(db, { transactionTimeoutMs: db.transactionTimeoutMs, log })
      .warm()
      .then(() => precomputeWholeGraph(db, log))
      .catch((error) => log?.(`whole-graph aggregates failed: ${(error as Error).message}`))
      // Last, so the questions' own structures come first: the store into Neo4j's page cache.
      .then(() => warmNeo4jPageCache(db, log)),
    repo.warmPlans(db).catch((error) => log?.(`planning the insights queries failed: ${(error as Error).message}`)),
  ]).then(() => undefined);
}

/** How long the page-cache warm-up may read (it reads the whole store, as the index load does). */
const PAGE_CACHE_WARM_UP_MS = 30 * 60 * 1000;

async function warmNeo4jPageCache(db: Database, log?: (message: string) => void): Promise<void> {
  const started = Date.now();
  try {
    const touched = await warmPageCache(db, PAGE_CACHE_WARM_UP_MS);
    log?.(
      `Neo4j's page cache warmed: ${touched.nodes.toLocaleString()} node and ${touched.relationships.toLocaleString()} relationship properties, ${touched.indexEntries.toLocaleString()} index entries read in ${Date.now() - started} ms`,
    );
  } catch (error) {
    log?.(`warming Neo4j's page cache failed: ${(error as Error).message}`); // questions only read more slowly at first
  }
}

/**
 * Node and relationship details for index paths, in one pass each. Without `withRelationships` the nodes come from
 * the index (which knows every linked node's label and name) and no relationship is read: `relationships` is empty.
 */
export async function explain(db: Database, index: CollaborationIndex, paths: IndexPath[], withRelationships = true) {
  if (!withRelationships && paths.every((p) => p.nodes.every((n) => index.labelOf(n) !== undefined))) {
    const toRaw = (p: IndexPath): RawPath => ({
      nodes: p.nodes.map((n) => ({ id: index.ids[n]!, label: index.labelOf(n)!, name: index.names[n]! })),
      relationships: [],
    });
    return { summaries: new Map(paths.flatMap((p) => p.nodes.map((n) => [index.ids[n]!, indexSummary(index, n)] as const))), toRaw };
  }
  // Every node of a path is an end of one of its relationships (a path has at least one).
  const { summaries, rels } = await repo.pathDetails(db, [...new Set(paths.flatMap((p) => p.edges.map((e) => index.edgeRel[e]!)))]);
  const toRaw = (p: IndexPath): RawPath | undefined => {
    const nodes = p.nodes.map((n) => summaries.get(index.ids[n]!));
    const relationships = p.edges.map((e) => {
      const rel = rels.get(index.edgeRel[e]!);
      const [a, b] = index.edgeEnds(e);
      // Under a reused id Neo4j may hold another relationship: the one the index saw is gone.
      return rel && rel.from === index.ids[a] && rel.to === index.ids[b] ? rel : undefined;
    });
    // Something deleted since the index saw it (a write that kept no journal): leave the path out.
    if (nodes.some((n) => !n) || relationships.some((r) => !r)) return undefined;
    return {
      nodes: nodes.map((n) => ({ id: n!.id, label: n!.label, name: n!.name })),
      relationships: relationships as repo.ExplainedRel[],
    };
  };
  return { summaries, toRaw };
}

export interface CollaboratorsQuestion {
  id: string;
  kinds: readonly LinkKind[];
  maxHops: number;
  scope: Scope;
  from?: string | null;
  to?: string | null;
  offset: number;
  limit: number;
  /** Whether the client asked for `totalCount`: without it the search stops once the page is certain. */
  needTotal: boolean;
  /** Whether the client asked for the paths: without them, no relationship (nor its sources) is read. */
  needPaths?: boolean;
  /** Whether the client asked for the paths' relationships (default: yes, when it asked for paths). */
  needRelationships?: boolean;
}

/** Totals of recent collaborator questions, per index version (a hub's 3-hop total reads the whole graph). */
const totals = new WeakMap<CollaborationIndex, { version: number; byQuestion: Map<string, number> }>();
const TOTALS_KEPT = 1000;

type TotalQuestion = Pick<CollaboratorsQuestion, 'id' | 'kinds' | 'maxHops' | 'scope' | 'from' | 'to'>;

/** The totals kept for the index as it is now (emptied when it changes). */
function totalsOf(index: CollaborationIndex): Map<string, number> {
  let known = totals.get(index);
  if (!known || known.version !== index.version) totals.set(index, (known = { version: index.version, byQuestion: new Map() }));
  return known.byQuestion;
}

const totalKey = (q: TotalQuestion) => JSON.stringify([q.id, [...q.kinds].sort(), q.maxHops, q.scope, q.from ?? null, q.to ?? null]);

function rememberTotal(index: CollaborationIndex, q: TotalQuestion, total: number): void {
  const known = totalsOf(index);
  if (known.size >= TOTALS_KEPT) known.clear();
  known.set(totalKey(q), total);
}

/**
 * The place codes a scope compares, and the start's own: codes, not strings, because the test runs for every actor a
 * search reaches (a 2-hop question reaches a tenth of the graph). Undefined for ANY.
 */
function scopeGroups(index: CollaborationIndex, start: number, scope: Scope): PlaceScope | undefined {
  if (scope === 'ANY') return undefined;
  const groups = scope === 'OTHER_CITY' ? index.cityCode : index.countryCode;
  return { groups, mine: groups[start]! };
}

/** Whether a reached actor is in the question's scope, seen from `start` (as `countActors` counts them). */
function scopeFilter(index: CollaborationIndex, start: number, scope: Scope): (node: number) => boolean {
  const place = scopeGroups(index, start, scope);
  return place ? (node) => isElsewhere(place, node) : () => true;
}

export interface CollaboratorItem {
  actor: repo.SummaryRow;
  hops: number;
  kinds: LinkKind[];
  /** Undefined when the question did not ask for paths. */
  path?: RawPath;
}

/**
 * `answer` on the current index, with the journal read (one Neo4j round trip, see live-index.ts) overlapped: while
 * Neo4j answers it, `answer` runs on the index as it stands, and that result is kept when the journal changed
 * nothing; otherwise `answer` runs again on the changed index. A question's search then costs no time beyond the
 * round trip it waits for anyway. `answer` must not keep the index's scratch space (paths are taken inside it).
 */
async function onCurrentIndex<T>(
  db: Database,
  ids: string[],
  answer: (index: CollaborationIndex) => T,
): Promise<{ index: CollaborationIndex; value: T }> {
  const standing = indexOf(db).asItStands;
  const current = currentIndex(db, ids);
  current.catch(() => undefined); // a failure is the caller's, below: not an unhandled rejection meanwhile
  let early: { version: number; value: T } | undefined;
  if (standing && ids.every((id) => standing.indexOf(id) !== undefined)) {
    // Let the journal read go out before the search takes the CPU (the driver sends it on a later turn).
    await new Promise((resume) => setImmediate(resume));
    try {
      early = { version: standing.version, value: answer(standing) };
    } catch {
      early = undefined; // asked again below, on the current index, where it throws for the caller if it must
    }
  }
  const index = await current;
  if (early && index === standing && index.version === early.version) return { index, value: early.value };
  return { index, value: answer(index) };
}

/** One page of collaborators as the index finds them: nodes, hops, and the paths to them. */
export interface FoundPage {
  total: number;
  nodes: number[];
  hops: number[];
  paths: IndexPath[];
}

/** Collaborators nearest first (hops, then name, then id), one page, with the total; undefined for an unknown id. */
export async function collaborators(
  db: Database,
  q: CollaboratorsQuestion,
): Promise<{ total: number; items: CollaboratorItem[] } | undefined> {
  const { index, value: found } = await onCurrentIndex(db, [q.id], (index) => findPage(index, q));
  if (!found) return undefined;
  const { nodes: page, hops: pageHops, paths } = found;
  const kindsAlong = (i: number) => [...new Set(paths[i]!.edges.map((e) => index.edgeKind(e)))];
  const items: CollaboratorItem[] = [];
  if (q.needPaths === false && page.every((n) => index.labelOf(n) !== undefined)) {
    // The index holds what an actor's summary shows (kept current before every question): no database read.
    page.forEach((node, i) => items.push({ actor: indexSummary(index, node), hops: pageHops[i]!, kinds: kindsAlong(i) }));
  } else {
    const { summaries, toRaw } = await explain(db, index, paths, q.needRelationships !== false);
    page.forEach((node, i) => {
      const actor = summaries.get(index.ids[node]!);
      const path = toRaw(paths[i]!);
      if (!actor || !path) return;
      items.push({ actor, hops: hopsAlong(path.nodes.map((n) => n.label)), kinds: kindsAlong(i), path });
    });
  }
  return { total: found.total, items };
}

/** An actor with this many links (a funder in a thousand grants) has its one-hop level kept in name order. */
export const KEEP_LEVEL_AT_DEGREE = 1000;

/**
 * The page `q` asks for, found in `index` (synchronous: no change can come between the search and its paths). At an
 * actor with `keepLevelAt` links or more, a page that lies within the first hop is read from that level kept in name
 * order (`oneHopInNameOrder`), with the same items and paths the search would give.
 */
export function findPage(index: CollaborationIndex, q: CollaboratorsQuestion, keepLevelAt = KEEP_LEVEL_AT_DEGREE): FoundPage | undefined {
  const start = index.indexOf(q.id);
  if (start === undefined) return undefined;
  const options: SearchOptions = { kinds: q.kinds, maxHops: q.maxHops, from: q.from, to: q.to, actorsOnly: true };
  const inScope = scopeFilter(index, start, q.scope);
  const isActor = index.isActor;
  let total = totalsOf(index).get(totalKey(q));
  // Asked for and not known: counted on its own (countActors), unless the search for the page read everything anyway.
  const counted = (): number => {
    if (total === undefined) rememberTotal(index, q, (total = index.countActors(start, options, scopeGroups(index, start, q.scope))));
    return total;
  };
  if (q.maxHops >= 1 && index.degree(start) >= keepLevelAt && index.followsEvery(options)) {
    const level = index.oneHopInNameOrder(start);
    const wanted = q.offset + q.limit + 1;
    const inPage: number[] = [];
    let found = 0;
    for (let k = 0; k < level.nodes.length && found < wanted; k++) {
      if (!inScope(level.nodes[k]!)) continue;
      if (found >= q.offset && found < q.offset + q.limit) inPage.push(k);
      found++;
    }
    // One item past the page within the first hop: the page lies in it. Otherwise the search below decides.
    if (found === wanted) {
      return {
        total: q.needTotal ? counted() : (total ?? found),
        nodes: inPage.map((k) => level.nodes[k]!),
        hops: inPage.map(() => 1),
        paths: inPage.map((k) => level.pathAt(k)),
      };
    }
  }
  const byHops: number[][] = [];
  let found = 0;
  let lastNeededLevel = Number.POSITIVE_INFINITY;
  const complete = index.search(start, options, ({ node, hops }) => {
    // Nearest first: once one item past the page is found, only the rest of its level can still enter the page.
    if (hops > lastNeededLevel) return false;
    if (!isActor[node] || !inScope(node)) return;
    (byHops[hops] ??= []).push(node);
    if (++found === q.offset + q.limit + 1) {
      lastNeededLevel = hops;
      return hops; // nothing further out can enter the page
    }
  });
  // A search that was not cut short found every actor in scope: the total, without a count. (At a page in the last
  // hop, as a 2-hop question's often is, it reads all of that hop to find its first names.)
  if (complete && total === undefined) rememberTotal(index, q, (total = found));
  if (q.needTotal) counted();
  const byName = (x: number, y: number) => index.compareByName(x, y);
  const page: number[] = [];
  const pageHops: number[] = [];
  let toSkip = q.offset;
  for (const [hops, level] of byHops.entries()) {
    if (!level || page.length >= q.limit) continue;
    if (toSkip >= level.length) {
      toSkip -= level.length;
      continue;
    }
    for (const node of firstInOrder(level, toSkip + q.limit - page.length, byName).slice(toSkip)) {
      page.push(node);
      pageHops.push(hops);
    }
    toSkip = 0;
  }
  // Without a count, `found` is at least one more than the page when more exist: enough for hasNextPage.
  return { total: total ?? found, nodes: page, hops: pageHops, paths: page.map((n) => index.pathTo(n)) };
}

/**
 * A node's summary as the index holds it: the same expressions as `summary` in questions.ts, read at load and kept
 * current (only for nodes whose label the index knows).
 */
function indexSummary(index: CollaborationIndex, node: number): repo.SummaryRow {
  const person = index.labelOf(node) === 'Person';
  return {
    id: index.ids[node]!,
    label: index.labelOf(node)!,
    kind: person ? undefined : (index.kinds[node] ?? undefined),
    name: index.names[node]!,
    city: index.cities[node] ?? undefined,
    country: index.countries[node] ?? undefined,
  };
}

/**
 * All cheapest paths between two entities (fewest hops, then fewest relationships), ordered by their ids; with
 * their relationships (and sources) unless `withRelationships` is false. `bothEntities` says whether the index knows
 * both ends as entities a client can name; when it does not, they may still exist (linked to nothing), or not.
 */
export async function shortestPaths(
  db: Database,
  fromId: string,
  toId: string,
  kinds: readonly LinkKind[],
  maxHops: number,
  limit: number,
  withRelationships = true,
): Promise<{ paths: RawPath[]; bothEntities: boolean }> {
  const { index, value: found } = await onCurrentIndex(db, [fromId, toId], (index) => {
    const from = index.indexOf(fromId);
    const to = index.indexOf(toId);
    const bothEntities = isEntity(index, from) && isEntity(index, to);
    if (from === undefined || to === undefined || from === to) return { paths: [], bothEntities };
    return { paths: index.cheapestPaths(from, to, { kinds, maxHops }, limit), bothEntities };
  });
  if (found.paths.length === 0) return { paths: [], bothEntities: found.bothEntities };
  const { toRaw } = await explain(db, index, found.paths, withRelationships);
  return { paths: found.paths.map(toRaw).filter((p): p is RawPath => p !== undefined), bothEntities: found.bothEntities };
}

/** Whether an index node is an entity a client can name (the labels `anyEntityById` looks in). */
const isEntity = (index: CollaborationIndex, node: number | undefined): node is number =>
  node !== undefined && VIEWABLE_LABELS.includes(index.labelOf(node) as (typeof VIEWABLE_LABELS)[number]);

export interface CityPair {
  a: string;
  b: string;
  actorPairs: number;
  carriers: Array<{ a: string; b: string; kinds: LinkKind[] }>;
}

/** The most city pairs an answer lists (the strongest): all pairs of 10,000 cities would be 50M. */
export const CITY_PAIRS_KEPT = 10_000;

/** Actor pairs per pair of cities, counted over the whole index (or the asked cities): the expensive part. */
interface CityCounts {
  pairs: Array<{ a: string; b: string; actorPairs: number }>;
}

/** Whole-graph computations, one per index version and question, shared by the requests that ask while it runs. */
const computations = new WeakMap<CollaborationIndex, Map<string, { version: number; result: Promise<unknown> }>>();

/** The result of `compute` for the index as it is now: started once per version and key, then shared. */
function computation<T>(index: CollaborationIndex, key: string, compute: () => Promise<T>): Promise<T> {
  if (!computations.has(index)) computations.set(index, new Map());
  const cache = computations.get(index)!;
  let entry = cache.get(key);
  if (!entry || entry.version !== index.version) {
    const started = { version: index.version, result: compute() as Promise<unknown> };
    started.result.then(
      (value) => rememberFinished(index, key, started.version, value),
      () => {
        if (cache.get(key) === started) cache.delete(key);
      },
    );
    cache.set(key, started);
    entry = started;
  }
  return entry.result as Promise<T>;
}

/**
 * The aggregates the default whole-graph questions read (every city pair at one hop over all kinds of link, and
 * the broker rankings by cities and by countries for every country and the whole graph), computed for the index as
 * it is at start-up, so the first such request finds them ready instead of paying for the count (about 40 s at a
 * million nodes). Resolves when done.
 */
export async function precomputeWholeGraph(db: Database, log?: (message: string) => void): Promise<void> {
  const index = await currentIndex(db, []);
  const started = Date.now();
  await computation(index, cityPairsKey(null, ALL_LINK_KINDS, 1), () => countCityPairs(index, undefined, ALL_LINK_KINDS, 1));
  await precomputeBrokers(index, 'CITIES');
  await precomputeBrokers(index, 'COUNTRIES');
  await precomputeBusiestTotals(index);
  log?.(
    `whole-graph aggregates (all city pairs, brokers by cities and countries, the busiest actors' collaborator totals and first hops) ready in ${Date.now() - started} ms`,
  );
}

/** How many of the most linked actors have their collaborator totals counted at start-up. */
const BUSIEST_ACTORS = 8;

/**
 * The default collaborator totals (every kind of link, any place, 2 and 3 hops) of the actors with the most links:
 * at a hub funder a 3-hop total reaches most of the graph (about 0.4 s at a million nodes), so the first client
 * who asks finds it counted. Their one-hop levels in name order too (see `findPage`). Kept as any total is, until
 * the index changes.
 */
async function precomputeBusiestTotals(index: CollaborationIndex): Promise<void> {
  const busiest: number[] = [];
  for (let n = 0; n < index.nodeCount; n++) if (index.isActor[n]) busiest.push(n);
  const byDegree = (a: number, b: number) => index.degree(b) - index.degree(a) || a - b;
  for (const start of firstInOrder(busiest, BUSIEST_ACTORS, byDegree)) {
    if (index.degree(start) >= KEEP_LEVEL_AT_DEGREE) index.oneHopInNameOrder(start);
    for (const maxHops of [2, 3]) {
      const question: TotalQuestion = { id: index.ids[start]!, kinds: ALL_LINK_KINDS, maxHops, scope: 'ANY' };
      rememberTotal(index, question, index.countActors(start, { kinds: ALL_LINK_KINDS, maxHops, actorsOnly: true }));
      await new Promise((resume) => setImmediate(resume));
    }
  }
}

/**
 * The result of `compute` for the index as it is now, computed once per version and shared (a computation sees the
 * index as it goes; a change that arrives meanwhile makes a new version, and the next request a new computation).
 * A request that would wait longer than `budgetMs` gets QUERY_TIMEOUT while the computation goes on, so a later
 * request gets the answer.
 */
export async function shared<T>(
  index: CollaborationIndex,
  key: string,
  budgetMs: number,
  what: string,
  compute: () => Promise<T>,
): Promise<T> {
  const result = computation(index, key, compute);
  if (budgetMs === Number.POSITIVE_INFINITY) return result; // background work (start-up warming) waits for it
  const done = await within(result, budgetMs);
  if (done === 'late') {
    throw new AppError(
      'QUERY_TIMEOUT',
      `${what} over the whole graph takes longer than ${budgetMs} ms; it goes on: ask again shortly, or narrow the question.`,
      { retryAfterSeconds: 5 },
    );
  }
  return done as T;
}

/** `result`, or 'late' once `ms` have passed first (the timer cleared either way). */
async function within<T>(result: Promise<T>, ms: number): Promise<T | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  return Promise.race([result, late]).finally(() => clearTimeout(timer));
}

/** The last finished result of each whole-graph computation, whatever the version it was computed for. */
const finished = new WeakMap<CollaborationIndex, Map<string, { version: number; value: unknown; at: Date }>>();

function rememberFinished(index: CollaborationIndex, key: string, version: number, value: unknown): void {
  if (!finished.has(index)) finished.set(index, new Map());
  const known = finished.get(index)!;
  if ((known.get(key)?.version ?? -1) <= version) known.set(key, { version, value, at: new Date() });
}

/** A whole-graph answer and how current it is. */
export interface Answer<T> {
  value: T;
  /** When it was computed. */
  computedAt: Date;
  /** Whether it counts every write so far (false: computed before the latest writes; a new one is on its way). */
  current: boolean;
}

/** How long a request waits for a new whole-graph answer when an earlier one can be given instead. */
const EARLIER_ANSWER_AFTER_MS = 100;

/**
 * `shared`, with stale-while-revalidate: when the graph has changed since the last answer and the new computation
 * is not done within EARLIER_ANSWER_AFTER_MS, the last answer is given (marked not current, with its time) and the
 * new one goes on, so a whole-graph question keeps answering at once through a stream of writes instead of timing
 * out after each. Only for final answers: an intermediate table must match the index it is used with.
 */
export async function sharedOrEarlier<T>(
  index: CollaborationIndex,
  key: string,
  budgetMs: number,
  what: string,
  compute: () => Promise<T>,
): Promise<Answer<T>> {
  asked(index).set(key, { compute, at: Date.now() });
  const earlier = finished.get(index)?.get(key);
  const fresh = () => {
    const done = finished.get(index)!.get(key)!;
    return { value: done.value as T, computedAt: done.at, current: done.version === index.version };
  };
  if (!earlier || earlier.version === index.version) {
    await shared(index, key, budgetMs, what, compute);
    return fresh();
  }
  if ((await within(computation(index, key, compute), Math.min(budgetMs, EARLIER_ANSWER_AFTER_MS))) !== 'late') return fresh();
  return { value: earlier.value as T, computedAt: earlier.at, current: false };
}

/** The whole-graph answers clients asked for lately, with how to compute them again. */
const askedAnswers = new WeakMap<CollaborationIndex, Map<string, { compute: () => Promise<unknown>; at: number }>>();
const asked = (index: CollaborationIndex) => askedAnswers.get(index) ?? askedAnswers.set(index, new Map()).get(index)!;

/** Answers asked within this long are computed again after a write, without waiting for a client to ask. */
const KEEP_FRESH_MS = 60 * 60 * 1000;
/** Writes often come in bursts: the recomputation starts this long after the latest change seen. */
const REFRESH_AFTER_MS = 250;

const refreshTimers = new WeakMap<CollaborationIndex, { timer: NodeJS.Timeout; done: () => void }>();
const refreshing = new WeakMap<CollaborationIndex, Set<string>>();

/**
 * After the index has changed: computes again, in the background, every whole-graph answer asked within
 * KEEP_FRESH_MS, so the next client gets a current answer rather than the earlier one. One computation per answer
 * at a time: under a stream of writes each answer is recomputed back to back, never queued up.
 */
export function refreshAskedAnswers(index: CollaborationIndex, delayMs = REFRESH_AFTER_MS): Promise<void> {
  const previous = refreshTimers.get(index);
  if (previous) {
    clearTimeout(previous.timer);
    previous.done(); // superseded: this call does its work
  }
  return new Promise((done) => {
    const timer = setTimeout(() => {
      const running = refreshing.get(index) ?? refreshing.set(index, new Set()).get(index)!;
      const pending: Array<Promise<unknown>> = [];
      for (const [key, { compute, at }] of asked(index)) {
        if (Date.now() - at > KEEP_FRESH_MS) {
          asked(index).delete(key);
          continue;
        }
        if (running.has(key) || finished.get(index)?.get(key)?.version === index.version) continue;
        running.add(key);
        const version = index.version;
        pending.push(
          computation(index, key, compute)
            .catch(() => undefined) // a failed refresh leaves the earlier answer; the next client asks again
            .finally(() => {
              running.delete(key);
              if (index.version !== version) void refreshAskedAnswers(index);
            }),
        );
      }
      void Promise.all(pending).then(() => done());
    }, delayMs);
    timer.unref();
    refreshTimers.set(index, { timer, done });
  });
}

/** A context with this many links has its groups gathered once, not per member. */
const LARGE_CONTEXT = 256;

/** Yield to other requests this often while counting (actors searched). */
const YIELD_EVERY = 500;

/** The city pairs of the index, the strongest `kept` (exported for tests). */
export async function countCityPairs(
  index: CollaborationIndex,
  wanted: Set<string> | undefined,
  kinds: readonly LinkKind[],
  maxHops: number,
  kept = CITY_PAIRS_KEPT,
): Promise<CityCounts> {
  // Every city: the actors' cities as numbers in sorted order, with each node's (the table brokers use too).
  const everyCity = wanted ? undefined : groupTable(index, index.cities);
  const cityIds = everyCity?.groupIds ?? [...wanted!].filter((c) => index.actorsOf(c).length > 0).sort(compareText);
  const cityIndex = new Map(cityIds.map((c, i) => [c, i]));
  const n = cityIds.length;
  // Pairs a < b only, in a triangular array while it stays affordable (10,000 cities: 200 MB off the heap), else
  // one map per first city (a single Map holds at most 2^24 entries).
  const slot = (ia: number, ib: number) => (ia * (2 * n - ia - 1)) / 2 + (ib - ia - 1);
  const dense = (n * (n - 1)) / 2 <= 150_000_000 ? new Uint32Array((n * (n - 1)) / 2) : undefined;
  const sparse = dense ? undefined : cityIds.map(() => new Map<number, number>());
  let searched = 0;
  const add = (ia: number, ib: number, times: number) => {
    if (dense) dense[slot(ia, ib)]! += times;
    else sparse![ia]!.set(ib, (sparse![ia]!.get(ib) ?? 0) + times);
  };
  const count = (ia: number, ib: number | undefined) => {
    // Each unordered actor pair once: counted from the actor whose city sorts first.
    if (ib !== undefined && ib > ia) add(ia, ib, 1);
  };
  if (wanted && maxHops === 1) {
    // A few cities, one hop: from their actors only, reading large contexts through their members in these cities.
    const accepts = index.kindFilter(kinds);
    for (const [ia, ca] of cityIds.entries()) {
      for (const a of index.actorsOf(ca)) {
        index.forEachOneHopInCities(a, accepts, wanted, (b) => count(ia, cityIndex.get(index.cities[b]!)));
        if (++searched % YIELD_EVERY === 0) await new Promise((resume) => setImmediate(resume));
      }
    }
    return { pairs: collectPairs() };
  }
  if (everyCity && maxHops === 1) {
    // Every city, one hop: large contexts counted in aggregate (see countOneHopPairsByGroup), never pairwise.
    await index.countOneHopPairsByGroup(index.kindFilter(kinds), everyCity.bitOf, add, { largeAt: LARGE_CONTEXT, yieldEvery: YIELD_EVERY });
    return { pairs: collectPairs() };
  }
  for (let a = 0; a < index.nodeCount; a++) {
    const ca = index.cities[a];
    const ia = ca ? cityIndex.get(ca) : undefined;
    if (!index.isActor[a] || ia === undefined) continue;
    index.search(a, { kinds, maxHops, actorsOnly: true }, ({ node }) => {
      const cb = index.cities[node];
      if (index.isActor[node]) count(ia, cb ? cityIndex.get(cb) : undefined);
    });
    if (++searched % YIELD_EVERY === 0) await new Promise((resume) => setImmediate(resume));
  }
  return { pairs: collectPairs() };

  /**
   * The strongest `kept` pairs, strongest first (ties by city ids), holding at most twice that many at a
   * time: with a network of 20,000 members spread over 10,000 cities, nearly all 50M pairs are linked, and a list of
   * them all would not fit in memory (nor help anyone).
   */
  function collectPairs(): CityCounts['pairs'] {
    let strongest: Array<[number, number, number]> = [];
    let weakest = 0; // once the buffer has been cut: nothing weaker than the weakest kept pair can enter
    const order = (x: [number, number, number], y: [number, number, number]) => y[2] - x[2] || x[0] - y[0] || x[1] - y[1];
    const offer = (ia: number, ib: number, actorPairs: number) => {
      if (actorPairs === 0 || actorPairs < weakest) return;
      strongest.push([ia, ib, actorPairs]);
      if (strongest.length >= 2 * kept) {
        strongest = strongest.sort(order).slice(0, kept);
        weakest = strongest[strongest.length - 1]![2];
      }
    };
    if (dense) {
      for (let ia = 0; ia < n; ia++) for (let ib = ia + 1; ib < n; ib++) offer(ia, ib, dense[slot(ia, ib)]!);
    } else sparse!.forEach((row, ia) => row.forEach((actorPairs, ib) => offer(ia, ib, actorPairs)));
    // City indexes follow the sorted city ids, so ordering by index is ordering by id.
    return strongest
      .sort(order)
      .slice(0, kept)
      .map(([ia, ib, actorPairs]) => ({ a: cityIds[ia]!, b: cityIds[ib]!, actorPairs }));
  }
}

const cityPairsKey = (cities: string[] | null, kinds: readonly LinkKind[], maxHops: number) =>
  `cities|${cities ? [...cities].sort().join(',') : '*'}|${[...kinds].sort().join(',')}|${maxHops}`;

/**
 * City pairs linked by actors within `maxHops` of each other (each pair of cities once, a < b), strongest first,
 * with the distinct actor pairs that carry them and the kinds of link of a cheapest path between each pair (only
 * `withCarriers`: otherwise each pair's list is empty). The counts over every actor are computed once per state of
 * the graph and shared (see `shared`).
 */
export async function cityPairs(
  db: Database,
  cities: string[] | null,
  kinds: readonly LinkKind[],
  maxHops: number,
  first: number | undefined,
  budgetMs: number,
  withCarriers = true,
): Promise<{ pairs: CityPair[]; places: Map<string, repo.SummaryRow>; freshness: Freshness }> {
  const index = await currentIndex(db, []);
  const answer = await sharedOrEarlier(index, cityPairsKey(cities, kinds, maxHops), budgetMs, 'Counting city pairs', () =>
    countCityPairs(index, cities ? new Set(cities) : undefined, kinds, maxHops),
  );
  const counted = answer.value;
  const page = counted.pairs.slice(0, first ?? counted.pairs.length);
  // Carriers only for the page: search again from the actors of the page's first cities.
  const partners = new Map<string, Set<string>>();
  if (withCarriers) for (const p of page) partners.set(p.a, (partners.get(p.a) ?? new Set()).add(p.b));
  const carriers = new Map<string, CityPair['carriers']>();
  const carry = (a: number, b: number, edges: number[]) => {
    const pairKey = `${index.cities[a]}|${index.cities[b]}`;
    const list = carriers.get(pairKey) ?? [];
    list.push({ a: index.ids[a]!, b: index.ids[b]!, kinds: [...new Set(edges.map((e) => index.edgeKind(e)))].sort() });
    carriers.set(pairKey, list);
  };
  if (maxHops === 1) {
    const accepts = index.kindFilter(kinds);
    for (const [ca, wantedB] of partners)
      for (const a of index.actorsOf(ca)) index.forEachOneHopInCities(a, accepts, wantedB, (b, edges) => carry(a, b, edges));
  } else if (partners.size > 0)
    for (let a = 0; a < index.nodeCount; a++) {
      const ca = index.cities[a];
      const wantedB = ca ? partners.get(ca) : undefined;
      if (!index.isActor[a] || !wantedB) continue;
      const reached: number[] = [];
      index.search(a, { kinds, maxHops, actorsOnly: true }, ({ node }) => {
        const cb = index.cities[node];
        if (index.isActor[node] && cb && wantedB.has(cb)) reached.push(node);
      });
      for (const b of reached) carry(a, b, index.pathTo(b).edges);
    }
  const places = await repo.summariesById(db, [...new Set(page.flatMap((p) => [p.a, p.b]))], ['Place']);
  const freshness = freshnessOf(answer);
  return { pairs: page.map((p) => ({ ...p, carriers: carriers.get(`${p.a}|${p.b}`) ?? [] })), places, freshness };
}

/**
 * Groups (cities or countries) as bits in sorted order, so an actor's groups are a bitmap and a large context's
 * groups are OR-ed in once instead of visiting its members for every member; `bitOf[n]` is -1 for a node that is
 * no actor or has no group.
 */
function groupTable(
  index: CollaborationIndex,
  groupOf: ReadonlyArray<string | null>,
): { groupIds: string[]; bitOf: Int32Array; words: number } {
  const groupIds = [...new Set(groupOf.filter((g, n): g is string => !!g && index.isActor[n] === 1))].sort(compareText);
  const bitByGroup = new Map(groupIds.map((g, i) => [g, i]));
  const bitOf = new Int32Array(index.nodeCount).fill(-1);
  for (let n = 0; n < index.nodeCount; n++) {
    const g = groupOf[n];
    if (g && index.isActor[n]) bitOf[n] = bitByGroup.get(g)!;
  }
  return { groupIds, bitOf, words: Math.ceil(groupIds.length / 32) || 1 };
}

export interface GroupBroker {
  actor: repo.SummaryRow;
  score: number;
  groups: string[];
  freshness: Freshness;
}

export type Freshness = Omit<Answer<unknown>, 'value'>;

/** How current an answer is, as the API shows it. */
export const freshnessOf = ({ computedAt, current }: Answer<unknown>): Freshness => ({ computedAt, current });

/**
 * Brokers by NETWORKS: the distinct networks an actor belongs to or is hub for (it bridges their members), at least
 * 2; within a network scope, only networks of that network's family (itself and its cohorts, `networks`) count,
 * and only actors in `members`.
 */
export async function networkBrokers(
  db: Database,
  scope: { members?: string[]; networks?: string[]; country?: string },
  limit: number,
  budgetMs: number,
): Promise<GroupBroker[]> {
  const index = await currentIndex(db, []);
  const key = `brokers|NETWORKS|${scope.country ?? ''}|${scope.networks ? [...scope.networks].sort().join(',') : '*'}`;
  const answer = await sharedOrEarlier(index, key, budgetMs, 'Ranking brokers', async () => {
    const networks = scope.networks ? new Set(scope.networks) : undefined;
    const groupsOf = (a: number) => {
      const groups = new Set<string>();
      index.forEachLink(a, (g, e) => {
        const type = index.edgeTypeName(e);
        // MEMBER_OF and HUB_FOR run from the actor to the network.
        if ((type === 'MEMBER_OF' || type === 'HUB_FOR') && index.edgeEnds(e)[0] === a && (!networks || networks.has(index.ids[g]!)))
          groups.add(index.ids[g]!);
      });
      return [...groups].sort(compareText);
    };
    return rankBrokers(index, scope, (a) => groupsOf(a).length, groupsOf);
  });
  return withSummaries(db, answer, limit);
}

/**
 * Actors in scope with at least two groups, most groups first, then name, then id (the best 200: the largest page).
 * Every actor in scope is counted (`count`); only the best have their groups listed (`groupsOf`), since a broker
 * between cities can reach a thousand of them. Yields to other requests as it goes.
 */
async function rankBrokers(
  index: CollaborationIndex,
  scope: { members?: string[]; country?: string },
  count: (actor: number) => number,
  groupsOf: (actor: number) => string[],
) {
  const members = scope.members
    ? new Set(scope.members.map((id) => index.indexOf(id)).filter((n): n is number => n !== undefined))
    : undefined;
  const scored: Array<{ node: number; score: number }> = [];
  let visited = 0;
  for (let a = 0; a < index.nodeCount; a++) {
    if (!index.isActor[a] || (members && !members.has(a)) || (scope.country && index.countries[a] !== scope.country)) continue;
    const score = count(a);
    if (score >= 2) scored.push({ node: a, score });
    if (++visited % YIELD_EVERY === 0) await new Promise((resume) => setImmediate(resume));
  }
  return bestBrokers(index, scored).map((b) => ({ id: index.ids[b.node]!, groups: groupsOf(b.node) }));
}

/** The best 200 of scored actors: most groups first, then name, then id. */
function bestBrokers(index: CollaborationIndex, scored: Array<{ node: number; score: number }>) {
  return scored.sort((x, y) => y.score - x.score || index.compareByName(x.node, y.node)).slice(0, 200);
}

async function withSummaries(db: Database, ranked: Answer<Array<{ id: string; groups: string[] }>>, limit: number): Promise<GroupBroker[]> {
  const page = ranked.value.slice(0, limit);
  const summaries = await repo.summariesById(
    db,
    page.map((b) => b.id),
    ['Organization', 'Person'],
  );
  const freshness = freshnessOf(ranked);
  return page.flatMap((b) => {
    const actor = summaries.get(b.id);
    return actor ? [{ actor, score: b.groups.length, groups: b.groups, freshness }] : [];
  });
}

const brokersKey = (by: GroupingBy, kinds: readonly LinkKind[], scope: { members?: string[]; country?: string }) =>
  `brokers|${by}|${[...kinds].sort().join(',')}|${scope.country ?? ''}|${scope.members ? [...scope.members].sort().join(',') : '*'}`;

type GroupingBy = 'CITIES' | 'COUNTRIES';

/**
 * How an actor scores as a broker between groups (cities or countries): `count` the distinct groups among itself
 * and the actors one hop away, `groupsOf` lists them. The group table and each context's groups are kept once per
 * state of the index and shared by every scope. A country's actors at scale 10 reach about a million member
 * entries; read as a context's distinct groups (a typed list, or a bitmap for a large context) that is a few
 * milliseconds of word operations.
 */
async function groupScorer(index: CollaborationIndex, by: GroupingBy, kinds: readonly LinkKind[], budgetMs: number) {
  const groupOf = by === 'CITIES' ? index.cities : index.countries;
  const table = await shared(index, `groups|${by}`, budgetMs, 'Ranking brokers', async () => groupTable(index, groupOf));
  const contexts = await shared(
    index,
    `groups|${by}|contexts|${[...kinds].sort().join(',')}`,
    budgetMs,
    'Ranking brokers',
    async () => new Map<number, Int32Array | Uint32Array>(),
  );
  const accepts = index.kindFilter(kinds);
  const { groupIds, bitOf, words } = table;
  const bits = new Uint32Array(words);
  const set = (bit: number) => {
    if (bit >= 0) bits[bit >>> 5]! |= 1 << (bit & 31);
  };
  /** A context's distinct groups among its accepted actor members: a list, or a bitmap from LARGE_CONTEXT links. */
  const groupsOfContext = (c: number) => {
    let found = contexts.get(c);
    if (!found) {
      const seen = new Set<number>();
      index.forEachLink(c, (b, e) => {
        if (accepts(e) && (bitOf[b] ?? -1) >= 0) seen.add(bitOf[b]!);
      });
      if (index.degree(c) >= LARGE_CONTEXT) {
        const bitmap = new Uint32Array(words);
        for (const bit of seen) bitmap[bit >>> 5]! |= 1 << (bit & 31);
        found = bitmap;
      } else found = Int32Array.from(seen);
      contexts.set(c, found);
    }
    return found;
  };
  /** The groups among `a` and the actors one hop away (links.ts: a direct link or a shared context), in `bits`. */
  const gather = (a: number) => {
    bits.fill(0);
    set(bitOf[a] ?? -1);
    index.forEachLink(a, (v, e) => {
      if (!accepts(e)) return;
      if (index.isActor[v]) {
        set(bitOf[v] ?? -1);
        return;
      }
      const theirs = groupsOfContext(v);
      if (theirs instanceof Uint32Array) for (let w = 0; w < words; w++) bits[w]! |= theirs[w]!;
      else for (let k = 0; k < theirs.length; k++) set(theirs[k]!);
    });
  };
  const popcount = (x: number) => {
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  };
  return {
    count(a: number): number {
      gather(a);
      let n = 0;
      for (let w = 0; w < words; w++) if (bits[w] !== 0) n += popcount(bits[w]!);
      return n;
    },
    groupsOf(a: number): string[] {
      gather(a);
      const groups: string[] = [];
      for (let w = 0; w < words; w++) {
        for (let word = bits[w]!; word !== 0; word &= word - 1) groups.push(groupIds[w * 32 + (31 - Math.clz32(word & -word))]!);
      }
      return groups;
    },
  };
}

/**
 * Brokers by CITIES or COUNTRIES: for each actor in scope, the distinct cities (countries) among itself and the
 * actors one hop away (links.ts); brokers have at least 2, ranked by that number, then name, then id.
 */
export async function groupBrokers(
  db: Database,
  by: GroupingBy,
  kinds: readonly LinkKind[],
  scope: { members?: string[]; country?: string },
  limit: number,
  budgetMs: number,
): Promise<GroupBroker[]> {
  const index = await currentIndex(db, []);
  // The group tables are made inside: they must match the index the ranking reads (an earlier ranking needs none).
  const answer = await sharedOrEarlier(index, brokersKey(by, kinds, scope), budgetMs, 'Ranking brokers', async () => {
    const scorer = await groupScorer(index, by, kinds, Number.POSITIVE_INFINITY);
    return rankBrokers(index, scope, scorer.count, scorer.groupsOf);
  });
  return withSummaries(db, answer, limit);
}

/**
 * The broker rankings of every country and of the whole graph at once (all kinds of link), one pass over the
 * actors instead of one per country: stored as the answers `groupBrokers` gives for those scopes.
 */
async function precomputeBrokers(index: CollaborationIndex, by: GroupingBy): Promise<void> {
  const scorer = await groupScorer(index, by, ALL_LINK_KINDS, Number.POSITIVE_INFINITY);
  const byCountry = new Map<string, Array<{ node: number; score: number }>>();
  const everywhere: Array<{ node: number; score: number }> = [];
  let visited = 0;
  for (let a = 0; a < index.nodeCount; a++) {
    if (!index.isActor[a]) continue;
    const score = scorer.count(a);
    if (score >= 2) {
      everywhere.push({ node: a, score });
      const country = index.countries[a];
      if (country) (byCountry.get(country) ?? byCountry.set(country, []).get(country)!).push({ node: a, score });
    }
    if (++visited % YIELD_EVERY === 0) await new Promise((resume) => setImmediate(resume));
  }
  const best = (scored: Array<{ node: number; score: number }>) =>
    bestBrokers(index, scored).map((b) => ({ id: index.ids[b.node]!, groups: scorer.groupsOf(b.node) }));
  await computation(index, brokersKey(by, ALL_LINK_KINDS, {}), async () => best(everywhere));
  for (const [country, scored] of byCountry)
    await computation(index, brokersKey(by, ALL_LINK_KINDS, { country }), async () => best(scored));
}
