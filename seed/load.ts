import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { ZodTypeAny } from 'zod';
import { ENTITY_LABELS, type EntityLabel, type RelType } from '../schema/model';
import { PROJECT_ROOT } from '../services/shared/config';
import type { Database } from '../services/shared/database';
import { UserError } from '../services/shared/errors';
import { recordGraphChange } from '../services/shared/graph-changes';
import { citationsNotFrom } from '../services/shared/cypher';
import { canonicalOrgId } from '../services/shared/org-identifiers';
import { normalizedNames, normalizeName, searchText } from '../services/shared/text';
import { FILES, type FileName, type SeedData } from './schema';

export const SEED_DIR = join(PROJECT_ROOT, 'seed', 'data');

/** One thing wrong with the seed data: which file, which entry, and why. */
export interface Problem {
  file: string;
  entry: string;
  reason: string;
}

/** The seed data is invalid; nothing was written. `problems` lists every reason found. */
export class SeedValidationError extends UserError {
  constructor(readonly problems: Problem[]) {
    super(
      `Seed data is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}); nothing was written:\n` +
        problems.map((p) => `  ${p.file} ${p.entry}: ${p.reason}`).join('\n'),
      'SeedValidationError',
    );
  }
}

export interface SeedReport {
  nodesCreated: number;
  relationshipsCreated: number;
  entities: number;
  relationships: number;
}

/** Which label each data file's entries get. */
const LABEL_OF_FILE: Partial<Record<FileName, EntityLabel>> = {
  sources: 'Source',
  places: 'Place',
  organizations: 'Organization',
  people: 'Person',
  networks: 'Network',
  events: 'Event',
  grants: 'Grant',
  'action-plans': 'ActionPlan',
  commitments: 'Commitment',
  initiatives: 'Initiative',
  flags: 'DataQualityFlag',
};

/** Reads and validates every data file in `dir` (schema, then references); throws SeedValidationError. */
export function readSeedData(dir: string = SEED_DIR): SeedData {
  const problems: Problem[] = [];
  const data = Object.fromEntries(Object.keys(FILES).map((name) => [name, []])) as unknown as SeedData;
  const present = new Set(
    readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.replace(/\.yaml$/, '')),
  );
  for (const name of present) {
    if (!(name in FILES))
      problems.push({ file: `${name}.yaml`, entry: '-', reason: `unknown data file; expected one of ${Object.keys(FILES).join(', ')}` });
  }
  for (const [name, schema] of Object.entries(FILES) as Array<[FileName, ZodTypeAny]>) {
    const file = `${name}.yaml`;
    if (!present.has(name)) {
      problems.push({ file, entry: '-', reason: 'file is missing' });
      continue;
    }
    const document = parseDocument(readFileSync(join(dir, file), 'utf8'), { prettyErrors: true });
    if (document.errors.length > 0) {
      for (const error of document.errors)
        problems.push({ file, entry: `line ${error.linePos?.[0]?.line ?? '?'}`, reason: error.message.split('\n')[0]! });
      continue;
    }
    const entries: unknown = document.toJS() ?? [];
    if (!Array.isArray(entries)) {
      problems.push({ file, entry: '-', reason: 'expected a list of entries' });
      continue;
    }
    entries.forEach((entry, index) => {
      const parsed = schema.safeParse(entry);
      const label = entryLabel(entry, index);
      if (parsed.success) (data[name] as unknown[]).push(parsed.data);
      else
        for (const issue of parsed.error.issues)
          problems.push({ file, entry: label, reason: `${issue.path.join('.') || 'entry'}: ${issue.message}` });
    });
  }
  if (problems.length === 0) problems.push(...checkReferences(data));
  if (problems.length > 0) throw new SeedValidationError(problems);
  return data;
}

function entryLabel(entry: unknown, index: number): string {
  const e = entry as { id?: unknown; type?: unknown; from?: unknown; to?: unknown };
  if (typeof e?.id === 'string') return `#${index + 1} (${e.id})`;
  if (typeof e?.type === 'string') return `#${index + 1} (${String(e.from)} -${e.type}-> ${String(e.to)})`;
  return `#${index + 1}`;
}

/** Every id used anywhere must be defined once; every provenance must name a known source. */
function checkReferences(data: SeedData): Problem[] {
  const problems: Problem[] = [];
  const labels = new Map<string, EntityLabel>();
  for (const [file, label] of Object.entries(LABEL_OF_FILE) as Array<[FileName, EntityLabel]>) {
    (data[file] as Array<{ id: string }>).forEach((entry, index) => {
      if (labels.has(entry.id))
        problems.push({
          file: `${file}.yaml`,
          entry: `#${index + 1} (${entry.id})`,
          reason: `id "${entry.id}" is already used by a ${labels.get(entry.id)}`,
        });
      labels.set(entry.id, label);
    });
  }
  for (const grant of data.grants) for (const result of grant.results) labels.set(result.id, 'Result');
  const sourceIds = new Set(data.sources.map((s) => s.id));

  const refer = (file: string, entry: string, id: string, what: string, expected?: EntityLabel[]) => {
    const label = labels.get(id);
    if (!label) problems.push({ file, entry, reason: `${what} "${id}" does not exist` });
    else if (expected && !expected.includes(label))
      problems.push({ file, entry, reason: `${what} "${id}" is a ${label}, expected ${expected.join(' or ')}` });
  };
  for (const [name, entries] of Object.entries(data) as Array<[FileName, Array<Record<string, unknown>>]>) {
    entries.forEach((entry, index) => {
      const where = entryLabel(entry, index);
      const provenances = [
        ...((entry.sources as Array<{ source: string }>) ?? []),
        ...((entry.results as Array<{ sources: Array<{ source: string }> }>) ?? []).flatMap((r) => r.sources),
        ...(name === 'flags' ? ([entry.documentSays, entry.factIs] as Array<{ source: string }>) : []),
      ];
      for (const p of provenances)
        if (!sourceIds.has(p.source))
          problems.push({ file: `${name}.yaml`, entry: where, reason: `source "${p.source}" does not exist in sources.yaml` });
      if (name === 'places' && entry.in) refer('places.yaml', where, entry.in as string, 'place', ['Place']);
      if (name === 'relationships') {
        refer('relationships.yaml', where, entry.from as string, 'from');
        refer('relationships.yaml', where, entry.to as string, 'to');
      }
      if (name === 'flags') for (const id of entry.concerns as string[]) refer('flags.yaml', where, id, 'concerned entity');
    });
  }
  const relIds = new Set<string>();
  data.relationships.forEach((rel, index) => {
    const id = relationshipId(rel);
    if (relIds.has(id))
      problems.push({
        file: 'relationships.yaml',
        entry: entryLabel(rel, index),
        reason: 'the same relationship is listed twice (add a distinct `key` if both are meant)',
      });
    relIds.add(id);
  });
  return problems;
}

const relationshipId = (rel: { from: string; type: string; to: string; key?: string }): string =>
  [rel.from, rel.type, rel.to, rel.key].filter(Boolean).join('|');

const provenance = (sources: Array<{ source: string; quote: string }>) => ({
  sourceIds: sources.map((s) => s.source),
  quotes: sources.map((s) => s.quote),
});

interface RelRow {
  id: string;
  from: string;
  to: string;
  props: Record<string, unknown>;
}

/** The nodes (by label) and relationships validated seed data becomes, with their stable ids. */
export function planSeed(data: SeedData) {
  const nodes = new Map<EntityLabel, Array<{ id: string; props: Record<string, unknown> }>>();
  const labelOf = new Map<string, EntityLabel>();
  const addNode = (label: EntityLabel, id: string, props: Record<string, unknown>) => {
    labelOf.set(id, label);
    nodes.set(label, [...(nodes.get(label) ?? []), { id, props: { ...props, id } }]);
  };
  const naming = (e: { name: string; aliases: string[] }) => ({
    name: e.name,
    aliases: e.aliases,
    normName: normalizeName(e.name),
    normNames: normalizedNames(e.name, e.aliases),
    searchText: searchText(e.name, e.aliases),
  });
  const rels: Array<{ type: RelType } & RelRow> = [];
  const addRel = (type: RelType, from: string, to: string, props: Record<string, unknown>, key?: string) =>
    rels.push({
      type,
      from,
      to,
      id: relationshipId({ from, type, to, key }),
      props: { ...props, id: relationshipId({ from, type, to, key }) },
    });

  for (const s of data.sources) addNode('Source', s.id, { ...s });
  for (const p of data.places) {
    const { sources, in: parent, aliases: _a, ...rest } = p;
    addNode('Place', p.id, { ...rest, ...naming(p), ...provenance(sources) });
    if (parent) addRel('IN', p.id, parent, provenance(sources));
  }
  for (const o of data.organizations) {
    addNode('Organization', o.id, {
      ...o,
      ...naming(o),
      orgIdentifier: canonicalOrgId(o.orgIdentifier),
      ...provenance(o.sources),
      sources: undefined,
    });
  }
  for (const p of data.people) addNode('Person', p.id, { ...p, ...naming(p), ...provenance(p.sources), sources: undefined });
  for (const n of data.networks) addNode('Network', n.id, { ...n, ...naming(n), ...provenance(n.sources), sources: undefined });
  for (const e of data.events) addNode('Event', e.id, { ...e, ...naming(e), ...provenance(e.sources), sources: undefined });
  for (const c of data.commitments) addNode('Commitment', c.id, { ...c, ...naming(c), ...provenance(c.sources), sources: undefined });
  for (const a of data['action-plans']) addNode('ActionPlan', a.id, { ...a, ...naming(a), ...provenance(a.sources), sources: undefined });
  for (const i of data.initiatives) {
    addNode('Initiative', i.id, {
      ...i,
      ...naming(i),
      ...provenance(i.sources),
      sources: undefined,
      figures: i.figures ? JSON.stringify(i.figures) : undefined,
    });
  }
  for (const g of data.grants) {
    const { results, value, sources, ...rest } = g;
    addNode('Grant', g.id, { ...rest, ...naming(g), amount: value.amount, currency: value.currency, ...provenance(sources) });
    for (const r of results) {
      addNode('Result', r.id, { ...r, ...provenance(r.sources), sources: undefined, grantId: g.id });
      addRel('HAS_RESULT', g.id, r.id, provenance(r.sources));
    }
  }
  for (const f of data.flags) {
    const { documentSays, factIs, concerns, ...rest } = f;
    addNode('DataQualityFlag', f.id, {
      ...rest,
      documentSays: documentSays.text,
      documentSourceId: documentSays.source,
      documentQuote: documentSays.quote,
      factIs: factIs.text,
      factSourceId: factIs.source,
      factQuote: factIs.quote,
      sourceIds: [documentSays.source, factIs.source],
      quotes: [documentSays.quote, factIs.quote],
    });
    for (const id of concerns) addRel('FLAGS', f.id, id, { sourceIds: [documentSays.source], quotes: [documentSays.quote] });
  }
  for (const r of data.relationships) addRel(r.type, r.from, r.to, { ...r.props, ...provenance(r.sources) }, r.key);
  return { nodes, rels, labelOf };
}

const SEED_TIMEOUT_MS = 120_000;

/** A row's citations travel beside its other properties, so they can be merged rather than overwritten. */
const withCitationsApart = <R extends { props: Record<string, unknown> }>(row: R) => {
  const { sourceIds, quotes, ...props } = row.props;
  return { ...row, props, sourceIds: sourceIds ?? null, quotes: quotes ?? null };
};

/**
 * The seed's citations replace those it gave before, and citations by other sources (an OGP export citing a founding
 * membership too) stay after them: reloading the seed takes nothing away that an import added.
 */
const keepForeignCitations = (v: string): string => `
WITH ${v}, row, ${citationsNotFrom(v, '$seedSources')} AS foreign
SET ${v}.quotes = CASE WHEN row.sourceIds IS NULL THEN ${v}.quotes ELSE row.quotes + [i IN foreign | ${v}.quotes[i]] END,
    ${v}.sourceIds = CASE WHEN row.sourceIds IS NULL THEN ${v}.sourceIds ELSE row.sourceIds + [i IN foreign | ${v}.sourceIds[i]] END`;

const MERGED_SEED_ENTITIES = `
UNWIND $ids AS id MATCH (:Merged {id: id})-[:MERGED_INTO*1..10]->(canonical) WHERE NOT canonical:Merged
RETURN id, canonical.id AS canonical`;

/** Writes validated seed data in ONE write transaction: MERGE on stable ids, so a second run changes nothing. */
export async function seed(db: Database, data: SeedData): Promise<SeedReport> {
  const { nodes, rels, labelOf } = planSeed(data);
  const seedSources = data.sources.map((s) => s.id);
  return db.write(
    async (tx) => {
      let nodesCreated = 0;
      let relationshipsCreated = 0;
      // An entity a curator merged into another is not written again (that would split the merge): its relationships
      // are written to the entity it was merged into.
      const mergedInto = new Map(
        (await db.run(tx, MERGED_SEED_ENTITIES, { ids: [...labelOf.keys()] }, 'WRITE')).records.map((r) => [
          r.get('id') as string,
          r.get('canonical') as string,
        ]),
      );
      for (const [label, rows] of nodes) {
        if (!ENTITY_LABELS.includes(label)) throw new Error(`unknown label ${label}`);
        const result = await db.run(
          tx,
          `UNWIND $rows AS row MERGE (n:${label} {id: row.id}) SET n += row.props ${keepForeignCitations('n')}`,
          {
            rows: rows
              .filter((row) => !mergedInto.has(row.id))
              .map(stripUndefined)
              .map(withCitationsApart),
            seedSources,
          },
          'WRITE',
        );
        nodesCreated += result.summary.counters.updates().nodesCreated;
      }
      // Group by (type, from label, to label) so every MATCH uses the id constraint's index.
      const groups = new Map<string, RelRow[]>();
      for (const rel of rels) {
        const key = `${rel.type}:${labelOf.get(rel.from)}:${labelOf.get(rel.to)}`;
        groups.set(key, [...(groups.get(key) ?? []), rel]);
      }
      for (const [key, rows] of groups) {
        const [type, fromLabel, toLabel] = key.split(':');
        const cypher =
          `UNWIND $rows AS row MATCH (a:${fromLabel} {id: row.from}) MATCH (b:${toLabel} {id: row.to}) ` +
          `MERGE (a)-[r:${type} {id: row.id}]->(b) SET r += row.props ${keepForeignCitations('r')}`;
        const redirected = rows.map((r) => ({ ...r, from: mergedInto.get(r.from) ?? r.from, to: mergedInto.get(r.to) ?? r.to }));
        const result = await db.run(
          tx,
          cypher,
          { rows: redirected.map((r) => withCitationsApart({ ...r, props: stripUndefined(r.props) })), seedSources },
          'WRITE',
        );
        relationshipsCreated += result.summary.counters.updates().relationshipsCreated;
      }
      await recordGraphChange(db, tx, labelOf.keys());
      return { nodesCreated, relationshipsCreated, entities: labelOf.size, relationships: rels.length };
      // About 60 statements, one per label and relationship group, each planned on first use: 10-15 s on a cold
      // Neo4j here, which the general query timeout (NEO4J_TX_TIMEOUT_MS, 15 s) would cut on a slower machine.
    },
    { timeoutMs: Math.max(db.transactionTimeoutMs, SEED_TIMEOUT_MS) },
  );
}

/** Neo4j rejects maps with undefined values and nested maps in properties: keep only storable values. */
function stripUndefined<T extends Record<string, unknown>>(row: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === undefined) continue;
    out[key] = value && typeof value === 'object' && !Array.isArray(value) ? stripUndefined(value as Record<string, unknown>) : value;
  }
  return out as T;
}

/** Validates and loads the seed data files; nothing is written when any file is invalid. */
export async function seedFromFiles(db: Database, dir: string = SEED_DIR): Promise<SeedReport> {
  return seed(db, readSeedData(dir));
}

/** True when the graph holds no seeded entity yet (npm start seeds only then). */
export async function isEmpty(db: Database): Promise<boolean> {
  const [row] = await db.readRows<{ n: number }>('MATCH (s:Source) RETURN count(s) AS n');
  return (row?.n ?? 0) === 0;
}
