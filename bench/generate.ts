import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../services/shared/database';
import { recordGraphChangeNow } from '../services/shared/graph-changes';

/** A deterministic pseudo-random generator (mulberry32), so a seed always gives the same graph. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GraphSize {
  countries: number;
  cities: number;
  networks: number;
  organizations: number;
  people: number;
  events: number;
  membershipsPerOrg: number;
  partnerships: number;
  participantsPerEvent: number;
  fundings: number;
  /** Grants, each with a funder and a recipient; 40% of them go to three hub funders. */
  grants?: number;
  /** Extra members of the first network, which becomes a hub network. */
  hubNetworkMembers?: number;
}

export interface GeneratedNode {
  id: string;
  label: 'Place' | 'Network' | 'Organization' | 'Person' | 'Event' | 'Grant';
  name: string;
  kind?: string;
  country?: string;
  city?: string;
}
export interface GeneratedEdge {
  id: string;
  type: string;
  from: string;
  to: string;
  since?: string;
  amount?: number;
  currency?: string;
  date?: string;
  role?: string;
}

export interface GeneratedGraph {
  nodes: GeneratedNode[];
  edges: GeneratedEdge[];
}

/**
 * Builds (in memory) a random open-government-like graph: countries and cities, networks, organizations based in
 * cities and members of networks, people working for organizations, partnerships and events. Ids start with
 * `prefix` so the graph never touches other data.
 */
export function buildGraph(size: GraphSize, seed: number, prefix: string): GeneratedGraph {
  const rnd = random(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(rnd() * items.length)]!;
  const nodes: GeneratedNode[] = [];
  const edges: GeneratedEdge[] = [];
  const edgeIds = new Set<string>();
  const edge = (
    type: string,
    from: string,
    to: string,
    since?: string,
    extra?: { amount?: number; currency?: string; date?: string; role?: string },
  ) => {
    const id = `${from}|${type}|${to}`;
    if (from === to || edgeIds.has(id)) return;
    edgeIds.add(id);
    edges.push({ id, type, from, to, ...(since ? { since } : {}), ...(extra ?? {}) });
  };
  const countries = Array.from({ length: size.countries }, (_, i) => ({
    id: `${prefix}country-${i}`,
    iso2: `X${String.fromCharCode(65 + (i % 26))}${i >= 26 ? i : ''}`,
  }));
  for (const c of countries) nodes.push({ id: c.id, label: 'Place', name: `Country ${c.iso2}`, kind: 'country', country: c.iso2 });
  const cities = Array.from({ length: size.cities }, (_, i) => {
    const country = countries[i % countries.length]!;
    const city = { id: `${prefix}city-${i}`, country: country.iso2 };
    nodes.push({ id: city.id, label: 'Place', name: `City ${i}`, kind: 'city', country: country.iso2 });
    edge('IN', city.id, country.id);
    return city;
  });
  const networks = Array.from({ length: size.networks }, (_, i) => {
    const id = `${prefix}network-${i}`;
    nodes.push({ id, label: 'Network', name: `Network ${String(i).padStart(5, '0')}`, kind: 'cohort' });
    return id;
  });
  const organizations = Array.from({ length: size.organizations }, (_, i) => {
    const city = pick(cities);
    const id = `${prefix}org-${i}`;
    nodes.push({
      id,
      label: 'Organization',
      name: `Organization ${String(i).padStart(6, '0')}`,
      kind: pick(['government', 'civil_society', 'business', 'funder']),
      country: city.country,
      city: city.id,
    });
    edge('BASED_IN', id, city.id);
    const memberships = Math.floor(rnd() * (size.membershipsPerOrg + 1));
    for (let m = 0; m < memberships; m++) edge('MEMBER_OF', id, pick(networks), `${2010 + Math.floor(rnd() * 12)}`);
    return id;
  });
  for (let i = 0; i < size.people; i++) {
    const id = `${prefix}person-${i}`;
    nodes.push({ id, label: 'Person', name: `Person ${String(i).padStart(6, '0')}` });
    edge('WORKS_FOR', id, pick(organizations));
    if (rnd() < 0.2) edge('WORKS_FOR', id, pick(organizations));
  }
  for (let i = 0; i < size.partnerships; i++) edge('PARTNERS_WITH', pick(organizations), pick(organizations));
  // A few funders give to many organizations, which give on to others: trails several steps deep.
  const funders = organizations.slice(0, Math.max(1, Math.floor(organizations.length / 50)));
  for (let i = 0; i < size.fundings; i++) {
    const from = rnd() < 0.6 ? pick(funders) : pick(organizations);
    edge('FUNDED', from, pick(organizations), undefined, {
      amount: Math.round(rnd() * 100_000),
      currency: pick(['USD', 'EUR']),
      date: `${2012 + Math.floor(rnd() * 10)}`,
    });
  }
  for (let i = 0; i < size.events; i++) {
    const id = `${prefix}event-${i}`;
    nodes.push({ id, label: 'Event', name: `Event ${i}`, kind: 'meeting' });
    edge('HELD_IN', id, pick(cities).id);
    for (let p = 0; p < size.participantsPerEvent; p++) edge('PARTICIPATED_IN', pick(organizations), id);
  }
  // Hubs: one network with many members, three funders in a large share of the grants.
  for (let i = 0; i < (size.hubNetworkMembers ?? 0); i++) edge('MEMBER_OF', pick(organizations), networks[0]!, '2016');
  const hubFunders = organizations.slice(0, Math.min(3, organizations.length));
  for (let i = 0; i < (size.grants ?? 0); i++) {
    const id = `${prefix}grant-${i}`;
    nodes.push({ id, label: 'Grant', name: `Grant ${String(i).padStart(6, '0')}`, kind: 'grant' });
    edge('PARTICIPATES_IN_GRANT', rnd() < 0.4 ? pick(hubFunders) : pick(funders), id, `${2012 + Math.floor(rnd() * 10)}`, {
      role: 'funding',
    });
    edge('PARTICIPATES_IN_GRANT', pick(organizations), id, undefined, { role: 'recipient' });
  }
  return { nodes, edges };
}

const BATCH = 10_000;

/**
 * Writes a generated graph with UNWIND batches, every node tagged. By default MERGE on ids, so a rerun adds nothing;
 * `fresh` (a graph that is known not to be there yet, as in a first load) CREATEs instead, which Neo4j does without
 * looking for an existing twin.
 */
export async function writeGraph(
  db: Database,
  graph: GeneratedGraph,
  tag: string,
  onProgress?: (done: number, total: number) => void,
  options: { fresh?: boolean } = {},
): Promise<void> {
  const put = options.fresh ? 'CREATE' : 'MERGE';
  const byLabel = new Map<string, GeneratedNode[]>();
  for (const node of graph.nodes) {
    const list = byLabel.get(node.label) ?? [];
    list.push(node);
    byLabel.set(node.label, list);
  }
  const total = graph.nodes.length + graph.edges.length;
  let done = 0;
  for (const [label, nodes] of byLabel) {
    for (let i = 0; i < nodes.length; i += BATCH) {
      const rows = nodes.slice(i, i + BATCH).map(({ city: _city, label: _label, ...props }) => ({
        ...props,
        testTag: tag,
        sourceIds: ['src-generated'],
        quotes: ['generated'],
      }));
      await db.writeRows(`UNWIND $rows AS row ${put} (n:${label} {id: row.id}) SET n += row`, { rows });
      onProgress?.((done += rows.length), total);
    }
  }
  const labelOf = new Map(graph.nodes.map((n) => [n.id, n.label]));
  const groups = new Map<string, GeneratedEdge[]>();
  for (const e of graph.edges) {
    const key = `${e.type}:${labelOf.get(e.from)}:${labelOf.get(e.to)}`;
    // Pushed, not spread: copying the group on every edge made writing 550,000 edges quadratic (minutes of CPU).
    const list = groups.get(key) ?? [];
    list.push(e);
    groups.set(key, list);
  }
  for (const [key, rels] of groups) {
    const [type, from, to] = key.split(':');
    for (let i = 0; i < rels.length; i += BATCH) {
      const rows = rels.slice(i, i + BATCH).map((e) => ({ ...e, sourceIds: ['src-generated'], quotes: ['generated'] }));
      await db.writeRows(
        `UNWIND $rows AS row MATCH (a:${from} {id: row.from}) MATCH (b:${to} {id: row.to}) ` +
          `${put} (a)-[r:${type} {id: row.id}]->(b) SET r.sourceIds = row.sourceIds, r.quotes = row.quotes, r.since = row.since, ` +
          'r.amount = row.amount, r.currency = row.currency, r.date = row.date, r.role = row.role',
        { rows },
      );
      onProgress?.((done += rows.length), total);
    }
  }
  await recordGraphChangeNow(db, 'everything');
}

/** A CSV field: quoted when it holds a comma, a quote or a line break; empty (no property) when undefined. */
const csvField = (value: string | number | undefined): string => {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** Writes rows to a file in chunks (a scale-10 graph's relationships are several hundred megabytes of text). */
function writeCsv(path: string, header: string[], rows: Iterable<Array<string | number | undefined>>): void {
  const fd = openSync(path, 'w');
  try {
    let chunk = `${header.join(',')}\n`;
    for (const row of rows) {
      chunk += `${row.map(csvField).join(',')}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a generated graph as the CSV folder `npm run bulk-load` reads (neo4j/bulk-import.ts): the same nodes,
 * relationships and properties `writeGraph` writes, one file per label and per relationship type.
 */
export function writeGraphCsv(graph: GeneratedGraph, folder: string, tag: string): void {
  mkdirSync(join(folder, 'nodes'), { recursive: true });
  mkdirSync(join(folder, 'relationships'), { recursive: true });
  const provenance = ['src-generated', 'generated'];
  const labels = [...new Set(graph.nodes.map((n) => n.label))];
  for (const label of labels)
    writeCsv(
      join(folder, 'nodes', `${label}.csv`),
      ['id:ID', ':LABEL', 'name', 'kind', 'country', 'testTag', 'sourceIds:string[]', 'quotes:string[]'],
      (function* () {
        for (const n of graph.nodes) if (n.label === label) yield [n.id, n.label, n.name, n.kind, n.country, tag, ...provenance];
      })(),
    );
  const types = [...new Set(graph.edges.map((e) => e.type))];
  for (const type of types)
    writeCsv(
      join(folder, 'relationships', `${type}.csv`),
      [
        ':START_ID',
        ':END_ID',
        ':TYPE',
        'id',
        'since',
        'amount:double',
        'currency',
        'date',
        'role',
        'sourceIds:string[]',
        'quotes:string[]',
      ],
      (function* () {
        for (const e of graph.edges)
          if (e.type === type) yield [e.from, e.to, e.type, e.id, e.since, e.amount, e.currency, e.date, e.role, ...provenance];
      })(),
    );
}

/** Deletes everything a generated graph wrote, in batches. */
export async function deleteGraph(db: Database, tag: string): Promise<void> {
  for (;;) {
    const [row] = await db.writeRows<{ n: number }>('MATCH (n {testTag: $tag}) WITH n LIMIT 5000 DETACH DELETE n RETURN count(*) AS n', {
      tag,
    });
    if (!row || row.n === 0) return recordGraphChangeNow(db, 'everything');
  }
}
