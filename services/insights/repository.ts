import type { Database } from '../shared/database';
import { citations, VIEWABLE_LABELS } from '../shared/cypher';
import { HIDDEN_TYPES, RELATIONSHIP_VIEW } from '../shared/relationship-view';
import { LINK_TYPES, type IndexEdgeRow, type IndexNodeRow } from './collaboration-index';
import * as q from './questions';
import { cityOf, countryOf, summary } from './questions';

/* ---- The questions Neo4j answers itself (questions.ts) ---- */

export { relationshipView } from '../shared/relationship-view';

/** Whether each end of a path question exists, as any entity. */
export async function endpointsExist(db: Database, from: string, to: string): Promise<{ fromFound: boolean; toFound: boolean }> {
  const [row] = await db.readRows<{ fromFound: boolean; toFound: boolean }>(q.ENDPOINTS_EXIST, { from, to });
  return row ?? { fromFound: false, toFound: false };
}

/** The ids among `ids` that are not networks. */
export async function missingNetworks(db: Database, ids: string[]): Promise<string[]> {
  const rows = await db.readRows<{ id: string; found: boolean }>(q.NETWORKS_EXIST, { ids });
  return rows.filter((r) => !r.found).map((r) => r.id);
}

export interface TrailRow {
  start: SummaryRow;
  flows: Array<{ from: string; to: string; amount?: number; currency?: string } & Record<string, unknown>>;
  recipients: Array<Record<string, any>>;
}

/**
 * A funding trail from `id` (undefined: no such entity); `maxDepth` is validated by the caller. Without
 * `withOrganizations`, `recipients` is empty (the reached organizations' details are not read).
 */
export async function fundingTrail(
  db: Database,
  id: string,
  direction: 'DOWNSTREAM' | 'UPSTREAM',
  maxDepth: number,
  detail: q.TrailDetail = q.FULL_TRAIL,
): Promise<TrailRow | undefined> {
  const [row] = await db.readRows<TrailRow>(q.FUNDING_TRAIL(direction, maxDepth, detail), { id });
  return row;
}

/** How many actors are in both networks, and (when `withMembers`) who, by name; `missing`: a network that is none. */
export async function networkOverlap(
  db: Database,
  a: string,
  b: string,
  withMembers: boolean,
): Promise<{ missing?: string; count: number; members: SummaryRow[] }> {
  type Row = { aFound: boolean; bFound: boolean; count: number; members: SummaryRow[] };
  // One row always: both networks are OPTIONAL MATCHes.
  const [row] = (await db.readRows<Row>(q.NETWORK_OVERLAP(withMembers), { a, b })) as [Row];
  return { missing: !row.aFound ? a : !row.bFound ? b : undefined, count: row.count, members: row.members };
}

export interface OverlapPairRow {
  a: { id: string; name: string };
  b: { id: string; name: string };
  count: number;
  sample: string[];
}

/** The pairs of networks sharing the most members (within one programme when `within` is given). */
export const topOverlaps = (db: Database, limit: number, within: string | null) =>
  db.readRows<OverlapPairRow>(q.TOP_OVERLAPS, { limit, within });

/* ---- The collaboration index (live-index.ts): loading it, refreshing changed entities, explaining its paths ---- */

const INDEXED_LABELS = [...VIEWABLE_LABELS, 'ContractingProcess'] as const;
const LINK_TYPE_EXPRESSION = LINK_TYPES.join('|');

/** A node of any indexed label by the id in variable `idVar` (a UNION of unique-index seeks), as `x`. */
const seekAnyLabel = (idVar: string, optional = false, labels: readonly string[] = INDEXED_LABELS) =>
  `${optional ? 'OPTIONAL ' : ''}CALL { ${labels.map((label) => `WITH ${idVar} MATCH (x:${label} {id: ${idVar}}) RETURN x`).join(' UNION ')} }`;

/** The labels of the contexts a link passes through (the ends of the link types in schema/model.ts that are no actors). */
const CONTEXT_LABELS = ['Network', 'Grant', 'Event', 'Commitment', 'ActionPlan', 'Initiative', 'ContractingProcess'] as const;

/**
 * A grant's sector as one group: the DAC 3-digit category of its first sector in a DAC vocabulary (IATI sector
 * vocabulary 1, five-digit purpose codes, whose first three digits are the category; or 2, the categories themselves).
 */
const grantSector = (v: string) =>
  `CASE WHEN ${v}:Grant THEN head([i IN range(0, size(coalesce(${v}.sectors, [])) - 1) ` +
  `WHERE coalesce(${v}.sectorVocabularies[i], '1') IN ['1', '2'] | left(${v}.sectors[i], 3)]) END`;

const indexNode = (v: string) =>
  `${v} {.id, actor: (${v}:Organization OR ${v}:Person), label: labels(${v})[0], name: coalesce(${v}.name, ${v}.title, ${v}.id), city: ${cityOf(v)}, country: ${countryOf(v)}, ` +
  `kind: CASE WHEN ${v}:Person THEN 'person' ELSE toString(${v}.kind) END, sector: ${grantSector(v)}}`;

const indexEdge = (r: string) =>
  `{rel: id(${r}), type: type(${r}), from: startNode(${r}).id, to: endNode(${r}).id, since: toString(coalesce(${r}.since, ${r}.date)), until: toString(${r}.until)}`;

/**
 * Streams every actor, every context a link touches, then every link relationship, into `sink` (a snapshot per statement; changes made meanwhile
 * reach the index through the journal). Relationships come grouped by start node, as lists: a fifth of the rows
 * and no maps, which is what bounds the load (the driver's cost is per record).
 */
export async function loadIndexRows(
  db: Database,
  sink: { node(row: IndexNodeRow): void; edge(row: IndexEdgeRow): void },
  timeoutMs: number,
): Promise<void> {
  for await (const row of db.stream<{ n: IndexNodeRow }>(`MATCH (n:Organization|Person) RETURN ${indexNode('n')} AS n`, {}, timeoutMs))
    sink.node(row.n);
  // The contexts links pass through, with their labels and names: a path can then be told without reading its nodes
  // again. (A context of another label is still indexed, from its relationships, with its label unknown.)
  for await (const row of db.stream<{ n: IndexNodeRow }>(
    `MATCH (n:${CONTEXT_LABELS.join('|')}) WHERE n.id IS NOT NULL AND EXISTS { (n)-[:${LINK_TYPE_EXPRESSION}]-() } RETURN ${indexNode('n')} AS n`,
    {},
    timeoutMs,
  ))
    sink.node(row.n);
  const out = `COLLECT { MATCH (a)-[r:${LINK_TYPE_EXPRESSION}]->(b) WHERE b.id IS NOT NULL
    RETURN [id(r), type(r), b.id, toString(coalesce(r.since, r.date)), toString(r.until)] }`;
  for await (const row of db.stream<{ from: string; out: Array<[number, string, string, string | null, string | null]> }>(
    `MATCH (a) WHERE a.id IS NOT NULL AND EXISTS { (a)-[:${LINK_TYPE_EXPRESSION}]->() } RETURN a.id AS from, ${out} AS out`,
    {},
    timeoutMs,
  )) {
    for (const [rel, type, to, since, until] of row.out) sink.edge({ rel, type, from: row.from, to, since, until });
  }
}

export interface RefreshedEntity {
  id: string;
  node: IndexNodeRow | null;
  edges: Array<IndexEdgeRow & { other: IndexNodeRow }>;
}

/** The current state of some entities: what they are and all their link relationships (node null: gone). */
export function refreshRows(db: Database, ids: string[]): Promise<RefreshedEntity[]> {
  return db.readRows<RefreshedEntity>(
    `
UNWIND $ids AS wanted
${seekAnyLabel('wanted', true)}
RETURN wanted AS id, CASE WHEN x IS NULL THEN null ELSE ${indexNode('x')} END AS node,
  CASE WHEN x IS NULL THEN [] ELSE COLLECT { MATCH (x)-[r:${LINK_TYPE_EXPRESSION}]-(y) WHERE y.id IS NOT NULL RETURN ${indexEdge('r').slice(0, -1)}, other: ${indexNode('y')}} } END AS edges`,
    { ids },
  );
}

/** Neo4j's clock, so journal times and load times compare on one clock. */
export async function serverTime(db: Database): Promise<number> {
  const [row] = await db.readRows<{ now: number }>('RETURN timestamp() AS now');
  return row!.now;
}

/** Neo4j's clock now, and the journal entries recorded at or after `since` (ids and times only): one round trip. */
export async function recentChanges(db: Database, since: number): Promise<{ now: number; changes: Array<{ id: string; at: number }> }> {
  const [row] = await db.readRows<{ now: number; changes: Array<{ id: string; at: number }> }>(
    'RETURN timestamp() AS now, COLLECT { MATCH (c:GraphChange) WHERE c.at >= $since RETURN c {.id, .at} } AS changes',
    { since },
  );
  return row!;
}

/** What the given journal entries say changed. */
export const changeContents = (db: Database, ids: string[]) =>
  db.readRows<{ at: number; ids: string[]; everything: boolean }>(
    'UNWIND $ids AS cid MATCH (c:GraphChange {id: cid}) RETURN c.at AS at, c.ids AS ids, coalesce(c.everything, false) AS everything',
    { ids },
  );

/** Deletes journal entries older than `before`, a bounded batch at a time. */
export async function pruneChanges(db: Database, before: number): Promise<void> {
  for (;;) {
    const [row] = await db.writeRows<{ n: number }>(
      'MATCH (c:GraphChange) WHERE c.at < $before WITH c LIMIT 5000 DELETE c RETURN count(*) AS n',
      { before },
    );
    if (!row || row.n < 5000) return;
  }
}

export interface ExplainedRel {
  id: string;
  type: string;
  from: string;
  to: string;
  role?: string;
  since?: string;
  until?: string;
  amount?: number;
  currency?: string;
  sources: unknown[];
}
export interface SummaryRow {
  id: string;
  label: string;
  kind?: string;
  name: string;
  city?: string;
  country?: string;
}

const explainedRel = (
  r: string,
) => `{id: coalesce(${r}.id, elementId(${r})), type: type(${r}), from: startNode(${r}).id, to: endNode(${r}).id, role: ${r}.role,
    since: coalesce(${r}.since, ${r}.date), until: ${r}.until, amount: ${r}.amount, currency: ${r}.currency, sources: ${citations(r)}}`;

/**
 * The relationships of index paths by Neo4j id (seeks by id, no label needed), with role, dates, money and
 * sources, and summaries of both their ends: everything a page of paths shows, in one round trip.
 */
export async function pathDetails(
  db: Database,
  rels: number[],
): Promise<{ summaries: Map<string, SummaryRow>; rels: Map<number, ExplainedRel> }> {
  if (rels.length === 0) return { summaries: new Map(), rels: new Map() };
  const rows = await db.readRows<{ rid: number; rel: ExplainedRel; a: SummaryRow; b: SummaryRow }>(
    `UNWIND $rels AS rid MATCH (a)-[r]->(b) WHERE id(r) = rid RETURN rid, ${explainedRel('r')} AS rel, ${summary('a')} AS a, ${summary('b')} AS b`,
    { rels },
  );
  return {
    summaries: new Map(
      rows.flatMap((row) => [
        [row.a.id, row.a],
        [row.b.id, row.b],
      ]),
    ),
    rels: new Map(rows.map((row) => [row.rid, row.rel])),
  };
}

/**
 * Compact summaries (id, label, kind, name, city, country) of entities by id; missing ones are left out. `labels`:
 * where to look, when the caller knows (each label is one index seek per id).
 */
export async function summariesById(
  db: Database,
  ids: string[],
  labels: ReadonlyArray<(typeof INDEXED_LABELS)[number]> = INDEXED_LABELS,
): Promise<Map<string, SummaryRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.readRows<{ s: SummaryRow }>(
    `UNWIND $ids AS wanted ${seekAnyLabel('wanted', false, labels)} RETURN ${summary('x')} AS s`,
    { ids },
  );
  return new Map(rows.map((r) => [r.s.id, r.s]));
}

/** An entity of this pattern with at most `most` relationships (a hub's trail or view at scale 10 takes seconds). */
const ordinary = (pattern: string, node: string, most = 100) =>
  `COLLECT { MATCH ${pattern} WHERE COUNT { (${node})--() } <= ${most} RETURN ${node}.id LIMIT 1 }[0]`;

/**
 * Entities of several kinds to warm the statements on, each null when the graph has none: a member of a network of
 * 50-500 links (so its view fills up), a funder and a recipient of one flow, a grant, an event, a person, and two
 * networks that share a member.
 */
const WARM_SAMPLES = `
RETURN coalesce(
    COLLECT { MATCH (o:Organization)-[:MEMBER_OF]->(n:Network) WHERE COUNT { (n)--() } >= 50 AND COUNT { (n)--() } <= 500
              RETURN o.id LIMIT 1 }[0],
    ${ordinary('(o:Organization)-[:MEMBER_OF]->(:Network)', 'o')}) AS member,
  COLLECT { MATCH (f:Organization)-[:FUNDED]->(r:Organization) WHERE COUNT { (f)--() } <= 100 AND COUNT { (r)--() } <= 100
            RETURN [f.id, r.id] LIMIT 1 }[0] AS flow,
  ${ordinary('(g:Grant)<-[:PARTICIPATES_IN_GRANT]-(:Organization)', 'g')} AS grant,
  ${ordinary('(e:Event)<-[:PARTICIPATED_IN]-()', 'e')} AS event,
  ${ordinary('(p:Person)-[:WORKS_FOR]->()', 'p')} AS person,
  COLLECT { MATCH (a:Network) WHERE COUNT { (a)--() } <= 200 WITH a LIMIT 100
            MATCH (a)<-[:MEMBER_OF]-()-[:MEMBER_OF]->(b:Network) WHERE b <> a AND COUNT { (b)--() } <= 200
            RETURN [a.id, b.id] LIMIT 1 }[0] AS networks`;

interface WarmSamples {
  member: string | null;
  flow: [string, string] | null;
  grant: string | null;
  event: string | null;
  person: string | null;
  networks: [string, string] | null;
}

/**
 * Runs every query text the insights questions send (TOP_OVERLAPS, which would read every network, is only
 * planned), so the first request of each shape finds its plan cached and the code it needs warm. Each runs on
 * entities of several kinds where the graph has them, else on an id that matches nothing. An unknown id leaves most
 * of a plan unrun, and so does a sample of one kind: at scale 1 a view warmed on a small organization only still
 * took ~300 ms for the first funder or large neighbourhood asked, then ~30 ms. A question with uncommon link kinds or
 * depths is planned on first use.
 */
export async function warmPlans(db: Database): Promise<void> {
  const none = '(warming)';
  const [sample] = await db.readRows<WarmSamples>(WARM_SAMPLES);
  const [funder, recipient] = sample?.flow ?? [null, null];
  const [a, b] = sample?.networks ?? [none, none];
  const present = (...ids: Array<string | null | undefined>) => {
    const found = ids.filter((id): id is string => typeof id === 'string');
    return found.length > 0 ? found : [none];
  };
  const runs: Array<[string, Record<string, unknown>]> = [
    ...([1, 2, 3, 4] as const).flatMap((depth) =>
      (['DOWNSTREAM', 'UPSTREAM'] as const).flatMap((direction) =>
        [true, false].flatMap((organizations) =>
          [true, false].flatMap((sources) =>
            present(direction === 'DOWNSTREAM' ? funder : recipient, sample?.grant).map((id): [string, Record<string, unknown>] => [
              q.FUNDING_TRAIL(direction, depth, { organizations, sources }),
              { id },
            ]),
          ),
        ),
      ),
    ),
    ...[1, 2, 3].flatMap((depth) =>
      [true, false].flatMap((places) =>
        [true, false].flatMap((sources) =>
          present(sample?.member, funder, recipient, sample?.grant, sample?.event, sample?.person).map(
            (id): [string, Record<string, unknown>] => [
              RELATIONSHIP_VIEW(depth, { places, sources }),
              { id, kinds: [], limit: 200, hidden: HIDDEN_TYPES },
            ],
          ),
        ),
      ),
    ),
    [q.NETWORK_OVERLAP(false), { a, b }],
    [q.NETWORK_OVERLAP(true), { a, b }],
    [`EXPLAIN ${q.TOP_OVERLAPS}`, {}],
    [q.NETWORKS_EXIST, { ids: [a] }],
    [q.ENDPOINTS_EXIST, { from: funder ?? none, to: recipient ?? none }],
  ];
  for (const [text, params] of runs) await db.readRows(text, params);
  await Promise.all([
    pathDetails(db, [-1]),
    summariesById(db, [none]),
    recentChanges(db, Date.now()),
    refreshRows(db, [none]),
    networkFamily(db, none),
  ]);
}

/** A network's family (itself and the networks PART_OF it, two levels down) and the actors that belong to any of
 * them (members and hubs): the scope of a brokers question. */
export async function networkFamily(db: Database, network: string): Promise<{ networks: string[]; actors: string[] }> {
  const [row] = await db.readRows<{ networks: string[]; actors: string[] }>(
    `
MATCH (top:Network {id: $network})
CALL { WITH top MATCH (g:Network)-[:PART_OF*0..2]->(top) RETURN collect(DISTINCT g) AS family }
RETURN [g IN family | g.id] AS networks,
  COLLECT { UNWIND family AS g MATCH (x:Organization|Person)-[:MEMBER_OF|HUB_FOR]->(g) RETURN DISTINCT x.id } AS actors`,
    { network },
  );
  return row ?? { networks: [], actors: [] };
}
