import { createReadStream, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parse } from 'csv-parse';
import type { Database } from '../../services/shared/database';
import { recordGraphChange } from '../../services/shared/graph-changes';
import { slugify } from '../../services/shared/curation';
import { normalizedNames, normalizeName, searchText } from '../../services/shared/text';
import { namePhrase, organizationLookup } from '../shared/organizations';
import type { ImportProgress, ProgressListener } from '../shared/progress';
import { ImportFileError } from '../shared/decode';
import type { Rejection } from '../iati/map';
import { extractInstitutions, redactContacts } from './institutions';

/** OGP's sentinels for "no value": they become missing values, never strings. */
const SENTINELS = new Set(['', 'ND', 'NA', 'NR', 'N/A', 'n/a']);
const value = (raw: string | undefined): string | null => (raw === undefined || SENTINELS.has(raw.trim()) ? null : raw.trim());

/** Columns that hold 0/1 policy-area flags in the export (everything between these two, inclusive). */
const FIRST_TAG = 'Anti-Corruption and Integrity';
const LAST_TAG = 'Money in Politics';

export interface OgpReport {
  file: string;
  rows: number;
  commitments: number;
  actionPlans: number;
  institutions: number;
  rejections: Rejection[];
  seconds: number;
}

function usDate(raw: string | null): string | null {
  const m = raw ? /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw) : null;
  return m ? `${m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}` : null;
}

/** Institutions join existing organizations by folded name, then any alias (the export has no identifiers). */
const LOOKUP = { aliases: true } as const;

const FIND_PLACES = `
UNWIND $names AS n
OPTIONAL MATCH (candidate:Place {normName: n.norm}) WHERE candidate.kind IN n.kinds
WITH n, min(candidate.id) AS p
CALL {
  WITH n, p WITH n WHERE p IS NULL
  CALL db.index.fulltext.queryNodes('entity_names', n.phrase) YIELD node
  WITH n, node WHERE node:Place AND node.kind IN n.kinds AND n.norm IN coalesce(node.normNames, [])
  RETURN min(node.id) AS aliasMatch
  UNION
  WITH n, p WITH n WHERE p IS NOT NULL RETURN null AS aliasMatch
}
RETURN n.norm AS norm, coalesce(p, aliasMatch) AS id`;

const WRITE = `
MERGE (s:Source {id: $source.id}) SET s += $source
WITH s
UNWIND $places AS pl
MERGE (p:Place {id: pl.id})
ON CREATE SET p.name = pl.name, p.kind = pl.kind, p.aliases = [], p.normName = pl.norm, p.normNames = [pl.norm], p.searchText = pl.name,
              p.iso3 = pl.iso3, p.sourceIds = [$source.id], p.quotes = [pl.quote]
FOREACH (_ IN CASE WHEN pl.parentId IS NULL THEN [] ELSE [1] END |
  MERGE (parent:Place {id: pl.parentId})
  ON CREATE SET parent.name = pl.parentName, parent.kind = 'country', parent.aliases = [], parent.normName = pl.parentNorm,
                parent.normNames = [pl.parentNorm], parent.searchText = pl.parentName, parent.sourceIds = [$source.id], parent.quotes = [pl.quote]
  MERGE (p)-[i:IN {id: pl.id + '|IN|' + pl.parentId}]->(parent) ON CREATE SET i.sourceIds = [$source.id], i.quotes = [pl.quote])
WITH count(*) AS _
UNWIND $orgs AS o
MERGE (n:Organization {id: o.id})
ON CREATE SET n += o.props, n.sourceIds = [$source.id], n.quotes = [o.quote]
WITH count(*) AS _
UNWIND $plans AS ap
MERGE (plan:ActionPlan {id: ap.id}) SET plan += ap.props, plan.sourceIds = [$source.id], plan.quotes = [ap.quote]
WITH plan, ap
MATCH (member:Organization {id: ap.memberId}) MATCH (place:Place {id: ap.placeId})
MERGE (member)-[a:ADOPTED {id: ap.memberId + '|ADOPTED|' + ap.id}]->(plan) SET a.sourceIds = [$source.id], a.quotes = [ap.quote]
MERGE (plan)-[po:PLAN_OF {id: ap.id + '|PLAN_OF|' + ap.placeId}]->(place) SET po.sourceIds = [$source.id], po.quotes = [ap.quote]
MERGE (member)-[g:GOVERNS {id: ap.memberId + '|GOVERNS|' + ap.placeId}]->(place) ON CREATE SET g.sourceIds = [$source.id], g.quotes = [ap.quote]
WITH count(*) AS _
UNWIND $commitments AS c
MERGE (n:Commitment {id: c.id}) SET n += c.props, n.sourceIds = [$source.id], n.quotes = [c.quote]
WITH n, c
MATCH (plan:ActionPlan {id: c.planId})
MERGE (n)-[ip:IN_PLAN {id: c.id + '|IN_PLAN|' + c.planId}]->(plan) SET ip.sourceIds = [$source.id], ip.quotes = [c.quote]
WITH n, c
// A re-import replaces the institutions this export gave the commitment (names may now match other entities).
CALL { WITH n OPTIONAL MATCH (:Organization)-[old:MADE_COMMITMENT]->(n) WHERE $source.id IN old.sourceIds DELETE old }
WITH n, c
UNWIND c.institutions AS inst
MATCH (o:Organization {id: inst.orgId})
MERGE (o)-[m:MADE_COMMITMENT {id: inst.orgId + '|MADE_COMMITMENT|' + c.id + '|' + inst.role}]->(n)
SET m.role = inst.role, m.rawText = inst.rawText, m.confidence = inst.confidence, m.sourceIds = [$source.id], m.quotes = [c.quote]`;

/**
 * Imports OGP's public commitments export (CSV): commitments in action plans made by members (national
 * governments, or local ones placed in the Place hierarchy), with assessments, policy-area tags, and the lead and
 * supporting institutions split out of free text. Members, places and institutions join existing entities by
 * name or alias, accents and case folded. The whole file is one transaction; a re-import changes nothing.
 */
export async function importOgpCommitments(db: Database, file: string, options: { onProgress?: ProgressListener } = {}): Promise<OgpReport> {
  const started = Date.now();
  const path = resolve(file);
  const report = (stage: ImportProgress['stage'], done: number) => options.onProgress?.({ file: path, stage, done, unit: 'rows' });
  if (!statSync(path).isFile()) throw new ImportFileError(path, 'not a file');
  const rows: Array<Record<string, string>> = [];
  try {
    for await (const record of createReadStream(path).pipe(parse({ columns: true, bom: true, relax_column_count: false }))) {
      rows.push(record as Record<string, string>);
      if (rows.length % 200 === 0) report('reading', rows.length);
    }
  } catch (error) {
    throw new ImportFileError(path, `not a well-formed CSV (${(error as Error).message})`);
  }
  if (rows.length > 0 && !('Commitment Unique Identifier' in rows[0]!)) throw new ImportFileError(path, 'not an OGP commitments export (no "Commitment Unique Identifier" column)');
  const header = Object.keys(rows[0] ?? {});
  const tagColumns = header.slice(header.indexOf(FIRST_TAG), header.indexOf(LAST_TAG) + 1);
  const source = { id: `src-ogp-${slugify(basename(path))}`, title: basename(path), file: path, kind: 'ogp_export', language: 'en' };
  const rejections: Rejection[] = [];
  const seen = new Set<string>();
  const valid = rows.map((row, i) => ({ row, line: i + 2 })).filter(({ row, line }) => {
    const id = value(row['Commitment Unique Identifier']);
    const reject = (identifier: string, reason: string) => {
      rejections.push({ file: path, line, identifier, reason });
      return false;
    };
    if (!id) return reject('', 'row has no Commitment Unique Identifier');
    if (seen.has(id)) return reject(id, 'duplicate Commitment Unique Identifier');
    if (!value(row['Action Plan ID'])) return reject(id, 'row has no Action Plan ID');
    seen.add(id);
    return true;
  });

  // Members and their places: "Buenos Aires, Argentina" is a local member in a country; "Ghana" a national one.
  const memberOf = (row: Record<string, string>) => {
    const locality = row['Country/Locality']!.trim();
    const local = row['National Or Local'] !== 'National' && locality.includes(',');
    const [placeName, countryName] = local ? locality.split(',').map((s) => s.trim()) as [string, string] : [locality, undefined];
    return { local, placeName, countryName, code: row.Code!.trim(), governmentName: local ? `Government of ${placeName}` : `Government of ${placeName}` };
  };
  /**
   * "ACIJ (Civil Association for Equality and Justice)" is also looked up by either side of the brackets, but only
   * a side of three words or more: acronyms are ambiguous (the CAF of Kenya's county assemblies is not the bank).
   */
  const variants = (name: string) => {
    const m = /^(.*?)\s*\(([^)]+)\)\s*$/.exec(name);
    return [name, ...(m ? [m[1]!, m[2]!].filter((v) => v.trim().split(/\s+/).length >= 3) : [])];
  };
  const placeNames = new Map<string, { name: string; kinds: string[] }>();
  const orgNames = new Map<string, string>();
  for (const { row } of valid) {
    const m = memberOf(row);
    placeNames.set(normalizeName(m.placeName), { name: m.placeName, kinds: m.local ? ['city', 'state', 'region'] : ['country'] });
    if (m.countryName) placeNames.set(normalizeName(m.countryName), { name: m.countryName, kinds: ['country'] });
    for (const candidate of [m.governmentName, m.local ? `Municipal Government of ${m.placeName}` : `Government of ${m.placeName}`]) orgNames.set(normalizeName(candidate), candidate);
    for (const column of ['Lead Institution', 'Supporting Institution(s)']) {
      for (const inst of extractInstitutions(row[column] ?? '')) for (const v of variants(inst.name)) orgNames.set(normalizeName(v), v);
    }
  }
  report('matching', rows.length);
  const existingPlaces = new Map((await db.readRows<{ norm: string; id: string | null }>(FIND_PLACES, { names: [...placeNames].map(([norm, p]) => ({ norm, kinds: p.kinds, phrase: namePhrase(norm) })) })).map((r) => [r.norm, r.id]));
  const lookup = organizationLookup([...orgNames].map(([norm, name]) => ({ key: norm, name })), LOOKUP);
  const existingOrgs = new Map((await db.readRows<{ key: string; id: string | null }>(lookup.cypher, lookup.params)).map((r) => [r.key, r.id]));

  const placeId = (name: string) => existingPlaces.get(normalizeName(name)) ?? `ogp-place-${slugify(name)}`;
  const orgId = (name: string) => variants(name).map((v) => existingOrgs.get(normalizeName(v))).find(Boolean) ?? `ogp-org-${slugify(name)}`;
  const places = new Map<string, unknown>();
  const orgs = new Map<string, unknown>();
  const plans = new Map<string, unknown>();
  const newOrg = (name: string, kind: string, level: string | null, quote: string) => {
    const id = orgId(name);
    if (!orgs.has(id)) orgs.set(id, { id, quote, props: { name, kind, ...(level ? { level } : {}), aliases: [], normName: normalizeName(name), normNames: normalizedNames(name, []), searchText: searchText(name, []) } });
    return id;
  };
  const kindOf = (name: string) => (/minist|ministerio|department|secretar|agency|office|parliament|assembly|congress|senate|chamber|c[aá]mara|council|government|gobierno|commission|court|tribunal|municipal|president|cabinet|audit|authority|national|state/i.test(name) ? 'government' : 'civil_society');

  const commitments = valid.map(({ row, line }) => {
    const id = value(row['Commitment Unique Identifier'])!;
    const quote = `row ${line}: ${id}`;
    const m = memberOf(row);
    // Prefer an existing government entity under either name (e.g. the seed's "Municipal Government of Buenos Aires").
    const governmentName = existingOrgs.get(normalizeName(`Municipal Government of ${m.placeName}`)) ? `Municipal Government of ${m.placeName}` : m.governmentName;
    const pId = placeId(m.placeName);
    places.set(pId, { id: pId, name: m.placeName, kind: m.local ? 'state' : 'country', norm: normalizeName(m.placeName), iso3: m.local ? null : m.code, quote,
      parentId: m.countryName ? placeId(m.countryName) : null, parentName: m.countryName ?? null, parentNorm: m.countryName ? normalizeName(m.countryName) : null });
    const memberId = newOrg(governmentName, 'government', m.local ? 'state' : 'national', quote);
    const planId = `ogp-${slugify(row['Action Plan ID']!)}`;
    const start = Number(value(row['Year Of Submission'])) || null;
    const end = Number(value(row['Action Plan End Year'])) || null;
    plans.set(planId, { id: planId, memberId, placeId: pId, quote, props: {
      name: `${row['Country/Locality']!.trim()} action plan ${row['Action Plan Number'] ?? ''}${start ? ` (${start}${end ? `-${end}` : ''})` : ''}`.trim(),
      aliases: [row['Action Plan ID']!.trim()], ogpPlanId: row['Action Plan ID']!.trim(), number: Number(value(row['Action Plan Number'])) || null,
      startYear: start, endYear: end, level: m.local ? 'state' : 'national', ogp: true } });
    const institutions = (['Lead Institution', 'Supporting Institution(s)'] as const).flatMap((column) => {
      const raw = row[column] ?? '';
      return extractInstitutions(raw).map((inst) => ({
        orgId: newOrg(inst.name, kindOf(inst.name), null, quote), role: column === 'Lead Institution' ? 'lead' : 'supporting',
        rawText: redactContacts(raw).slice(0, 2000), confidence: inst.confidence,
      }));
    });
    const title = value(row['Commitment Title']) ?? id;
    return { id: `ogp-commitment-${slugify(id)}`, planId, quote, institutions, props: {
      name: title, aliases: [id, ...(value(row['Short Title']) ? [row['Short Title']!.trim()] : [])], normName: normalizeName(title),
      normNames: normalizedNames(title, [id]), searchText: searchText(title, [id]), ogpId: id, number: value(row['Commitment Number']),
      theme: value(row.Theme), description: value(row['Full Text'])?.slice(0, 4000) ?? null, startDate: usDate(value(row['Start Date'])), endDate: usDate(value(row['End Date'])),
      tags: tagColumns.filter((c) => row[c]?.trim() === '1'),
      specificity: value(row.Specificity), potentialImpact: value(row['Potential Impact']),
      completionMidterm: value(row['Completion (Progress Report)']), completionEndOfTerm: value(row['Completion (End Of Term)']),
      didItOpenGovernment: value(row['Did It Open Government (Overall)']), starred: value(row['Starred (Current Formula) End of Term']) === '1' ? true : value(row['Starred (Current Formula) End of Term']) === '0' ? false : null,
      url: value(row.URL) } };
  });
  // Existing organizations keep their own properties: only new ones (ogp-org-*) are written.
  const newOrgs = [...orgs.values()].filter((o) => (o as { id: string }).id.startsWith('ogp-org-'));
  report('writing', rows.length);
  const touched = [
    ...[...places.values()].map((p) => (p as { id: string }).id), ...[...orgs.values()].map((o) => (o as { id: string }).id),
    ...[...plans.values()].flatMap((p) => [(p as { id: string }).id, (p as { memberId: string }).memberId]),
    ...commitments.flatMap((c) => [c.id, ...c.institutions.map((i) => (i as { orgId: string }).orgId)]),
  ];
  await db.write(async (tx) => {
    await db.run(tx, WRITE, { source, places: [...places.values()], orgs: newOrgs, plans: [...plans.values()], commitments }, 'WRITE');
    await recordGraphChange(db, tx, touched);
  });
  report('done', rows.length);
  return {
    file: path, rows: rows.length, commitments: commitments.length, actionPlans: plans.size,
    institutions: new Set(commitments.flatMap((c) => c.institutions.map((i) => i.orgId))).size, rejections, seconds: (Date.now() - started) / 1000,
  };
}
