import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { importOgpCommitments } from '..';
import { extractInstitutions, isVagueInstitution, redactContacts } from '../institutions';
import { ImportFileError } from '../../shared/decode';
import { testDatabase } from '../../../test/support/database';
import { SHARED_DIR } from '../../../test/support/env';
import { describeWithShared } from '../../../test/support/shared-data';

const CSV = join(SHARED_DIR ?? '', 'data', 'ogp', 'open_parliament_0703.csv');
const db = testDatabase();
afterAll(() => db.close());

/** Counts computed by Python's csv module: an implementation independent of ours. */
function pythonCounts() {
  const script = `import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig')))
ids = set(r['Commitment Unique Identifier'].strip() for r in rows if r['Commitment Unique Identifier'].strip())
plans = set(r['Action Plan ID'].strip() for r in rows if r['Commitment Unique Identifier'].strip())
print(json.dumps({'commitments': len(ids), 'plans': len(plans)}))`;
  const run = spawnSync('python3', ['-c', script, CSV], { encoding: 'utf8' });
  return JSON.parse(run.stdout) as { commitments: number; plans: number };
}

/**
 * Members as OGP's export classifies them, read with Python's csv module: national members, local ones ("Local",
 * "Legacy Local"), and the eight founding governments of 2011 (OGP's own history) that the file does not list.
 */
function pythonMembers() {
  const script = `import csv, json, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding='utf-8-sig')) if r['Commitment Unique Identifier'].strip()]
national = sorted(set(r['Country/Locality'].strip() for r in rows if r['National Or Local'].strip() == 'National'))
local = sorted(set(r['Country/Locality'].strip() for r in rows if r['National Or Local'].strip() in ('Local', 'Legacy Local')))
founders = ['Brazil', 'Indonesia', 'Mexico', 'Norway', 'Philippines', 'South Africa', 'United Kingdom', 'United States']
tagged = sum(1 for r in rows if r['Open Parliaments'].strip() == '1')
print(json.dumps({'national': national, 'local': local, 'foundersAbsent': [f for f in founders if f not in national], 'openParliaments': tagged}))`;
  const run = spawnSync('python3', ['-c', script, CSV], { encoding: 'utf8' });
  return JSON.parse(run.stdout) as { national: string[]; local: string[]; foundersAbsent: string[]; openParliaments: number };
}

const SOURCE_ID = 'src-ogp-open-parliament-0703-csv';

describeWithShared('OGP commitments importer', () => {
  beforeAll(async () => {
    await importOgpCommitments(db, CSV);
  }, 60_000);

  it('imports as many commitments and action plans as the export holds', async () => {
    const expected = pythonCounts();
    const [row] = await db.readRows<{ commitments: number; plans: number }>(`
      MATCH (c:Commitment) WHERE c.ogpId IS NOT NULL WITH count(c) AS commitments
      MATCH (p:ActionPlan) WHERE p.ogpPlanId IS NOT NULL RETURN commitments, count(p) AS plans`);
    expect(row).toEqual(expected);
  });

  it('changes nothing when imported again', async () => {
    // Only what the export wrote (its Source id), so other test files writing in parallel cannot disturb it.
    const count = () =>
      db.readRows(`
      MATCH (n) WHERE 'src-ogp-open-parliament-0703-csv' IN coalesce(n.sourceIds, []) WITH count(n) AS nodes, sum(size([k IN keys(n) WHERE NOT k IN ['iatiRef', 'ocdsRef', 'orgIdentifier']])) AS props
      MATCH ()-[r]->() WHERE 'src-ogp-open-parliament-0703-csv' IN coalesce(r.sourceIds, []) RETURN nodes, props, count(r) AS rels, sum(size(keys(r))) AS relProps`);
    const before = await count();
    const progress: Array<{ stage: string; done: number }> = [];
    const report = await importOgpCommitments(db, CSV, { onProgress: ({ stage, done }) => progress.push({ stage, done }) });
    expect(await count()).toEqual(before);
    // Progress: rows counted while reading, then one report per later stage, ending at every row.
    expect([...new Set(progress.map((p) => p.stage))]).toEqual(['reading', 'matching', 'writing', 'done']);
    expect(progress.at(-1)).toEqual({ stage: 'done', done: report.rows });
    // And it says so: everything it wrote is there as the file states it.
    const expected = pythonCounts();
    expect(report.changes).toEqual({
      actionPlans: { created: 0, updated: 0, unchanged: expected.plans },
      commitments: { created: 0, updated: 0, unchanged: expected.commitments },
    });
    const members = pythonMembers();
    expect(report.memberships).toEqual({ created: 0, updated: 0, unchanged: members.national.length + members.local.length });
  });

  it('makes every national member a member of OGP and every local one a member of OGP Local, with the years of its plans', async () => {
    const expected = pythonMembers();
    const count = async (network: string) =>
      (
        await db.readRows<{ n: number }>(
          `
      MATCH (m:Organization)-[r:MEMBER_OF]->(:Network {id: $network}) WHERE $source IN r.sourceIds RETURN count(DISTINCT m) AS n`,
          { network, source: SOURCE_ID },
        )
      )[0]!.n;
    expect(await count('open-government-partnership')).toBe(expected.national.length);
    expect(await count('ogp-local')).toBe(expected.local.length);
    // With the founders the seed names and the file does not list, OGP has them all, each once.
    const [ogp] = await db.readRows<{ members: number; memberships: number }>(
      `
      MATCH (m:Organization)-[r:MEMBER_OF]->(:Network {id: 'open-government-partnership'})
      WHERE $source IN r.sourceIds OR r.role = 'founding government'
      RETURN count(DISTINCT m) AS members, count(r) AS memberships`,
      { source: SOURCE_ID },
    );
    expect(ogp).toEqual({
      members: expected.national.length + expected.foundersAbsent.length,
      memberships: expected.national.length + expected.foundersAbsent.length,
    });
    // A founder the file lists keeps its founding membership, which now also cites the export and its plans.
    const [brazil] = await db.readRows(
      `
      MATCH (:Organization {id: 'government-of-brazil'})-[r:MEMBER_OF]->(:Network {id: 'open-government-partnership'})
      RETURN r.role AS role, r.since AS since, size(r.actionPlanYears) > 0 AS hasYears, $source IN r.sourceIds AS cited, size(r.sourceIds) AS sources`,
      { source: SOURCE_ID },
    );
    expect(brazil).toEqual({ role: 'founding government', since: '2011-09-20', hasYears: true, cited: true, sources: 2 });
    // A member that joined later is a member since its first plan was submitted.
    const [albania] = await db.readRows(`
      MATCH (g:Organization)-[:GOVERNS]->(:Place {name: 'Albania'}) MATCH (g)-[r:MEMBER_OF]->(:Network {id: 'open-government-partnership'})
      RETURN r.since AS since, r.actionPlanYears[0] AS first, r.quotes[0] AS quote`);
    expect(albania).toMatchObject({
      since: '2012',
      first: 2012,
      quote: expect.stringMatching(/^\d+ action plans in the export: row \d+: AP_ALB01 \(2012\)/),
    });
  });

  it('turns ND, NA and NR into missing values, and keeps assessments as typed fields', async () => {
    const [ar] = await db.readRows(
      "MATCH (c:Commitment {ogpId: 'AR0045'}) RETURN c.specificity AS specificity, c.potentialImpact AS impact, c.completionEndOfTerm AS completion, c.startDate AS start, c.tags AS tags",
    );
    expect(ar).toMatchObject({ specificity: null, impact: 'Transformative', completion: 'Substantial', start: '2017-08-01' });
    expect(ar!.tags).toContain('Open Parliaments');
    const [{ sentinels }] = (await db.readRows<{ sentinels: number }>(
      "MATCH (c:Commitment) WHERE c.ogpId IS NOT NULL AND any(k IN keys(c) WHERE c[k] IN ['ND', 'NA', 'NR']) RETURN count(c) AS sentinels",
    )) as Array<{ sentinels: number }>;
    expect(sentinels).toBe(0);
  });

  it('places local members in the seed graph: Buenos Aires commitments belong to the Buenos Aires government the LOCI document names', async () => {
    const rows = await db.readRows(`
      MATCH (gov:Organization)-[:ADOPTED]->(plan:ActionPlan)-[:PLAN_OF]->(p:Place {id: 'buenos-aires'})
      MATCH (c:Commitment)-[:IN_PLAN]->(plan)
      RETURN DISTINCT gov.id AS government, p.id AS place, count(c) AS commitments`);
    expect(rows).toEqual([{ government: 'buenos-aires-city-government', place: 'buenos-aires', commitments: expect.any(Number) }]);
    const acij = await db.readRows(
      "MATCH (:Organization {id: 'acij'})-[m:MADE_COMMITMENT]->(c:Commitment) RETURN m.role AS role, m.confidence AS confidence, c.ogpId AS id",
    );
    expect(acij.length).toBeGreaterThan(0);
    expect(acij[0]).toMatchObject({ role: 'supporting', confidence: expect.any(Number) });
  });

  it('never stores a phone number or an e-mail address, even in raw institution text', async () => {
    const [row] = await db.readRows<{ leaks: string[] }>(`
      MATCH ()-[m:MADE_COMMITMENT]->() WHERE m.rawText =~ '.*(\\\\+?\\\\d[\\\\d\\\\s().-]{8,}\\\\d|[\\\\w.]+@[\\\\w-]+\\\\.[\\\\w.]+).*'
      RETURN collect(m.rawText)[0..3] AS leaks`);
    expect(row!.leaks).toEqual([]);
    // Organizations this export created (others, e.g. an OCDS supplier named "COMUNIC@RTE", are not its business).
    const people = await db.readRows(
      "MATCH (o:Organization) WHERE 'src-ogp-open-parliament-0703-csv' IN o.sourceIds AND (o.name =~ '(?i)^(mr|mrs|ms|dr)\\\\.? .*' OR o.name CONTAINS '@') RETURN o.name",
    );
    expect(people).toEqual([]);
  });

  it('rejects a file that is not an OGP export, writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ogp-csv-'));
    const wrong = join(dir, 'wrong.csv');
    writeFileSync(wrong, 'a,b\n1,2\n');
    await expect(importOgpCommitments(db, wrong)).rejects.toThrow(ImportFileError);
    const broken = join(dir, 'broken.csv');
    writeFileSync(broken, 'Commitment Unique Identifier,Action Plan ID\n"unterminated,AP_X\n');
    await expect(importOgpCommitments(db, broken)).rejects.toThrow(/not a well-formed CSV/);
    expect(await db.readRows("MATCH (s:Source) WHERE s.id IN ['src-ogp-wrong-csv', 'src-ogp-broken-csv'] RETURN s")).toEqual([]);
  });

  it('merges a second export that shares commitments: only what is new or changed is written, both files stay cited', async () => {
    const text = readFileSync(CSV, 'utf8');
    const records = parse(text, { columns: true, bom: true }) as Array<Record<string, string>>;
    const shared = records.slice(0, 40);
    const changed: Record<string, string> = { ...shared[1]!, 'Commitment Title': `${shared[1]!['Commitment Title']} (revised)` };
    const added: Record<string, string> = {
      ...shared[2]!,
      'Commitment Unique Identifier': 'ZZ9001',
      'Commitment Title': 'A commitment only the second file has',
      'Open Parliaments': '0',
    };
    const dir = mkdtempSync(join(tmpdir(), 'ogp-merge-'));
    const second = join(dir, 'ogp-second-export.csv');
    const columns = Object.keys(records[0]!);
    const csvLine = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
    writeFileSync(
      second,
      [csvLine(columns), ...[shared[0]!, changed, ...shared.slice(2), added].map((r) => csvLine(columns.map((c) => r[c] ?? '')))].join(
        '\n',
      ) + '\n',
    );

    const before = pythonCounts().commitments;
    const report = await importOgpCommitments(db, second);
    expect(report.changes.commitments).toEqual({ created: 1, updated: 1, unchanged: 39 });
    const [row] = await db.readRows<{ commitments: number; cited: number }>(
      `
      MATCH (c:Commitment) WHERE c.ogpId IS NOT NULL WITH count(c) AS commitments
      MATCH (c:Commitment) WHERE c.ogpId IS NOT NULL AND $first IN c.sourceIds AND 'src-ogp-ogp-second-export-csv' IN c.sourceIds
      RETURN commitments, count(c) AS cited`,
      { first: SOURCE_ID },
    );
    expect(row).toEqual({ commitments: before + 1, cited: 40 });
    expect((await importOgpCommitments(db, second)).changes.commitments).toEqual({ created: 0, updated: 0, unchanged: 41 });
  });
});

describe('institution extraction', () => {
  it("tells a kind of body from a body, in the export's languages", () => {
    expect(
      [
        'Civil society organisations (CSOs)',
        'Line Ministries',
        'Sociedad civil',
        'Masyarakat sipil',
        'the media',
        'Relevant government agencies',
      ].filter(isVagueInstitution),
    ).toHaveLength(6);
    expect(
      [
        'Ministry of Finance',
        'Transparency International',
        'Sociedad Civil Transparencia Venezuela',
        'Open Data Charter',
        'Municipal Government of Tbilisi',
      ].filter(isVagueInstitution),
    ).toEqual([]);
  });

  it('splits lists on bullets, line breaks, semicolons and commas, joining hyphen-newline words', () => {
    expect(
      extractInstitutions('●  Ministry of Jus-\ntice\n● Office of the Ombuds; Transparency Council, Data Lab').map((i) => i.name),
    ).toEqual(['Ministry of Justice', 'Office of the Ombuds', 'Transparency Council', 'Data Lab']);
  });

  it('drops contact details and people, and redacts them from raw text', () => {
    const raw = 'Mr. Myktar Tagaev (0773 769329, oshresearch@mail.ru).\nPA «Precedent» (0550999807, toktakunov@gmail.com)';
    const names = extractInstitutions(raw).map((i) => i.name);
    expect(names.join(' ')).not.toMatch(/\d{6}|@|Tagaev/);
    expect(redactContacts(raw)).not.toMatch(/\d{6}|@mail|gmail/);
  });
});

describeWithShared('vague institutions', () => {
  afterAll(() =>
    db.writeRows(`MATCH (n) WHERE n.id IN ['ogp-commitment-zz9002', 'ogp-ap-dd-1', 'src-ogp-ogp-vague-csv'] OR n.id STARTS WITH 'ogp-place-dd-land'
    OR (n:Organization AND n.name IN ['Government of Dd Land', 'Ministerio de Hacienda Dd']) DETACH DELETE n`),
  );

  it('keeps "civil society" and "line ministries" as text on the commitment, and makes organizations of named bodies only', async () => {
    const records = parse(readFileSync(CSV, 'utf8'), { columns: true, bom: true }) as Array<Record<string, string>>;
    const columns = Object.keys(records[0]!);
    const row: Record<string, string> = {
      ...records[0]!,
      'Commitment Unique Identifier': 'ZZ9002',
      'Action Plan ID': 'AP_DD_1',
      'Country/Locality': 'Dd Land',
      'National Or Local': 'Other',
      Code: 'DDL',
      'Lead Institution': 'Civil society organisations (CSOs)',
      'Supporting Institution(s)': 'Ministerio de Hacienda Dd; Line Ministries',
    };
    const file = join(mkdtempSync(join(tmpdir(), 'ogp-vague-')), 'ogp-vague.csv');
    const csvLine = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');
    writeFileSync(file, `${csvLine(columns)}\n${csvLine(columns.map((c) => row[c] ?? ''))}\n`);
    await importOgpCommitments(db, file);
    const [commitment] = await db.readRows<{ asText: string[]; madeBy: string[] }>(`
      MATCH (c:Commitment {id: 'ogp-commitment-zz9002'}) RETURN c.institutionsAsText AS asText, [(o:Organization)-[:MADE_COMMITMENT]->(c) | o.name] AS madeBy`);
    expect(commitment).toEqual({
      asText: ['lead: Civil society organisations (CSOs)', 'supporting: Line Ministries'],
      madeBy: ['Ministerio de Hacienda Dd'],
    });
    expect(
      await db.readRows(
        "MATCH (o:Organization) WHERE o.name IN ['Civil society organisations (CSOs)', 'Line Ministries'] AND o.id STARTS WITH 'ogp-org-' RETURN o.id",
      ),
    ).toEqual([]);
  });
});

describeWithShared('OGP commitments through the API', () => {
  it('shows a commitment with its assessment and extracted institutions, lead first', async () => {
    const { startStack } = await import('../../../test/support/stack');
    const stack = await startStack();
    try {
      const { body } = await stack.query(`{ commitments(first: 1, actionPlan: "ogp-ap-arg03") { totalCount edges { node {
        ogpId name tags assessment { potentialImpact completionEndOfTerm didItOpenGovernment specificity }
        madeBy { role confidence organization { name } } actionPlan { startYear endYear adoptedBy { name } }
      } } } }`);
      const node = body.data.commitments.edges[0].node;
      expect(node.assessment).toEqual({
        potentialImpact: 'Transformative',
        completionEndOfTerm: 'Substantial',
        didItOpenGovernment: 'Major',
        specificity: null,
      });
      expect(node.madeBy[0]).toMatchObject({ role: 'lead', confidence: 0.9 });
      expect(node.madeBy.some((m: { role: string }) => m.role === 'supporting')).toBe(true);
      expect(node.actionPlan).toMatchObject({ startYear: 2017, endYear: 2019, adoptedBy: [{ name: 'Government of Argentina' }] });

      // Plans in cycle: Argentina's plans in the file are numbers 1 (2013), 3 (2017) and 4 (2019).
      const cycle = await stack.query(
        '{ actionPlan(id: "ogp-ap-arg03") { number previous { id number startYear previous { id } } next { id number next { id } } } }',
      );
      expect(cycle.body.errors).toBeUndefined();
      expect(cycle.body.data.actionPlan).toEqual({
        number: 3,
        previous: { id: 'ogp-ap-arg01', number: 1, startYear: 2013, previous: null },
        next: { id: 'ogp-ap-arg04', number: 4, next: null },
      });
      const tagged = await stack.query('{ commitments(tags: ["Open Parliaments"], first: 1) { totalCount } }');
      expect(tagged.body.data.commitments.totalCount).toBe(pythonMembers().openParliaments);

      // The network questions see it: Argentina's government reaches the institution that leads one of its commitments.
      const [lead] = await db.readRows<{ government: string; institution: string }>(`
        MATCH (inst:Organization)-[:MADE_COMMITMENT {role: 'lead'}]->(:Commitment {ogpId: 'AR0045'})-[:IN_PLAN]->(:ActionPlan)<-[:ADOPTED]-(gov:Organization)
        RETURN gov.id AS government, inst.id AS institution`);
      const reached = await stack.query(
        `{ collaborators(id: "${lead!.government}", linkKinds: [COMMITMENT], maxHops: 2, first: 100) { edges { node { actor { id } hops } } } }`,
      );
      expect(reached.body.errors).toBeUndefined();
      expect(reached.body.data.collaborators.edges.map((e: { node: { actor: { id: string } } }) => e.node.actor.id)).toContain(
        lead!.institution,
      );
    } finally {
      await stack.close();
    }
  });
});
