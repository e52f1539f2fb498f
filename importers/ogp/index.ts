import { createReadStream, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parse } from 'csv-parse';
import type { Database } from '../../services/shared/database';
import { withImportTracking, type ImportTracker } from '../../services/shared/import-activity';
import { citationsNotFrom, mergeCitation } from '../../services/shared/cypher';
import { recordGraphChange } from '../../services/shared/graph-changes';
import { namingProps, slugify } from '../../services/shared/curation';
import { normalizedNames, normalizeName, searchText } from '../../services/shared/text';
import { namePhrase, organizationLookup } from '../shared/organizations';
import type { ImportProgress, ProgressListener } from '../shared/progress';
import { contentHash } from '../shared/content-hash';
import { ImportFileError } from '../shared/decode';
import type { Rejection } from '../iati/map';
import { extractInstitutions, isVagueInstitution, redactContacts } from './institutions';

/** OGP's sentinels for "no value": they become missing values, never strings. */
const SENTINELS = new Set(['', 'ND', 'NA', 'NR', 'N/A', 'n/a']);
const value = (raw: string | undefined): string | null => (raw === undefined || SENTINELS.has(raw.trim()) ? null : raw.trim());

/** Columns that hold 0/1 policy-area flags in the export (everything between these two, inclusive). */
const FIRST_TAG = 'Anti-Corruption and Integrity';
const LAST_TAG = 'Money in Politics';

/** What one import did to one kind of fact: new, changed, or already there as the file states it. */
export interface ChangeCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface OgpReport {
  file: string;
  rows: number;
  commitments: number;
  actionPlans: number;
  institutions: number;
  /** Memberships of the Open Government Partnership (national members) and of OGP Local (local members). */
  memberships: ChangeCounts;
  /** By what the file states: an action plan or commitment another file (or an earlier run) stated the same way is unchanged. */
  changes: { actionPlans: ChangeCounts; commitments: ChangeCounts };
  /** Members the export marks neither national nor local (e.g. "Other"): their plans are kept, no membership is inferred. */
  unclassifiedMembers: string[];
  rejections: Rejection[];
  seconds: number;
}

/** The networks an export's members belong to; created (minimal) when the seed has not made them. */
const OGP_NETWORKS = {
  national: { id: 'open-government-partnership', name: 'Open Government Partnership', kind: 'partnership', aliases: ['OGP'] },
  local: { id: 'ogp-local', name: 'OGP Local', kind: 'programme', aliases: [] as string[] },
} as const;

const EXISTING_CONTENT = `
CALL {
  UNWIND $plans AS id MATCH (n:ActionPlan {id: id}) RETURN n.id AS id, n.contentHash AS hash
  UNION ALL
  UNWIND $commitments AS id MATCH (n:Commitment {id: id}) RETURN n.id AS id, n.contentHash AS hash
}
RETURN id, hash`;

const GOVERNORS = `
UNWIND $placeIds AS placeId
MATCH (g:Organization)-[:GOVERNS]->(:Place {id: placeId}) WHERE g.kind = 'government'
RETURN placeId, min(g.id) AS governorId`;

/** A member's membership of its network, if it has one already (the seed's founding governments do). */
const EXISTING_MEMBERSHIPS = `
UNWIND $memberships AS ms
MATCH (:Organization {id: ms.memberId})-[r:MEMBER_OF]->(:Network {id: ms.networkId})
WITH ms, r ORDER BY r.id
WITH ms, collect(r)[0] AS r
RETURN ms.memberId AS memberId, r.id AS id, r.since AS since, r.actionPlanYears AS years, r.sourceIds AS sourceIds`;

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
MERGE (plan:ActionPlan {id: ap.id}) SET plan += ap.props, ${mergeCitation('plan', '$source.id', 'ap.quote')}
WITH plan, ap
MATCH (member:Organization {id: ap.memberId}) MATCH (place:Place {id: ap.placeId})
MERGE (member)-[a:ADOPTED {id: ap.memberId + '|ADOPTED|' + ap.id}]->(plan) SET ${mergeCitation('a', '$source.id', 'ap.quote')}
MERGE (plan)-[po:PLAN_OF {id: ap.id + '|PLAN_OF|' + ap.placeId}]->(place) SET ${mergeCitation('po', '$source.id', 'ap.quote')}
MERGE (member)-[g:GOVERNS {id: ap.memberId + '|GOVERNS|' + ap.placeId}]->(place) ON CREATE SET g.sourceIds = [$source.id], g.quotes = [ap.quote]
WITH count(*) AS _
UNWIND $commitments AS c
MERGE (n:Commitment {id: c.id}) SET n += c.props, ${mergeCitation('n', '$source.id', 'c.quote')}
WITH n, c
MATCH (plan:ActionPlan {id: c.planId})
MERGE (n)-[ip:IN_PLAN {id: c.id + '|IN_PLAN|' + c.planId}]->(plan) SET ${mergeCitation('ip', '$source.id', 'c.quote')}
WITH n, c
// A re-import replaces the institutions this export gave the commitment (names may now match other entities):
// this file's citation leaves them, and one no other file cites goes.
CALL {
  WITH n MATCH (:Organization)-[old:MADE_COMMITMENT]->(n) WHERE $source.id IN old.sourceIds
  WITH old, ${citationsNotFrom('old', '[$source.id]')} AS kept
  SET old.quotes = [i IN kept | old.quotes[i]], old.sourceIds = [i IN kept | old.sourceIds[i]]
  WITH old WHERE size(old.sourceIds) = 0 DELETE old
}
WITH n, c
CALL {
  WITH n, c
  UNWIND c.institutions AS inst
  MATCH (o:Organization {id: inst.orgId})
  MERGE (o)-[m:MADE_COMMITMENT {id: inst.orgId + '|MADE_COMMITMENT|' + c.id + '|' + inst.role}]->(n)
  SET m.role = inst.role, m.rawText = inst.rawText, m.confidence = inst.confidence, ${mergeCitation('m', '$source.id', 'c.quote')}
}
WITH count(*) AS _
// Memberships last, once every plan is in: a member's years are those of all its OGP plans, whichever file gave them.
UNWIND $memberships AS ms
MERGE (net:Network {id: ms.networkId})
ON CREATE SET net += ms.network, net.sourceIds = [$source.id], net.quotes = [ms.quote]
WITH ms, net
MATCH (member:Organization {id: ms.memberId})
MERGE (member)-[r:MEMBER_OF {id: ms.relId}]->(net)
ON CREATE SET r.role = 'member', r.status = 'active'
WITH ms, r, member
CALL {
  WITH ms, member
  OPTIONAL MATCH (member)-[:ADOPTED]->(p:ActionPlan) WHERE p.ogpPlanId IS NOT NULL AND p.level = ms.level AND p.startYear IS NOT NULL
  WITH p.startYear AS year ORDER BY year
  RETURN [y IN collect(DISTINCT year) WHERE y IS NOT NULL] AS years
}
SET r.actionPlanYears = years,
    r.since = CASE WHEN size(years) > 0 AND (r.since IS NULL OR toString(toInteger(years[0])) < r.since) THEN toString(toInteger(years[0])) ELSE r.since END,
    ${mergeCitation('r', '$source.id', 'ms.quote')}
RETURN ms.memberId AS memberId, r.id AS id, r.since AS since, r.actionPlanYears AS years`;

/**
 * Imports OGP's public commitments export (CSV): commitments in action plans made by members (national
 * governments, or local ones placed in the Place hierarchy), with assessments, policy-area tags, and the lead and
 * supporting institutions split out of free text. Members, places and institutions join existing entities by
 * name or alias, accents and case folded. The whole file is one transaction; a re-import changes nothing.
 */
export function importOgpCommitments(db: Database, file: string, options: { onProgress?: ProgressListener } = {}): Promise<OgpReport> {
  return withImportTracking('ogp', resolve(file), 'rows', (tracked) => importOgpCommitmentsTracked(db, file, options, tracked));
}

async function importOgpCommitmentsTracked(
  db: Database,
  file: string,
  options: { onProgress?: ProgressListener },
  tracked: ImportTracker,
): Promise<OgpReport> {
  const started = Date.now();
  const path = resolve(file);
  const report = (stage: ImportProgress['stage'], done: number) => {
    tracked.update(stage, done);
    options.onProgress?.({ file: path, stage, done, unit: 'rows' });
  };
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
  if (rows.length > 0 && !('Commitment Unique Identifier' in rows[0]!))
    throw new ImportFileError(path, 'not an OGP commitments export (no "Commitment Unique Identifier" column)');
  const header = Object.keys(rows[0] ?? {});
  const tagColumns = header.slice(header.indexOf(FIRST_TAG), header.indexOf(LAST_TAG) + 1);
  const source = { id: `src-ogp-${slugify(basename(path))}`, title: basename(path), file: path, kind: 'ogp_export', language: 'en' };
  const rejections: Rejection[] = [];
  const seen = new Set<string>();
  const valid = rows
    .map((row, i) => ({ row, line: i + 2 }))
    .filter(({ row, line }) => {
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
    const [placeName, countryName] = local ? (locality.split(',').map((s) => s.trim()) as [string, string]) : [locality, undefined];
    return {
      local,
      placeName,
      countryName,
      code: row.Code!.trim(),
      governmentName: local ? `Government of ${placeName}` : `Government of ${placeName}`,
    };
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
    for (const candidate of [m.governmentName, m.local ? `Municipal Government of ${m.placeName}` : `Government of ${m.placeName}`])
      orgNames.set(normalizeName(candidate), candidate);
    for (const column of ['Lead Institution', 'Supporting Institution(s)']) {
      for (const inst of extractInstitutions(row[column] ?? '')) for (const v of variants(inst.name)) orgNames.set(normalizeName(v), v);
    }
  }
  report('matching', rows.length);
  const existingPlaces = new Map(
    (
      await db.readRows<{ norm: string; id: string | null }>(FIND_PLACES, {
        names: [...placeNames].map(([norm, p]) => ({ norm, kinds: p.kinds, phrase: namePhrase(norm) })),
      })
    ).map((r) => [r.norm, r.id]),
  );
  const lookup = organizationLookup(
    [...orgNames].map(([norm, name]) => ({ key: norm, name })),
    LOOKUP,
  );
  const existingOrgs = new Map(
    (await db.readRows<{ key: string; id: string | null }>(lookup.cypher, lookup.params)).map((r) => [r.key, r.id]),
  );

  const placeId = (name: string) => existingPlaces.get(normalizeName(name)) ?? `ogp-place-${slugify(name)}`;
  // A member is the government of its place: the one the graph already knows governs it, whatever its name says
  // ("Government of the Philippines"), before any name lookup.
  const governors = new Map(
    (
      await db.readRows<{ placeId: string; governorId: string }>(GOVERNORS, {
        placeIds: [...new Set(valid.map(({ row }) => placeId(memberOf(row).placeName)))],
      })
    ).map((r) => [r.placeId, r.governorId]),
  );
  const orgId = (name: string) =>
    variants(name)
      .map((v) => existingOrgs.get(normalizeName(v)))
      .find(Boolean) ?? `ogp-org-${slugify(name)}`;
  const places = new Map<string, unknown>();
  const orgs = new Map<string, unknown>();
  const plans = new Map<string, { id: string; memberId: string; placeId: string; quote: string; props: Record<string, unknown> }>();
  /** Per member: its network, level, and the first row of each of its plans (the membership's provenance). */
  const members = new Map<string, { memberId: string; network: keyof typeof OGP_NETWORKS; level: string; planRows: Map<string, string> }>();
  const unclassified = new Set<string>();
  const newOrg = (name: string, kind: string, level: string | null, quote: string) => {
    const id = orgId(name);
    if (!orgs.has(id))
      orgs.set(id, {
        id,
        quote,
        props: {
          name,
          kind,
          ...(level ? { level } : {}),
          aliases: [],
          normName: normalizeName(name),
          normNames: normalizedNames(name, []),
          searchText: searchText(name, []),
        },
      });
    return id;
  };
  const kindOf = (name: string) =>
    /minist|ministerio|department|secretar|agency|office|parliament|assembly|congress|senate|chamber|c[aá]mara|council|government|gobierno|commission|court|tribunal|municipal|president|cabinet|audit|authority|national|state/i.test(
      name,
    )
      ? 'government'
      : 'civil_society';

  const commitments = valid.map(({ row, line }) => {
    const id = value(row['Commitment Unique Identifier'])!;
    const quote = `row ${line}: ${id}`;
    const m = memberOf(row);
    // Prefer an existing government entity under either name (e.g. the seed's "Municipal Government of Buenos Aires").
    const governmentName = existingOrgs.get(normalizeName(`Municipal Government of ${m.placeName}`))
      ? `Municipal Government of ${m.placeName}`
      : m.governmentName;
    const pId = placeId(m.placeName);
    places.set(pId, {
      id: pId,
      name: m.placeName,
      kind: m.local ? 'state' : 'country',
      norm: normalizeName(m.placeName),
      iso3: m.local ? null : m.code,
      quote,
      parentId: m.countryName ? placeId(m.countryName) : null,
      parentName: m.countryName ?? null,
      parentNorm: m.countryName ? normalizeName(m.countryName) : null,
    });
    const memberId = governors.get(pId) ?? newOrg(governmentName, 'government', m.local ? 'state' : 'national', quote);
    const planId = `ogp-${slugify(row['Action Plan ID']!)}`;
    const start = Number(value(row['Year Of Submission'])) || null;
    const end = Number(value(row['Action Plan End Year'])) || null;
    const network = m.local ? 'local' : row['National Or Local']?.trim() === 'National' ? 'national' : undefined;
    if (!network) unclassified.add(row['Country/Locality']!.trim());
    else {
      const member = members.get(memberId) ?? { memberId, network, level: m.local ? 'state' : 'national', planRows: new Map() };
      if (!member.planRows.has(planId))
        member.planRows.set(planId, `row ${line}: ${row['Action Plan ID']!.trim()}${start ? ` (${start})` : ''}`);
      members.set(memberId, member);
    }
    if (!plans.has(planId))
      plans.set(planId, {
        id: planId,
        memberId,
        placeId: pId,
        quote,
        props: {
          name: `${row['Country/Locality']!.trim()} action plan ${row['Action Plan Number'] ?? ''}${start ? ` (${start}${end ? `-${end}` : ''})` : ''}`.trim(),
          aliases: [row['Action Plan ID']!.trim()],
          ogpPlanId: row['Action Plan ID']!.trim(),
          number: Number(value(row['Action Plan Number'])) || null,
          startYear: start,
          endYear: end,
          level: m.local ? 'state' : 'national',
          ogp: true,
        },
      });
    // A vague institution ("civil society", "line ministries") stays text on the commitment: it names no one body.
    const named = (['Lead Institution', 'Supporting Institution(s)'] as const).flatMap((column) =>
      extractInstitutions(row[column] ?? '').map((inst) => ({
        ...inst,
        role: column === 'Lead Institution' ? 'lead' : 'supporting',
        raw: row[column] ?? '',
      })),
    );
    const institutions = named
      .filter((inst) => !isVagueInstitution(inst.name))
      .map((inst) => ({
        orgId: newOrg(inst.name, kindOf(inst.name), null, quote),
        role: inst.role,
        rawText: redactContacts(inst.raw).slice(0, 2000),
        confidence: inst.confidence,
      }));
    const institutionsAsText = named
      .filter((inst) => isVagueInstitution(inst.name))
      .map((inst) => `${inst.role}: ${redactContacts(inst.name)}`);
    const title = value(row['Commitment Title']) ?? id;
    return {
      id: `ogp-commitment-${slugify(id)}`,
      planId,
      quote,
      institutions,
      props: {
        name: title,
        aliases: [id, ...(value(row['Short Title']) ? [row['Short Title']!.trim()] : [])],
        normName: normalizeName(title),
        normNames: normalizedNames(title, [id]),
        searchText: searchText(title, [id]),
        ogpId: id,
        number: value(row['Commitment Number']),
        theme: value(row.Theme),
        description: value(row['Full Text'])?.slice(0, 4000) ?? null,
        startDate: usDate(value(row['Start Date'])),
        endDate: usDate(value(row['End Date'])),
        tags: tagColumns.filter((c) => row[c]?.trim() === '1'),
        institutionsAsText,
        specificity: value(row.Specificity),
        potentialImpact: value(row['Potential Impact']),
        completionMidterm: value(row['Completion (Progress Report)']),
        completionEndOfTerm: value(row['Completion (End Of Term)']),
        didItOpenGovernment: value(row['Did It Open Government (Overall)']),
        starred:
          value(row['Starred (Current Formula) End of Term']) === '1'
            ? true
            : value(row['Starred (Current Formula) End of Term']) === '0'
              ? false
              : null,
        url: value(row.URL),
      },
    };
  });
  // Existing organizations keep their own properties: only new ones (ogp-org-*) are written.
  const newOrgs = [...orgs.values()].filter((o) => (o as { id: string }).id.startsWith('ogp-org-'));
  // What the file states, not what its names resolved to: an organization another importer adds meanwhile may
  // change which node an institution links to, but not whether the file's commitment changed.
  for (const plan of plans.values()) plan.props.contentHash = contentHash(plan.props);
  for (const c of commitments)
    (c.props as Record<string, unknown>).contentHash = contentHash([
      c.props,
      c.planId,
      c.institutions.map(({ orgId: _resolved, ...stated }) => stated),
    ]);
  const known = new Map(
    (
      await db.readRows<{ id: string; hash: string | null }>(EXISTING_CONTENT, {
        plans: [...plans.keys()],
        commitments: commitments.map((c) => c.id),
      })
    ).map((r) => [r.id, r.hash]),
  );
  const changeCounts = (items: Array<{ id: string; props: Record<string, unknown> }>): ChangeCounts => {
    const counts = { created: 0, updated: 0, unchanged: 0 };
    for (const item of items)
      counts[!known.has(item.id) ? 'created' : known.get(item.id) === item.props.contentHash ? 'unchanged' : 'updated']++;
    return counts;
  };
  const changes = {
    actionPlans: changeCounts([...plans.values()]),
    commitments: changeCounts(commitments as Array<{ id: string; props: Record<string, unknown> }>),
  };

  const wanted = [...members.values()].map((m) => ({ memberId: m.memberId, networkId: OGP_NETWORKS[m.network].id }));
  const before = new Map(
    (
      await db.readRows<{ memberId: string; id: string; since: string | null; years: number[] | null; sourceIds: string[] }>(
        EXISTING_MEMBERSHIPS,
        { memberships: wanted },
      )
    ).map((r) => [r.memberId, r]),
  );
  const memberships = [...members.values()].map((m) => {
    const net = OGP_NETWORKS[m.network];
    const rows = [...m.planRows.values()];
    return {
      memberId: m.memberId,
      networkId: net.id,
      level: m.level,
      relId: before.get(m.memberId)?.id ?? `${m.memberId}|MEMBER_OF|${net.id}`,
      quote: `${rows.length} action plan${rows.length === 1 ? '' : 's'} in the export: ${rows.join('; ')}`,
      network: { ...namingProps(net.name, [...net.aliases]), kind: net.kind },
    };
  });
  report('writing', rows.length);
  const touched = [
    ...[...places.values()].map((p) => (p as { id: string }).id),
    ...[...orgs.values()].map((o) => (o as { id: string }).id),
    ...[...plans.values()].flatMap((p) => [p.id, p.memberId]),
    ...commitments.flatMap((c) => [c.id, ...c.institutions.map((i) => (i as { orgId: string }).orgId)]),
    ...memberships.map((m) => m.networkId),
  ];
  const after = await db.write(async (tx) => {
    const written = await db.run(
      tx,
      WRITE,
      { source, places: [...places.values()], orgs: newOrgs, plans: [...plans.values()], commitments, memberships },
      'WRITE',
    );
    await recordGraphChange(db, tx, touched);
    return written.records.map((r) => r.toObject() as { memberId: string; since: string | null; years: number[] });
  });
  const membershipCounts = { created: 0, updated: 0, unchanged: 0 };
  for (const now of after) {
    const was = before.get(now.memberId);
    membershipCounts[
      !was
        ? 'created'
        : was.sourceIds.includes(source.id) && was.since === now.since && JSON.stringify(was.years) === JSON.stringify(now.years)
          ? 'unchanged'
          : 'updated'
    ]++;
  }
  report('done', rows.length);
  return {
    file: path,
    rows: rows.length,
    commitments: commitments.length,
    actionPlans: plans.size,
    institutions: new Set(commitments.flatMap((c) => c.institutions.map((i) => i.orgId))).size,
    memberships: membershipCounts,
    changes,
    unclassifiedMembers: [...unclassified].sort(),
    rejections,
    seconds: (Date.now() - started) / 1000,
  };
}
