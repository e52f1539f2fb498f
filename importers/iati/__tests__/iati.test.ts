import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { importIati } from '..';
import { parseIatiFile } from '../parse';
import { slugify } from '../../../services/shared/curation';
import { normalizeName } from '../../../services/shared/text';
import { testDatabase } from '../../../test/support/database';
import { KEYS, SHARED_DIR } from '../../../test/support/env';
import { describeWithShared, itWithShared } from '../../../test/support/shared-data';
import { startStack, type Stack } from '../../../test/support/stack';

const IATI = join(SHARED_DIR ?? '', 'data', 'iati');
const REAL_FILES = [
  'publishers/dfid-albania-201.xml',
  'publishers/dportal-foodsecurity.xml',
  'publishers/finland-mfa-bilingual.xml',
  'publishers/netherlands-mfa-203.xml',
  'legacy/tearfund-cd.xml',
  'legacy/wvuk-cd.xml',
];
const db = testDatabase();
afterAll(() => db.close());

// IATI's TransactionType codelist (1-13) and the 1.0x letter codes it replaced, as the standard lists them.
const TYPES: Record<string, string> = { IF: '1', C: '2', D: '3', E: '4', IR: '5', LR: '6', R: '7', QP: '8', QS: '9', CG: '10' };
const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const textOf = (v: any): string => (v === undefined ? '' : typeof v === 'object' ? String(v['#text'] ?? '') : String(v)).trim();
const cents = (n: number) => Math.round(n * 100) / 100;

/** Per activity: how many transactions it publishes, and their net sum per transaction type and currency. */
type ActivityMoney = Record<string, { transactions: number; sums: Record<string, number> }>;

/**
 * Counts what a file should yield, with a different XML parser and code written for the test from the standard:
 * every <transaction> of an activity is one transaction (negative values included: reversals and corrections are
 * legal), its currency is the value's or the activity's default-currency, and sums are net.
 */
function expectedCounts(path: string) {
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, trimValues: true }).parse(
    readFileSync(path),
  );
  const activities = asList(doc['iati-activities']?.['iati-activity'] ?? doc['iati-activity']);
  const money: ActivityMoney = {};
  const orgKeys = new Set<string>();
  const orgKey = (o: any) => {
    if (!o) return undefined;
    const ref = o['@ref']?.trim();
    const narrative = asList(o.narrative).map(textOf).find(Boolean) ?? textOf(o);
    return ref ? `ref:${ref.toLowerCase()}` : narrative ? `name:${normalizeName(narrative)}` : undefined;
  };
  for (const a of activities) {
    const id = textOf(a['iati-identifier']);
    if (!id || money[id]) continue;
    const entry = (money[id] = { transactions: 0, sums: {} as Record<string, number> });
    const reporting = orgKey(a['reporting-org']);
    if (reporting) orgKeys.add(reporting);
    for (const p of asList(a['participating-org'])) {
      const k = orgKey(p);
      if (k) orgKeys.add(k);
    }
    for (const t of asList(a.transaction)) {
      const raw = String(t['transaction-type']?.['@code'] ?? '').trim();
      const type = TYPES[raw.toUpperCase()] ?? raw;
      const currency = String(t.value?.['@currency'] ?? a['@default-currency'] ?? '').toUpperCase();
      entry.transactions++;
      entry.sums[`${type} ${currency}`] = cents((entry.sums[`${type} ${currency}`] ?? 0) + Number(textOf(t.value).replace(/,/g, '')));
      for (const side of ['provider-org', 'receiver-org']) {
        const k = orgKey(t[side]);
        if (k) orgKeys.add(k);
      }
    }
  }
  const transactions = Object.values(money).reduce((n, m) => n + m.transactions, 0);
  return { activities: Object.keys(money).length, transactions, organizations: orgKeys.size, money };
}

/** The same per-activity figures, as the graph holds them for a file. */
async function graphMoney(file: string): Promise<ActivityMoney> {
  const rows = await db.readRows<{ id: string; transactions: Array<{ type: string; currency: string; amount: number }> }>(
    `
    MATCH (g:Grant) WHERE g.sourceIds = [$sourceId] AND g.stub = false
    RETURN g.iatiIdentifier AS id, [(g)-[:HAS_TRANSACTION]->(t:Transaction) | t {.type, .currency, .amount}] AS transactions`,
    { sourceId: `src-iati-${slugify(basename(file))}` },
  );
  return Object.fromEntries(
    rows.map((r) => {
      const sums: Record<string, number> = {};
      for (const t of r.transactions) sums[`${t.type} ${t.currency}`] = cents((sums[`${t.type} ${t.currency}`] ?? 0) + t.amount);
      return [r.id, { transactions: r.transactions.length, sums }];
    }),
  );
}

/** What the graph holds for a file: activities, transactions, and organizations as the file names them (an
 *  organization may join an entity other files also name, so entities are not what is compared). */
async function graphCounts(file: string) {
  const sourceId = `src-iati-${slugify(basename(file))}`;
  const [row] = await db.readRows<{ activities: number; transactions: number; organizations: number }>(
    `
    MATCH (g:Grant) WHERE g.sourceIds = [$sourceId] AND g.stub = false
    CALL { WITH g OPTIONAL MATCH (g)-[:HAS_TRANSACTION]->(t:Transaction) RETURN count(t) AS tx }
    CALL { WITH g OPTIONAL MATCH (:Organization)-[p:PARTICIPATES_IN_GRANT]->(g) RETURN collect(p.namedAs) AS direct }
    CALL { WITH g OPTIONAL MATCH (g)-[:HAS_TRANSACTION]->()-[r:RECEIVED]-(:Organization) RETURN collect(r.namedAs) AS received }
    CALL { WITH g OPTIONAL MATCH (g)-[:HAS_TRANSACTION]->()<-[p:PROVIDED]-(:Organization) RETURN collect(p.namedAs) AS provided }
    WITH count(g) AS activities, sum(tx) AS transactions, collect(direct + received + provided) AS orgLists
    CALL { WITH orgLists UNWIND orgLists AS l UNWIND l AS id RETURN count(DISTINCT id) AS organizations }
    RETURN activities, transactions, organizations`,
    { sourceId },
  );
  return row!;
}

/**
 * What the real files wrote (by their Source ids), node by node and relationship by relationship. Other test files
 * run in parallel and may delete their own fixtures, some of which an import joined by name: comparisons below
 * allow things to disappear, never to appear or change.
 */
async function fingerprint() {
  const sources = REAL_FILES.map((f) => `src-iati-${slugify(basename(f))}`);
  const others = ['ocdsRef', 'ocdsScheme', 'ocdsIdentifier'];
  const nodes = await db.readRows<{ id: string; props: string }>(
    `
    MATCH (n) WHERE any(s IN coalesce(n.sourceIds, []) WHERE s IN $sources)
    // Other importers running in parallel may add their own reference to an organization: not ours.
    RETURN n.id AS id, toString(size([k IN keys(n) WHERE NOT k IN $others])) + ':' + reduce(t = '', s IN n.sourceIds | t + s + ';') AS props`,
    { sources, others },
  );
  const rels = await db.readRows<{ id: string; props: string }>(
    `
    MATCH ()-[r]->() WHERE any(s IN coalesce(r.sourceIds, []) WHERE s IN $sources)
    RETURN coalesce(r.id, elementId(r)) + '/' + type(r) AS id, toString(size(keys(r))) AS props`,
    { sources },
  );
  return { nodes: new Map(nodes.map((n) => [n.id, n.props])), rels: new Map(rels.map((r) => [r.id, r.props])) };
}

/** Nothing new, nothing changed: every entry of `after` is in `before` with the same value. */
function expectNothingAddedOrChanged(before: Map<string, string>, after: Map<string, string>) {
  const addedOrChanged = [...after].filter(([id, value]) => before.get(id) !== value);
  expect(addedOrChanged).toEqual([]);
  expect(after.size).toBeGreaterThan(before.size * 0.95);
}

describeWithShared('IATI importer on the real files', () => {
  beforeAll(async () => {
    await importIati(
      db,
      REAL_FILES.map((f) => join(IATI, f)),
    );
  }, 120_000);

  it.each(REAL_FILES)('imports %s with the activities, transactions and organizations the file holds', async (file) => {
    const { money: _perActivity, ...expected } = expectedCounts(join(IATI, file));
    expect(await graphCounts(join(IATI, file))).toEqual(expected);
  });

  it.each(REAL_FILES)('keeps every transaction of %s: per activity, the count and the net sum per type and currency', async (file) => {
    const expected = expectedCounts(join(IATI, file)).money;
    expect(await graphMoney(join(IATI, file))).toEqual(expected);
  });

  itWithShared('keeps a negative disbursement: the Netherlands file publishes corrections as negative values', async () => {
    const published = Object.values(expectedCounts(join(IATI, 'publishers/netherlands-mfa-203.xml')).money).flatMap((m) =>
      Object.values(m.sums),
    );
    const [row] = await db.readRows<{ negatives: number }>(
      "MATCH (:Grant {stub: false})-[:HAS_TRANSACTION]->(t:Transaction) WHERE t.sourceIds = ['src-iati-netherlands-mfa-203-xml'] AND t.amount < 0 RETURN count(t) AS negatives",
    );
    expect(readFileSync(join(IATI, 'publishers/netherlands-mfa-203.xml'), 'utf8')).toMatch(/<value[^>]*>-\d/);
    expect(row!.negatives).toBeGreaterThan(0);
    expect(published.length).toBeGreaterThan(0);
  });

  it('changes nothing when the same files are imported again', async () => {
    const before = await fingerprint();
    const report = await importIati(
      db,
      REAL_FILES.map((f) => join(IATI, f)),
    );
    expect(report.totals.created + report.totals.updated).toBe(0);
    expect(report.totals.unchanged).toBeGreaterThan(30);
    const after = await fingerprint();
    expectNothingAddedOrChanged(before.nodes, after.nodes);
    expectNothingAddedOrChanged(before.rels, after.rels);
  });

  it('keeps titles in every language and takes the activity language for narratives without one', async () => {
    const rows = await db.readRows<{ langs: string[] }>(
      "MATCH (g:Grant {stub: false}) WHERE g.sourceIds = ['src-iati-finland-mfa-bilingual-xml'] RETURN g.titleLangs AS langs",
    );
    expect(rows.some((r) => r.langs.length > 1)).toBe(true);
    for (const r of rows) for (const l of r.langs) expect(l).toBe(l.toLowerCase());
  });

  it('rejects nothing in the real files: every element there is legal IATI', async () => {
    const report = await importIati(
      db,
      REAL_FILES.map((f) => join(IATI, f)),
    );
    expect(report.rejections).toEqual([]);
  });
});

describe('IATI importer on bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ogp-iati-bad-'));
  const write = (name: string, text: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  async function expectFailedAndNothingWritten(path: string, reason: RegExp) {
    const report = await importIati(db, [path]);
    expect(report.files[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(reason) });
    expect(report.files[0]!.error).toContain(basename(path));
    expect(await db.readRows('MATCH (s:Source {id: $id}) RETURN s', { id: `src-iati-${slugify(basename(path))}` })).toHaveLength(0);
  }

  itWithShared.each([
    ['bad-input/not-xml.xml', /not well-formed XML/],
    ['bad-input/xml-but-not-iati.xml', /not an IATI activity file/],
    ['bad-input/xlsx-spreadsheet-with-extension.xml', /zip archive/],
    ['organisations/organisation-standard-example-annotated.xml', /organisation file/],
    ['bad-input/broken-xml.xml', /not an IATI activity file|not well-formed/],
  ])('refuses %s with a clear reason and writes nothing', async (file, reason) => {
    await expectFailedAndNothingWritten(join(IATI, file), reason);
  });

  itWithShared('refuses a truncated file and writes nothing from it', async () => {
    const text = readFileSync(join(IATI, 'publishers/dfid-albania-201.xml'), 'utf8');
    await expectFailedAndNothingWritten(write('truncated.xml', text.slice(0, Math.floor(text.length * 0.6))), /truncated|not well-formed/);
    expect(await db.readRows("MATCH (g:Grant) WHERE 'src-iati-truncated-xml' IN g.sourceIds RETURN g")).toHaveLength(0);
  });

  it('refuses entity expansion (billion laughs) and external entities without reading anything', async () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><iati-activities><iati-activity><iati-identifier>&lol3;</iati-identifier></iati-activity></iati-activities>';
    await expectFailedAndNothingWritten(write('laughs.xml', laughs), /DOCTYPE/);
    const external =
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]><iati-activities><iati-activity><iati-identifier>&ext;</iati-identifier></iati-activity></iati-activities>';
    await expectFailedAndNothingWritten(write('external.xml', external), /DOCTYPE/);
  });

  itWithShared('reads UTF-16, windows-1252, whitespace before the declaration and CR-only line endings', async () => {
    const utf16: string[] = [];
    await parseIatiFile(
      join(IATI, 'bad-input/valid-UTF-16.xml'),
      (a) => void utf16.push(a.children.find((c) => c.name === 'title')!.children[0]!.text),
    );
    const independent = /<title>\s*<narrative>([^<]+)</.exec(
      new TextDecoder('utf-16le').decode(readFileSync(join(IATI, 'bad-input/valid-UTF-16.xml'))),
    )![1];
    expect(utf16[0]).toBe(independent);
    expect(utf16[0]!.codePointAt(0)).toBe(0x4d8c); // not mojibake: the first character of the title as written
    const cp1252: string[] = [];
    await parseIatiFile(
      join(IATI, 'bad-input/valid-windows-1252.xml'),
      (a) => void cp1252.push(a.children.find((c) => c.name === 'reporting-org')!.children[0]!.text),
    );
    // The file's one non-ASCII byte is 0x9F, which windows-1252 (unlike ISO-8859-1) maps to "Ÿ" (U+0178).
    expect(readFileSync(join(IATI, 'bad-input/valid-windows-1252.xml')).find((b) => b > 127)).toBe(0x9f);
    expect(cp1252[0]).toBe('\u0178');
    const undeclared = write(
      'undeclared-1252.xml',
      Buffer.concat([
        Buffer.from(
          '\n  \n<iati-activities version="2.03"><iati-activity><iati-identifier>XX-1252</iati-identifier><title><narrative>Cooperaci',
        ),
        Buffer.from([0xf3]),
        Buffer.from('n</narrative></title></iati-activity></iati-activities>'),
      ]),
    );
    const titles: string[] = [];
    await parseIatiFile(undeclared, (a) => void titles.push(a.children[1]!.children[0]!.text));
    expect(titles).toEqual(['Cooperación']);
    // UTF-16 without a byte-order mark, and whitespace before the XML declaration.
    const noBom = write('utf16-no-bom.xml', readFileSync(join(IATI, 'bad-input/valid-UTF-16.xml')).subarray(2));
    const noBomTitles: string[] = [];
    await parseIatiFile(noBom, (a) => void noBomTitles.push(a.children.find((c) => c.name === 'title')!.children[0]!.text));
    expect(noBomTitles[0]).toBe(utf16[0]);
    const spaced = write(
      'spaced.xml',
      '\n\n   <?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03"><iati-activity><iati-identifier>XX-SPACED</iati-identifier></iati-activity></iati-activities>',
    );
    expect((await importIati(db, [spaced])).files[0]).toMatchObject({ status: 'imported', created: 1 });
    const cr = await importIati(db, [join(IATI, 'bad-input/iati-act-line-endings-cr.xml')]);
    expect(cr.files[0]).toMatchObject({ status: 'imported', activities: 1 });
  });

  it('imports a good file around its bad activities and elements, naming each rejection', async () => {
    const file = write(
      'mixed.xml',
      `<iati-activities version="2.03">
<iati-activity default-currency="EUR"><iati-identifier>XX-MIXED-1</iati-identifier><reporting-org ref="XX-PUB"><narrative>Publisher</narrative></reporting-org>
<transaction><transaction-type code="disbursement"/><transaction-date iso-date="2020-01-01"/><value>10</value></transaction>
<transaction><transaction-type code="3"/><transaction-date iso-date="20200101"/><value>10</value></transaction>
<transaction><transaction-type code="3"/><transaction-date iso-date="2020-01-01"/><value></value></transaction>
<transaction><transaction-type code="3"/><transaction-date iso-date="2020-01-01"/><value>-5</value></transaction>
<transaction><transaction-type code="99"/><transaction-date iso-date="2020-01-01"/><value>5</value></transaction>
<transaction><transaction-type code="3"/><transaction-date iso-date="2020-02-01"/><value>250</value><receiver-org ref="XX-NGO"><narrative>Partner NGO</narrative></receiver-org></transaction>
</iati-activity>
<iati-activity><iati-identifier></iati-identifier></iati-activity>
<iati-activity><iati-identifier>XX-MIXED-1</iati-identifier></iati-activity>
</iati-activities>`,
    );
    const report = await importIati(db, [file]);
    expect(report.files[0]).toMatchObject({ status: 'imported', activities: 3, created: 1, transactions: 2 });
    const reasons = report.rejections.map((r) => `${r.line} ${r.identifier} ${r.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^3 XX-MIXED-1 transaction-type "disbursement"/),
        expect.stringMatching(/^4 XX-MIXED-1 transaction has no date/),
        expect.stringMatching(/^5 XX-MIXED-1 transaction value is empty/),
        expect.stringMatching(/^7 XX-MIXED-1 transaction-type "99"/),
        expect.stringMatching(/^10 {2}activity has no iati-identifier/),
        expect.stringMatching(/^11 XX-MIXED-1 duplicate iati-identifier/),
      ]),
    );
    expect(reasons.some((r) => r.startsWith('6 '))).toBe(false);
    const flows = await db.readRows(
      "MATCH (p:Organization)-[f:FUNDED {grantId: 'iati-XX-MIXED-1'}]->(r:Organization) RETURN p.iatiRef AS from, r.iatiRef AS to, f.amount AS amount, f.currency AS currency",
    );
    expect(flows).toEqual([{ from: 'XX-PUB', to: 'XX-NGO', amount: 250, currency: 'EUR' }]);
  });

  it('keeps a negative disbursement and a negative commitment, so the grant total is net', async () => {
    const file = write(
      'reversal.xml',
      `<iati-activities version="2.03"><iati-activity default-currency="USD"><iati-identifier>XX-REVERSAL-1</iati-identifier>
<reporting-org ref="XX-PUB"><narrative>Publisher</narrative></reporting-org>
<transaction><transaction-type code="2"/><transaction-date iso-date="2020-01-01"/><value>1000</value></transaction>
<transaction><transaction-type code="2"/><transaction-date iso-date="2020-06-01"/><value>-250.5</value></transaction>
<transaction><transaction-type code="3"/><transaction-date iso-date="2020-02-01"/><value>400</value><receiver-org ref="XX-NGO"><narrative>Partner NGO</narrative></receiver-org></transaction>
<transaction><transaction-type code="3"/><transaction-date iso-date="2020-03-01"/><value>-15606</value><receiver-org ref="XX-NGO"><narrative>Partner NGO</narrative></receiver-org></transaction>
</iati-activity></iati-activities>`,
    );
    const report = await importIati(db, [file]);
    expect(report.rejections).toEqual([]);
    const [row] = await db.readRows<{ amounts: number[]; total: number; flows: number[] }>(`MATCH (g:Grant {id: 'iati-XX-REVERSAL-1'})
      RETURN [(g)-[:HAS_TRANSACTION]->(t) | t.amount] AS amounts, g.amount AS total,
             [(:Organization)-[f:FUNDED {grantId: g.id}]->(:Organization) | f.amount] AS flows`);
    expect([...row!.amounts].sort((a, b) => a - b)).toEqual([-15606, -250.5, 400, 1000]);
    expect(row!.total).toBe(749.5);
    expect([...row!.flows].sort((a, b) => a - b)).toEqual([-15606, 400]);
  });

  it('reads 1.0x dates written as element text, and a transaction dated only by its value-date', async () => {
    const file = write(
      'legacy-dates.xml',
      `<iati-activities version="1.03"><iati-activity default-currency="GBP"><iati-identifier>XX-LEGACY-DATES-1</iati-identifier>
<activity-date type="start-actual">2004-01-01</activity-date>
<activity-date type="end-planned" iso-date="">2007-12-31</activity-date>
<activity-date type="start-planned">sometime</activity-date>
<transaction><transaction-type code="D"/><transaction-date>2005-03-04</transaction-date><value>10</value></transaction>
<transaction><transaction-type code="D"/><value value-date="2006-07-08">20</value></transaction>
</iati-activity></iati-activities>`,
    );
    const report = await importIati(db, [file]);
    expect(report.rejections.map((r) => r.reason)).toEqual([expect.stringMatching(/activity-date "sometime" is not a date/)]);
    const [row] = await db.readRows<{
      start: string;
      end: string;
      planned: string | null;
      dates: string[];
    }>(`MATCH (g:Grant {id: 'iati-XX-LEGACY-DATES-1'})
      RETURN g.actualStart AS start, g.plannedEnd AS end, g.plannedStart AS planned, [(g)-[:HAS_TRANSACTION]->(t) | t.date] AS dates`);
    expect(row).toMatchObject({ start: '2004-01-01', end: '2007-12-31', planned: null });
    expect([...row!.dates].sort()).toEqual(['2005-03-04', '2006-07-08']);
  });
});

describe('IATI re-import of a newer version', () => {
  it("replaces an activity's transactions and results instead of adding to them", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ogp-iati-version-'));
    const version = (transactions: number[], result: string) => {
      const path = join(dir, 'versioned.xml');
      writeFileSync(
        path,
        `<iati-activities version="2.03"><iati-activity default-currency="EUR"><iati-identifier>XV-VERSIONED-1</iati-identifier>
        <reporting-org ref="XV-PUB"><narrative>Versioned Publisher</narrative></reporting-org>
        ${transactions.map((v) => `<transaction><transaction-type code="3"/><transaction-date iso-date="2022-01-01"/><value>${v}</value><receiver-org ref="XV-NGO"><narrative>NGO</narrative></receiver-org></transaction>`).join('')}
        <result type="1"><title><narrative>${result}</narrative></title></result></iati-activity></iati-activities>`,
      );
      return path;
    };
    const children = () =>
      db.readRows<{ amounts: number[]; results: string[]; flows: number }>(`
      MATCH (g:Grant {id: 'iati-XV-VERSIONED-1'})
      RETURN [(g)-[:HAS_TRANSACTION]->(t) | t.amount] AS amounts, [(g)-[:HAS_RESULT]->(r) | r.title] AS results,
             COUNT { ()-[:FUNDED {grantId: 'iati-XV-VERSIONED-1'}]->() } AS flows`);
    expect((await importIati(db, [version([100, 200, 300], 'First')])).totals).toMatchObject({ created: 1, transactions: 3 });
    expect((await importIati(db, [version([400], 'Second')])).totals).toMatchObject({ updated: 1, transactions: 1 });
    expect(await children()).toEqual([{ amounts: [400], results: ['Second'], flows: 1 }]);
    expect((await importIati(db, [version([400], 'Second')])).totals).toMatchObject({ unchanged: 1, created: 0, updated: 0 });
  });
});

describe('IATI trails across publishers, through the API', () => {
  let stack: Stack;
  const dir = mkdtempSync(join(tmpdir(), 'ogp-iati-trail-'));
  const activityFile = (name: string, xml: string) => {
    const p = join(dir, name);
    writeFileSync(p, `<iati-activities version="2.03">${xml}</iati-activities>`);
    return p;
  };
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('follows provider-activity-id links from a donor to an implementer, completing stubs when their files arrive', async () => {
    const donor = activityFile(
      'donor.xml',
      `<iati-activity default-currency="USD"><iati-identifier>XD-DONOR-1</iati-identifier><reporting-org ref="XD-DONOR"><narrative>Donor Agency</narrative></reporting-org>
      <title><narrative xml:lang="en">Open contracting fund</narrative></title>
      <transaction><transaction-type code="3"/><transaction-date iso-date="2021-03-01"/><value>50000</value><receiver-org ref="XI-NGO" receiver-activity-id="XI-NGO-7"><narrative>Implementer</narrative></receiver-org></transaction></iati-activity>`,
    );
    const implementer = activityFile(
      'implementer.xml',
      `<iati-activity default-currency="USD"><iati-identifier>XI-NGO-7</iati-identifier><reporting-org ref="XI-NGO"><narrative>Implementer</narrative></reporting-org>
      <title><narrative xml:lang="en">Procurement monitoring</narrative><narrative xml:lang="es">Monitoreo de compras</narrative></title>
      <transaction><transaction-type code="1"/><transaction-date iso-date="2021-03-05"/><value>50000</value><provider-org ref="XD-DONOR" provider-activity-id="XD-DONOR-1"><narrative>Donor Agency</narrative></provider-org></transaction>
      <result type="1"><title><narrative>Contracts monitored</narrative></title></result></iati-activity>`,
    );
    await importIati(stack.db, [donor]);
    const stub = await stack.query('{ grant(id: "iati-XI-NGO-7") { stub fundedByActivities { activity { iatiIdentifier } } } }');
    expect(stub.body.data.grant).toEqual({ stub: true, fundedByActivities: [{ activity: { iatiIdentifier: 'XD-DONOR-1' } }] });
    await importIati(stack.db, [implementer]);
    const { body } = await stack.query(`{ grant(id: "iati-XD-DONOR-1") {
      name transactions { totalCount edges { node { typeName value { amount currency } provider { id } receiver { id } } } }
      fundsActivities { value { amount currency } activity { stub name titles { lang text } results { title }
        fundedByActivities { activity { iatiIdentifier } } participants { role organization { id } } } }
    } }`);
    const grant = body.data.grant;
    expect(grant.transactions.edges[0].node).toEqual({
      typeName: 'Disbursement',
      value: { amount: 50000, currency: 'USD' },
      provider: { id: 'iati-org-XD-DONOR' },
      receiver: { id: 'iati-org-XI-NGO' },
    });
    expect(grant.fundsActivities[0]).toMatchObject({
      value: { amount: 50000, currency: 'USD' },
      activity: { stub: false, name: 'Procurement monitoring', results: [{ title: 'Contracts monitored' }] },
    });
    expect(grant.fundsActivities[0].activity.titles).toEqual([
      { lang: 'en', text: 'Procurement monitoring' },
      { lang: 'es', text: 'Monitoreo de compras' },
    ]);
    const trail = await stack.query('{ fundingTrail(id: "iati-org-XD-DONOR") { flows { from to value { amount currency } } } }');
    expect(trail.body.data.fundingTrail.flows).toEqual([
      { from: 'iati-org-XD-DONOR', to: 'iati-org-XI-NGO', value: { amount: 50000, currency: 'USD' } },
    ]);
    const shared = await stack.db.readRows(
      "MATCH ()-[r]->() WHERE r.id STARTS WITH 'iati-XD-DONOR-1#' WITH r.id AS id, count(*) AS n WHERE n > 1 RETURN id",
    );
    expect(shared).toEqual([]);
    const donorOrg = await stack.query('{ organization(id: "iati-org-XD-DONOR") { identifiers { scheme id } } }');
    expect(donorOrg.body.data.organization.identifiers).toEqual([{ scheme: 'IATI', id: 'XD-DONOR' }]);
  });

  it('imports through the curator mutation too, and refuses hostile XML there', async () => {
    const xml =
      '<iati-activities version="2.03"><iati-activity><iati-identifier>XM-MUT-1</iati-identifier><title><narrative>Via API</narrative></title></iati-activity></iati-activities>';
    const denied = await stack.query('mutation($x: String!) { importIati(xml: $x) { created } }', { x: xml }, { 'x-api-key': KEYS.reader });
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const ok = await stack.query(
      'mutation($x: String!) { importIati(xml: $x) { activities created rejections } }',
      { x: xml },
      { 'x-api-key': KEYS.curator },
    );
    expect(ok.body.data.importIati).toEqual({ activities: 1, created: 1, rejections: [] });
    const hostile = await stack.query(
      'mutation($x: String!) { importIati(xml: $x) { created } }',
      { x: '<!DOCTYPE a [<!ENTITY b SYSTEM "file:///etc/passwd">]><iati-activities/>' },
      { 'x-api-key': KEYS.curator },
    );
    expect(hostile.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'xml' });
    // Text sent through GraphQL is characters already: a declaration naming another encoding does not garble it.
    const latin =
      '<?xml version="1.0" encoding="ISO-8859-1"?><iati-activities version="2.03"><iati-activity><iati-identifier>XM-MUT-2</iati-identifier><title><narrative>Educación cívica en São Paulo</narrative></title></iati-activity></iati-activities>';
    expect(
      (await stack.query('mutation($x: String!) { importIati(xml: $x) { created } }', { x: latin }, { 'x-api-key': KEYS.curator })).body
        .data.importIati,
    ).toEqual({ created: 1 });
    expect((await stack.query('{ grant(id: "iati-XM-MUT-2") { name } }')).body.data.grant.name).toBe('Educación cívica en São Paulo');
  });
});
