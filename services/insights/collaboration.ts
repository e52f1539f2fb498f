import type { Database } from '../shared/database';
import { CollaborationIndex, compareText, type IndexPath, type SearchOptions } from './collaboration-index';
import { type LinkKind } from './links';
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
async function currentIndex(db: Database, ids: string[]): Promise<CollaborationIndex> {
  const live = indexOf(db);
  const index = await live.current();
  await live.ensure(index, ids);
  return index;
}

/** Starts loading the index of `db`, and planning the insights queries, in the background. */
export function warmIndex(db: Database, log?: (message: string) => void): void {
  liveIndexFor(db, { transactionTimeoutMs: db.transactionTimeoutMs, log }).warm();
  repo.warmPlans(db).catch((error) => log?.(`planning the insights queries failed: ${(error as Error).message}`));
}

/** Node and relationship details for index paths, in one pass each. */
async function explain(db: Database, index: CollaborationIndex, paths: IndexPath[]) {
  // Every node of a path is an end of one of its relationships (a path has at least one).
  const { summaries, rels } = await repo.pathDetails(db, [...new Set(paths.flatMap((p) => p.edges.map((e) => index.edgeRel[e]!)))]);
  const toRaw = (p: IndexPath): RawPath | undefined => {
    const nodes = p.nodes.map((n) => summaries.get(index.ids[n]!));
    const relationships = p.edges.map((e) => rels.get(index.edgeRel[e]!));
    // Something deleted since the index saw it (a write that kept no journal): leave the path out.
    if (nodes.some((n) => !n) || relationships.some((r) => !r)) return undefined;
    return { nodes: nodes.map((n) => ({ id: n!.id, label: n!.label, name: n!.name })), relationships: relationships as repo.ExplainedRel[] };
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
}

export interface CollaboratorItem { actor: repo.SummaryRow; hops: number; kinds: LinkKind[]; path: RawPath }

/** Collaborators nearest first (hops, then name, then id), one page, with the total; undefined for an unknown id. */
export async function collaborators(db: Database, q: CollaboratorsQuestion): Promise<{ total: number; items: CollaboratorItem[] } | undefined> {
  const index = await currentIndex(db, [q.id]);
  const start = index.indexOf(q.id);
  if (start === undefined) return undefined;
  const options: SearchOptions = { kinds: q.kinds, maxHops: q.maxHops, from: q.from, to: q.to, actorsOnly: true };
  const myCity = index.cities[start];
  const myCountry = index.countries[start];
  const byHops: number[][] = [];
  index.search(start, options, ({ node, hops }) => {
    if (!index.isActor[node]) return;
    if (q.scope === 'OTHER_CITY' && !(myCity && index.cities[node] && index.cities[node] !== myCity)) return;
    if (q.scope === 'OTHER_COUNTRY' && !(myCountry && index.countries[node] && index.countries[node] !== myCountry)) return;
    (byHops[hops] ??= []).push(node);
  });
  // Sort only the hop levels the page reaches: a 3-hop question at a hub need not order a million names.
  const page: number[] = [];
  let total = 0;
  let toSkip = q.offset;
  for (const level of byHops) {
    if (!level) continue;
    total += level.length;
    if (page.length >= q.limit) continue;
    if (toSkip >= level.length) { toSkip -= level.length; continue; }
    level.sort((x, y) => compareText(index.names[x]!, index.names[y]!) || compareText(index.ids[x]!, index.ids[y]!));
    page.push(...level.slice(toSkip, toSkip + q.limit - page.length));
    toSkip = 0;
  }
  const paths = page.map((n) => index.pathTo(n)); // before any other search reuses the scratch space
  const { summaries, toRaw } = await explain(db, index, paths);
  const items: CollaboratorItem[] = [];
  page.forEach((node, i) => {
    const actor = summaries.get(index.ids[node]!);
    const path = toRaw(paths[i]!);
    if (!actor || !path) return;
    const hops = pathHops(index, paths[i]!);
    items.push({ actor, hops, kinds: [...new Set(paths[i]!.edges.map((e) => index.edgeKind(e)))], path });
  });
  return { total, items };
}

/** Hops of an index path, counted as links.ts says. */
function pathHops(index: CollaborationIndex, path: IndexPath): number {
  return path.nodes.slice(1).filter((n, i) => !(index.isActor[path.nodes[i]!] && !index.isActor[n])).length;
}

/** All cheapest paths between two entities (fewest hops, then fewest relationships), ordered by their ids. */
export async function shortestPaths(db: Database, fromId: string, toId: string, kinds: readonly LinkKind[], maxHops: number, limit: number): Promise<RawPath[]> {
  const index = await currentIndex(db, [fromId, toId]);
  const from = index.indexOf(fromId);
  const to = index.indexOf(toId);
  if (from === undefined || to === undefined || from === to) return [];
  const paths = index.cheapestPaths(from, to, { kinds, maxHops }, limit);
  const { toRaw } = await explain(db, index, paths);
  return paths.map(toRaw).filter((p): p is RawPath => p !== undefined);
}

export interface CityPair { a: string; b: string; carriers: Array<{ a: string; b: string; kinds: LinkKind[] }> }

/** Counted once per index version and question: the all-cities answer reads every actor's neighbourhood. */
const cityCache = new WeakMap<CollaborationIndex, Map<string, { version: number; pairs: CityPair[] }>>();

/**
 * City pairs linked by actors within `maxHops` of each other (each pair of cities once, a < b), with the distinct
 * actor pairs that carry them and the kinds of link of a cheapest path between each pair; strongest first.
 */
export async function cityPairs(db: Database, cities: string[] | null, kinds: readonly LinkKind[], maxHops: number, first?: number): Promise<{ pairs: CityPair[]; places: Map<string, repo.SummaryRow> }> {
  const index = await currentIndex(db, []);
  const key = `${cities ? [...cities].sort().join(',') : '*'}|${[...kinds].sort().join(',')}|${maxHops}`;
  const cached = cityCache.get(index)?.get(key);
  let pairs = cached && cached.version === index.version ? cached.pairs : undefined;
  if (!pairs) {
    const wanted = cities ? new Set(cities) : undefined;
    const byCities = new Map<string, CityPair>();
    for (let a = 0; a < index.nodeCount; a++) {
      const ca = index.cities[a];
      if (!index.isActor[a] || !ca || (wanted && !wanted.has(ca))) continue;
      const reached: number[] = [];
      index.search(a, { kinds, maxHops, actorsOnly: true }, ({ node }) => {
        const cb = index.cities[node];
        if (index.isActor[node] && cb && ca < cb && (!wanted || wanted.has(cb))) reached.push(node);
      });
      for (const b of reached) {
        const cb = index.cities[b]!;
        const pairKey = `${ca}|${cb}`;
        const pair = byCities.get(pairKey) ?? { a: ca, b: cb, carriers: [] };
        pair.carriers.push({ a: index.ids[a]!, b: index.ids[b]!, kinds: [...new Set(index.pathTo(b).edges.map((e) => index.edgeKind(e)))].sort() });
        byCities.set(pairKey, pair);
      }
    }
    pairs = [...byCities.values()].sort((x, y) => y.carriers.length - x.carriers.length || compareText(x.a, y.a) || compareText(x.b, y.b));
    if (!cityCache.has(index)) cityCache.set(index, new Map());
    cityCache.get(index)!.set(key, { version: index.version, pairs });
  }
  const page = pairs.slice(0, first ?? pairs.length);
  const { summaries: places } = await repo.details(db, [...new Set(page.flatMap((p) => [p.a, p.b]))], []);
  return { pairs: page, places };
}
