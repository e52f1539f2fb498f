import DataLoader from 'dataloader';
import neo4j from 'neo4j-driver';
import { MERGEABLE_LABELS, NAMED_LABELS, type EntityLabel, type RelType } from '../../schema/model';
import type { Database } from './database';
import type { NodeRow } from './graphql/common';
import { planKey, specKey, type PrefetchTree } from './prefetch';

/*
 * The Cypher every subgraph shares: how a node or relationship is projected (properties + citations + flags,
 * resolved inside the same query so provenance never costs a round trip), and the batched look-ups behind the
 * DataLoaders. Labels and relationship types are spliced in only from schema/model.ts constants; every value
 * from a request travels as a $parameter.
 */

/** The citations of a node or relationship variable, each with its Source's title, date and the quote. */
export const citations = (v: string): string =>
  `COLLECT { UNWIND range(0, size(coalesce(${v}.sourceIds, [])) - 1) AS i MATCH (s:Source {id: ${v}.sourceIds[i]}) ` +
  `RETURN s {.id, .title, .date, .author, .publisher, .kind, .url, quote: ${v}.quotes[i]} }`;

/** The data-quality flags attached to a node variable. */
export const flags = (v: string): string =>
  `[(dqf:DataQualityFlag)-[:FLAGS]->(${v}) | dqf {.id, .kind, .severity, .what, .where, .why, ` +
  `documentSays: {text: dqf.documentSays, sourceId: dqf.documentSourceId, quote: dqf.documentQuote}, ` +
  `factIs: {text: dqf.factIs, sourceId: dqf.factSourceId, quote: dqf.factQuote}}]`;

/**
 * A node's label, when a pattern has already matched it as one of `among`: told by label checks instead of listing its
 * labels (`labels(v)[0]`, a list built for every row), and the pattern's label even for a node that carries others.
 */
const labelAmong = (among: readonly EntityLabel[], v: string): string =>
  among.length === 0
    ? `labels(${v})[0]`
    : among.length === 1
      ? `'${among[0]}'`
      : `CASE ${among
          .slice(0, -1)
          .map((label) => `WHEN ${v}:${label} THEN '${label}' `)
          .join('')}ELSE '${among[among.length - 1]}' END`;

/**
 * A node as the API reads it: every property, its label, and (unless the request selects no provenance at all, see
 * `Loaders`) its citations and flags. Citations and flags are most of a node's cost to read.
 */
export const nodeProjection = (v: string, provenance = true, among: readonly EntityLabel[] = []): string =>
  provenance
    ? `${v} {.*, __label: ${labelAmong(among, v)}, sources: ${citations(v)}, flags: ${flags(v)}}`
    : `${v} {.*, __label: ${labelAmong(among, v)}}`;

/** A relationship as the API reads it: every property, its type and (unless not selected) its citations. */
export const relProjection = (v: string, provenance = true): string =>
  provenance ? `${v} {.*, __type: type(${v}), sources: ${citations(v)}}` : `${v} {.*, __type: type(${v})}`;

/**
 * The relationship of every neighbour read lean, for a field whose selection reads nothing of it (a member's name, not
 * the membership's role): Neo4j returns only the node, and a nested map per row was a fifth of such a statement's
 * cost. Resolvers of lean fields read only `node`.
 */
export const UNREAD_RELATIONSHIP: Neighbour['rel'] = Object.freeze({ __type: '', sources: [] });

const leanNeighbour = (node: NodeRow): Neighbour => ({ rel: UNREAD_RELATIONSHIP, node });

/**
 * Whether an operation can select provenance (`sources`, `dataQualityFlags`) anywhere. Read from the operation's text,
 * so fragments and aliases count; a false "yes" only costs the full read.
 */
export const selectsProvenance = (query: string | undefined): boolean =>
  query === undefined || /\b(sources|dataQualityFlags)\b/.test(query);

const labelExpression = (labels: readonly EntityLabel[]): string => (labels.length ? `:${labels.join('|')}` : '');

/** Cypher for one batch of entities by id (the organizations and people found directly, by their own id). */
export const entitiesByIdCypher = (label: EntityLabel, provenance = true): string =>
  isMergeable(label)
    ? `UNWIND $ids AS id MATCH (direct:${label} {id: id}) RETURN id, ${nodeProjection('direct', provenance, [label])} AS node`
    : `UNWIND $ids AS id MATCH (n:${label} {id: id}) RETURN id, ${nodeProjection('n', provenance, [label])} AS node`;

/** Cypher for ids a curator merged away: each answers as the entity it was merged into (services/actors/duplicates.ts). */
const mergedByIdCypher = (label: EntityLabel, provenance: boolean): string =>
  `UNWIND $ids AS id MATCH (:Merged {id: id})-[:MERGED_INTO*1..10]->(n:${label}) RETURN id, ${nodeProjection('n', provenance, [label])} AS node`;

const isMergeable = (label: EntityLabel): boolean => (MERGEABLE_LABELS as readonly string[]).includes(label);

/**
 * Loads entities of one label by id, one query per batch; missing ids resolve to null. Only ids the batch did not
 * find are looked for among merged-away entities, so the usual batch (every id found) costs one statement.
 */
export function entityLoader(db: Database, label: EntityLabel, provenance = true): DataLoader<string, NodeRow | null> {
  const cypher = entitiesByIdCypher(label, provenance);
  return new DataLoader(async (ids) => {
    const rows = await db.readRows<{ id: string; node: NodeRow }>(cypher, { ids: [...ids] });
    const byId = new Map(rows.map((r) => [r.id, r.node]));
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length > 0 && isMergeable(label)) {
      for (const r of await db.readRows<{ id: string; node: NodeRow }>(mergedByIdCypher(label, provenance), { ids: missing }))
        byId.set(r.id, r.node);
    }
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Which relationships to follow from a node: types, direction, and the labels accepted at the other end. */
export interface NeighbourSpec {
  from: EntityLabel;
  types: readonly RelType[];
  direction: 'out' | 'in' | 'both';
  to?: readonly EntityLabel[];
  /**
   * The other end is an entity another subgraph resolves (a reference: the gateway asks that subgraph for its
   * fields), so its id and label are all this one reads.
   */
  reference?: boolean;
}

/** A neighbour row: the relationship and the node at its other end. */
export interface Neighbour {
  rel: Record<string, unknown> & { id?: string; __type: string; sources: unknown[] };
  node: NodeRow;
}

/** The pattern from `n` along a spec to `m` through `r`. */
const neighbourPattern = (spec: NeighbourSpec, r = 'r', m = 'm', n = 'n'): string => {
  const [left, right] = spec.direction === 'out' ? ['-', '->'] : spec.direction === 'in' ? ['<-', '-'] : ['-', '-'];
  return `(${n})${left}[${r}:${spec.types.join('|')}]${right}(${m}${labelExpression(spec.to ?? [])})`;
};

/**
 * The node at the other end as the spec needs it: all of it, or (a reference) its id, label and name, which the
 * subgraphs that return actors as references share with their owner (so a member's name needs no second fetch).
 */
const endProjection = (spec: NeighbourSpec, v: string, provenance: boolean): string =>
  spec.reference
    ? `{id: ${v}.id, name: ${v}.name, __label: ${labelAmong(spec.to ?? [], v)}}`
    : nodeProjection(v, provenance, spec.to ?? []);

/**
 * Neighbours are listed by name (or title), then id, then relationship: stable pages. The relationship's element id
 * breaks ties (the same member twice, in two roles) without reading a property of every candidate.
 */
const neighbourOrder = (spec: NeighbourSpec, r = 'r', m = 'm'): string =>
  `${isNamed(spec) ? `coalesce(${m}.name, ${m}.id)` : `coalesce(${m}.name, ${m}.title, ${m}.id)`}, ${m}.id, elementId(${r})`;

const NAMED: ReadonlySet<string> = new Set(NAMED_LABELS);
/** Whether every node a spec reaches carries a name (then no title is looked for). */
const isNamed = (spec: NeighbourSpec): boolean => !!spec.to?.length && spec.to.every((label) => NAMED.has(label));

export const neighboursCypher = (spec: NeighbourSpec, provenance = true, lean = false): string =>
  `UNWIND $ids AS id MATCH (n:${spec.from} {id: id}) MATCH ${neighbourPattern(spec)} ` +
  `RETURN id, ${lean ? 'null' : relProjection('r', provenance)} AS rel, ${endProjection(spec, 'm', provenance)} AS node ` +
  `ORDER BY id, ${neighbourOrder(spec)}`;

/**
 * One page of neighbours per node and their total, for many nodes in one query: ordered, skipped and limited in
 * Cypher, so only the page is projected (a network of 20,000 members reads 20,000 names, projects 50).
 * Optionally only relationships with one `role`.
 */
export const neighbourPageCypher = (spec: NeighbourSpec, provenance = true, lean = false): string => `
UNWIND $ids AS id MATCH (n:${spec.from} {id: id})
CALL {
  WITH n MATCH ${neighbourPattern(spec)} WHERE $role IS NULL OR r.role = $role
  WITH r, m ORDER BY ${neighbourOrder(spec)} SKIP $offset LIMIT $limit
  RETURN collect(${itemProjection(lean, 'r', endProjection(spec, 'm', provenance), '', provenance)}) AS page
}
RETURN id, page, COUNT { MATCH ${neighbourPattern(spec)} WHERE $role IS NULL OR r.role = $role } AS total`;

export interface NeighbourWindow {
  offset: number;
  limit: number;
  role?: string | null;
  /** Count the whole list too (default yes); a prefetch leaves it out when the selection reads no total. */
  withTotal?: boolean;
  /** Read no relationship (UNREAD_RELATIONSHIP): the selection reads only the nodes at the other end. */
  lean?: boolean;
}

/** Loads a page of neighbours (and their total) of many nodes along one spec, one query per batch. */
export function neighbourPageLoader(
  db: Database,
  spec: NeighbourSpec,
  window: NeighbourWindow,
  provenance = true,
): DataLoader<string, { items: Neighbour[]; total: number }> {
  const cypher = neighbourPageCypher(spec, provenance, window.lean);
  return new DataLoader(async (ids) => {
    const rows = await db.readRows<{ id: string; page: unknown[]; total: number }>(cypher, {
      ids: [...ids],
      offset: window.offset,
      limit: window.limit,
      role: window.role ?? null,
    });
    const items = (page: unknown[]) => (window.lean ? (page as NodeRow[]).map(leanNeighbour) : (page as Neighbour[]));
    const byId = new Map(rows.map((r) => [r.id, { items: items(r.page), total: r.total }]));
    return ids.map((id) => byId.get(id) ?? { items: [], total: 0 });
  });
}

/** Loads the neighbours of many nodes along one spec, one query per batch, in a stable order. */
export function neighbourLoader(db: Database, spec: NeighbourSpec, provenance = true, lean = false): DataLoader<string, Neighbour[]> {
  const cypher = neighboursCypher(spec, provenance, lean);
  return new DataLoader(async (ids) => {
    const rows = await db.readRows<{ id: string } & Neighbour>(cypher, { ids: [...ids] });
    const byId = new Map<string, Neighbour[]>();
    for (const row of rows) byId.set(row.id, [...(byId.get(row.id) ?? []), { rel: row.rel ?? UNREAD_RELATIONSHIP, node: row.node }]);
    return ids.map((id) => byId.get(id) ?? []);
  });
}

/**
 * Cypher for entities by id with the neighbours a prefetch plan reads (services/shared/prefetch.ts), each field's
 * value a COLLECT subquery in the neighbour loaders' order (a paged one skipped, limited and counted as the page
 * loader does), nested for the nodes it reaches. `withNode: false` reads only the plan (a reference whose fields are
 * all relationships). Each paged tree's window travels as $<key>_offset, $<key>_limit and $<key>_role.
 */
export const prefetchCypher = (label: EntityLabel, trees: readonly PrefetchTree[], provenance: boolean, withNode: boolean): string =>
  `UNWIND $ids AS id MATCH (n:${label} {id: id}) ` +
  `RETURN id, ${withNode ? nodeProjection('n', provenance, [label]) : '{id: n.id, name: n.name}'} AS node, ${prefetchedMap(trees, 'n', provenance)} AS prefetched`;

const prefetchedMap = (trees: readonly PrefetchTree[], from: string, provenance: boolean): string =>
  `{${trees.map((tree) => `${tree.key}: ${prefetchedValue(tree, from, provenance)}`).join(', ')}}`;

function prefetchedValue(tree: PrefetchTree, from: string, provenance: boolean): string {
  const [r, m] = [`r_${tree.key}`, `m_${tree.key}`];
  const pattern = neighbourPattern(tree.spec, r, m, from);
  const where = tree.window?.role != null ? ` WHERE ${r}.role = $${tree.key}_role` : '';
  const page = tree.window ? ` SKIP $${tree.key}_offset LIMIT $${tree.key}_limit` : '';
  const nested = tree.children.length > 0 ? `, prefetched: ${prefetchedMap(tree.children, m, provenance)}` : '';
  const items =
    `COLLECT { MATCH ${pattern}${where} WITH ${r}, ${m} ORDER BY ${neighbourOrder(tree.spec, r, m)}${page} ` +
    `RETURN ${itemProjection(!!tree.lean, r, endProjection(tree.spec, m, provenance), nested, provenance)} }`;
  if (!tree.window) return items;
  // Uncounted, the total is the page's end (as readPage does): nobody selected it.
  const total = tree.window.withTotal === false ? 'null' : `COUNT { MATCH ${pattern}${where} }`;
  return `{items: ${items}, total: ${total}}`;
}

/**
 * One item of a neighbour list: lean, the node alone (or with what a prefetch read below it, `nested`); else the
 * relationship and the node.
 */
const itemProjection = (lean: boolean, r: string, node: string, nested: string, provenance: boolean): string =>
  lean ? (nested ? `{node: ${node}${nested}}` : node) : `{rel: ${relProjection(r, provenance)}, node: ${node}${nested}}`;

/** The parameters of a prefetch plan's paged fields (integers: SKIP and LIMIT take no floats). */
export function prefetchParams(trees: readonly PrefetchTree[], into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const tree of trees) {
    if (tree.window) {
      into[`${tree.key}_offset`] = neo4j.int(tree.window.offset);
      into[`${tree.key}_limit`] = neo4j.int(tree.window.limit);
      into[`${tree.key}_role`] = tree.window.role ?? null;
    }
    prefetchParams(tree.children, into);
  }
  return into;
}

/** One neighbour as a prefetch reads it, with what was read with its node. */
type PrefetchedItem = Neighbour & { prefetched?: Record<string, unknown> };

const asNeighbour = ({ rel, node }: PrefetchedItem): Neighbour => ({ rel, node });

/** A page loader's key without its leanness. */
const pageKey = (spec: NeighbourSpec, window: NeighbourWindow): string =>
  `${specKey(spec)}:${window.offset}:${window.limit}:${window.role ?? ''}`;

/** A node's neighbour list (or one page of it) in `Loaders.readFully`. */
const readKey = (spec: NeighbourSpec, window: NeighbourWindow | undefined, id: string): string =>
  `${window ? pageKey(spec, window) : specKey(spec)}|${id}`;

/**
 * Per-request cache of loaders, so every resolver of one request shares the same batch per spec
 * (one loader per request: never share across requests, or one user's cache would serve another).
 */
export class Loaders {
  private readonly cache = new Map<string, DataLoader<string, unknown>>();
  /** Neighbour lists and pages a prefetch read with every relationship property, by loader key and node id. */
  private readonly readFully = new Set<string>();
  /**
   * @param provenance whether the request may select sources or flags (`selectsProvenance`); when it cannot, every
   * loader skips reading them.
   */
  constructor(
    readonly db: Database,
    readonly provenance = true,
  ) {}

  entity(label: EntityLabel): DataLoader<string, NodeRow | null> {
    return this.memo(`entity:${label}`, () => entityLoader(this.db, label, this.provenance));
  }

  /**
   * Entities of one label read with the neighbours `plan` names, in one statement per batch; the neighbours prime the
   * loaders their field resolvers use (`neighbours`, `neighbourPage`), and the nodes prime `entity`. An id the batch
   * does not find loads through `entity` (which knows merged-away ids). With `withNode: false` only the plan is
   * read and a found id resolves to `{ id }`.
   */
  entityWith(label: EntityLabel, plan: readonly PrefetchTree[], withNode = true): DataLoader<string, NodeRow | null> {
    if (plan.length === 0 && withNode) return this.entity(label);
    return this.memo(`entityWith:${label}:${withNode}:${planKey(plan)}`, () => {
      const cypher = prefetchCypher(label, plan, this.provenance, withNode);
      const params = prefetchParams(plan);
      return new DataLoader(async (ids) => {
        const rows = await this.db.readRows<{ id: string; node: NodeRow; prefetched: Record<string, unknown> }>(cypher, {
          ids: [...ids],
          ...params,
        });
        const byId = new Map<string, NodeRow>();
        for (const row of rows) {
          byId.set(row.id, row.node);
          if (withNode) this.entity(label).prime(row.id, row.node);
          this.prime(plan, row.node.id, row.prefetched);
        }
        return Promise.all(ids.map((id) => byId.get(id) ?? (withNode ? this.entity(label).load(id) : null)));
      });
    });
  }

  /** Primes the neighbour loaders of a plan with what one statement read for the node `id`. */
  private prime(plan: readonly PrefetchTree[], id: string, prefetched: Record<string, unknown>): void {
    for (const tree of plan) {
      const value = prefetched[tree.key];
      const page = tree.window ? (value as { items: unknown[]; total: number | null }) : undefined;
      const read = page ? page.items : (value as unknown[]);
      const nested = tree.children.length > 0;
      // Lean items are the nodes themselves, or {node, prefetched} when something below them was read (itemProjection).
      const neighbours = !tree.lean
        ? (read as PrefetchedItem[]).map(asNeighbour)
        : nested
          ? (read as PrefetchedItem[]).map((item) => leanNeighbour(item.node))
          : (read as NodeRow[]).map(leanNeighbour);
      if (page) {
        const total = page.total ?? tree.window!.offset + neighbours.length;
        this.neighbourPage(tree.spec, { ...tree.window!, lean: tree.lean }).prime(id, { items: neighbours, total });
      } else {
        this.neighbours(tree.spec, tree.lean).prime(id, neighbours);
      }
      if (!tree.lean) this.readFully.add(readKey(tree.spec, tree.window, id));
      if (nested) for (const item of read as PrefetchedItem[]) this.prime(tree.children, item.node.id, item.prefetched ?? {});
    }
  }

  /** `lean`: a loader of its own, whose relationships are not read (never served to a full read). */
  neighbours(spec: NeighbourSpec, lean = false): DataLoader<string, Neighbour[]> {
    return this.memo(`nb:${specKey(spec)}${lean ? ':lean' : ''}`, () => neighbourLoader(this.db, spec, this.provenance, lean));
  }

  /**
   * A node's neighbours for a resolver that needs only the nodes (`lean`) or everything: a lean read takes the full
   * rows a prefetch already read for the node (they hold more; another selection of the same field wanted them),
   * a full read never takes lean ones.
   */
  loadNeighbours(spec: NeighbourSpec, id: string, lean: boolean): Promise<Neighbour[]> {
    return this.neighbours(spec, lean && !this.readFully.has(readKey(spec, undefined, id))).load(id);
  }

  /** `loadNeighbours` for one page (its leanness in the window). */
  loadNeighbourPage(spec: NeighbourSpec, window: NeighbourWindow, id: string): Promise<{ items: Neighbour[]; total: number }> {
    const lean = !!window.lean && !this.readFully.has(readKey(spec, window, id));
    return this.neighbourPage(spec, { ...window, lean }).load(id);
  }

  /** One page of neighbours per node; nodes asking for the same window share one query. */
  neighbourPage(spec: NeighbourSpec, window: NeighbourWindow): DataLoader<string, { items: Neighbour[]; total: number }> {
    return this.memo(`nbp:${pageKey(spec, window)}${window.lean ? ':lean' : ''}`, () =>
      neighbourPageLoader(this.db, spec, window, this.provenance),
    );
  }

  /** A loader for a subgraph's own batch function, cached under `key` for this request. */
  custom<V>(key: string, make: () => DataLoader<string, V>): DataLoader<string, V> {
    return this.memo(`custom:${key}`, make);
  }

  private memo<V>(key: string, make: () => DataLoader<string, V>): DataLoader<string, V> {
    let loader = this.cache.get(key);
    if (!loader) this.cache.set(key, (loader = make() as DataLoader<string, unknown>));
    return loader as DataLoader<string, V>;
  }
}

/**
 * One page of the nodes `match` binds to `n`, in `order` (ending on a unique key, so pages are stable), and their
 * total, in one round trip. The page is ordered, skipped and limited in Cypher: a top-k instead of sorting and
 * collecting every match, so only the page's nodes are read and projected. Needs $offset, $limit and $withTotal
 * (false: no count, for clients that select neither totalCount nor pageInfo).
 */
export const pageOf = (match: string, order: string): string => `
CALL { UNWIND CASE WHEN $withTotal THEN [1] ELSE [] END AS counting ${match} RETURN count(*) AS total }
CALL { ${match} WITH n ORDER BY ${order} SKIP $offset LIMIT $limit RETURN collect(n) AS page }
UNWIND (CASE WHEN size(page) = 0 THEN [null] ELSE page END) AS n
RETURN total, CASE WHEN n IS NULL THEN null ELSE ${nodeProjection('n')} END AS node`;

/** Runs a pageOf query; returns the page's nodes and the total. */
export async function readPage(
  db: Database,
  cypher: string,
  params: Record<string, unknown>,
  page: { offset: number; limit: number; withTotal?: boolean },
) {
  const withTotal = page.withTotal ?? true;
  const rows = await db.readRows<{ total: number; node: NodeRow | null }>(cypher, {
    ...params,
    offset: page.offset,
    limit: page.limit,
    withTotal,
  });
  const items = rows.map((r) => r.node).filter((n): n is NodeRow => n !== null);
  // Not counted: nobody reads the total (see `needsTotal`); the page's end stands in for it.
  return { total: withTotal ? (rows[0]?.total ?? 0) : page.offset + items.length, items };
}

/**
 * Cites one source on a node or relationship variable for an importer: its quote replaces the one that source gave
 * before (a re-import changes nothing), or is added beside the other sources' (a second file stating the same
 * fact adds its provenance, never replaces the first file's). `sourceId` and `quote` are Cypher expressions.
 */
export const mergeCitation = (v: string, sourceId: string, quote: string): string =>
  `${v}.quotes = CASE WHEN ${sourceId} IN coalesce(${v}.sourceIds, []) ` +
  `THEN [i IN range(0, size(${v}.sourceIds) - 1) | CASE WHEN ${v}.sourceIds[i] = ${sourceId} THEN ${quote} ELSE ${v}.quotes[i] END] ` +
  `ELSE coalesce(${v}.quotes, []) + ${quote} END, ` +
  `${v}.sourceIds = CASE WHEN ${sourceId} IN coalesce(${v}.sourceIds, []) THEN ${v}.sourceIds ELSE coalesce(${v}.sourceIds, []) + ${sourceId} END`;

/** The positions in a variable's provenance lists of the citations by sources not in `excluded` (a Cypher list). */
export const citationsNotFrom = (v: string, excluded: string): string =>
  `[i IN range(0, size(coalesce(${v}.sourceIds, [])) - 1) WHERE NOT ${v}.sourceIds[i] IN ${excluded}]`;

/** Appends a citation to the provenance lists of a node or relationship variable (curator writes). */
export const appendCitation = (v: string): string =>
  `${v}.sourceIds = coalesce(${v}.sourceIds, []) + $citation.sourceId, ${v}.quotes = coalesce(${v}.quotes, []) + $citation.quote`;

/** Labels a user may name by id anywhere (insights, exports). */
export const VIEWABLE_LABELS = [
  'Organization',
  'Person',
  'Place',
  'Network',
  'Event',
  'Grant',
  'Result',
  'ActionPlan',
  'Commitment',
  'Initiative',
] as const;

/** Finds one entity of any viewable label by id through the unique-id indexes (a UNION of seeks, never a scan). */
export const anyEntityById = (param: string, as: string): string =>
  `CALL { ${VIEWABLE_LABELS.map((label) => `MATCH (x:${label} {id: $${param}}) RETURN x AS ${as}`).join(' UNION ')} }`;
