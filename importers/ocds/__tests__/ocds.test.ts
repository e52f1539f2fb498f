import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importOcds } from '..';
import { ImportFileError } from '../../shared/decode';
import { testDatabase } from '../../../test/support/database';
import { PROJECT_DIR, SHARED_DIR, TS_REGISTER } from '../../../test/support/env';
import { describeWithShared } from '../../../test/support/shared-data';
import { startStack } from '../../../test/support/stack';

const OCDS = join(SHARED_DIR ?? '', 'data', 'ocds');
const db = testDatabase();
afterAll(() => db.close());

/** Distinct ocids per file, counted by Python's json module (independent of our reader). */
function pythonOcids(file: string): number {
  const script = `import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
rel = d.get('releases') or [r.get('compiledRelease') or {} for r in d.get('records', [])]
print(len(set(r['ocid'] for r in rel if r.get('ocid'))))`;
  return Number(spawnSync('python3', ['-c', script, file], { encoding: 'utf8' }).stdout.trim());
}

const fingerprint = (sourceId: string) =>
  db.readRows(
    `
  MATCH (n) WHERE $s IN coalesce(n.sourceIds, []) WITH count(n) AS nodes, sum(size([k IN keys(n) WHERE k <> 'iatiRef'])) AS props
  MATCH ()-[r]->() WHERE $s IN coalesce(r.sourceIds, []) RETURN nodes, props, count(r) AS rels`,
    { s: sourceId },
  );

describeWithShared('OCDS importer', () => {
  it.each(['release-package-1-2.json', 'record-package-1-2.json'])(
    'imports %s: one contracting process per ocid, with parties and awards, and a re-import changes nothing',
    async (name) => {
      const file = join(OCDS, name);
      const report = await importOcds(db, file);
      expect(report.processes).toBe(pythonOcids(file));
      const sourceId = `src-ocds-${name.replace(/\./g, '-')}`;
      const [row] = await db.readRows<{ processes: number; withBuyer: number; flows: number }>(
        `
      MATCH (cp:ContractingProcess) WHERE cp.sourceIds = [$s]
      WITH count(cp) AS processes, sum(CASE WHEN EXISTS { (cp)<-[r:PARTY_TO]-() WHERE 'buyer' IN r.roles } THEN 1 ELSE 0 END) AS withBuyer
      RETURN processes, withBuyer, COUNT { ()-[f:PROCURED_FROM]->() WHERE f.sourceIds = [$s] } AS flows`,
        { s: sourceId },
      );
      expect(row!.processes).toBe(report.processes);
      expect(row!.withBuyer).toBe(report.processes);
      expect(row!.flows).toBeGreaterThan(0);
      const before = await fingerprint(sourceId);
      await importOcds(db, file);
      expect(await fingerprint(sourceId)).toEqual(before);
    },
  );

  it('reads several JSON documents in one file, ISO-8859-1 bytes, and rejects a release without ocid on its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocds-'));
    const release = (ocid: string | undefined, buyer: string) => ({
      ...(ocid ? { ocid } : {}),
      id: `${ocid}-1`,
      date: '2020-01-01',
      tag: ['award'],
      buyer: { name: buyer },
      awards: [{ id: 'a1', value: { amount: 10, currency: 'EUR' }, suppliers: [{ name: 'Proveedor Único' }] }],
    });
    const text = [
      JSON.stringify({ releases: [release('ocds-test-1', 'Ayuntamiento de Córdoba')] }),
      JSON.stringify({ releases: [release(undefined, 'Sin ocid')] }),
      JSON.stringify(release('ocds-test-2', 'Ayuntamiento de Córdoba')),
    ].join('\n');
    const file = join(dir, 'latin1-multi.json');
    writeFileSync(file, Buffer.from(text, 'latin1'));
    const report = await importOcds(db, file);
    expect(report).toMatchObject({ documents: 3, releases: 3, processes: 2 });
    expect(report.rejections).toEqual([expect.objectContaining({ reason: 'release 1 has no ocid' })]);
    const names = await db.readRows(
      "MATCH (o:Organization)-[:PARTY_TO]->(:ContractingProcess {id: 'ocds-ocds-test-1'}) RETURN o.name AS name ORDER BY name",
    );
    expect(names).toEqual([{ name: 'Ayuntamiento de Córdoba' }, { name: 'Proveedor Único' }]);
  });

  it('refuses invalid JSON and files that are not OCDS, writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocds-bad-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, readFileSync(join(OCDS, 'release-package-1-2.json'), 'utf8').slice(0, 5000));
    await expect(importOcds(db, broken)).rejects.toThrow(/truncated|invalid JSON/);
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ hello: 'world' }));
    await expect(importOcds(db, other)).rejects.toThrow(ImportFileError);
    expect(await db.readRows("MATCH (s:Source) WHERE s.id IN ['src-ocds-broken-json', 'src-ocds-other-json'] RETURN s")).toEqual([]);
  });

  it('exposes contracting processes with parties and awards, and buyer-supplier links in the insights questions', async () => {
    await importOcds(db, join(OCDS, 'record-package-1-2.json'));
    const stack = await startStack();
    try {
      const { body } = await stack.query(`{ contractingProcesses(first: 10) { totalCount edges { node { id ocid name
        parties { roles organization { name } } awards { id value { amount currency } suppliers } } } } }`);
      const processes = body.data.contractingProcesses.edges.map((e: any) => e.node);
      const inah = processes.find((p: any) => p.ocid === 'ocds-07smqs-993235');
      expect(
        inah.parties.some((p: any) => p.roles.includes('buyer') && p.organization.name === 'Instituto Nacional de Antropología e Historia'),
      ).toBe(true);
      expect(inah.awards[0].suppliers[0]).toMatch(/GLOBAL ASSURANCE BROKERS/);
      const buyerId = (
        await db.readRows<{ id: string }>(
          "MATCH (o:Organization)-[r:PARTY_TO]->(:ContractingProcess {ocid: 'ocds-07smqs-993235'}) WHERE 'buyer' IN r.roles RETURN o.id AS id",
        )
      )[0]!.id;
      const collaborators = await stack.query(
        'query($id: ID!) { collaborators(id: $id, linkKinds: [PROCUREMENT]) { edges { node { actor { name } linkKinds } } } }',
        { id: buyerId },
      );
      expect(collaborators.body.data.collaborators.edges.some((e: any) => /GLOBAL ASSURANCE/.test(e.node.actor.name))).toBe(true);
    } finally {
      await stack.close();
    }
  });

  it('keeps contracts with their values, dates and status, as the latest release states them', async () => {
    const file = join(OCDS, 'release-package-1-2.json');
    await importOcds(db, file);
    const releases = (JSON.parse(readFileSync(file, 'utf8')) as { releases: any[] }).releases;
    const ocid = releases.find((r) => (r.contracts ?? []).length > 0).ocid as string;
    const latest = releases
      .filter((r) => r.ocid === ocid)
      .sort((a, b) => String(a.date).localeCompare(String(b.date)))
      .at(-1);
    const stack = await startStack();
    try {
      const { body } = await stack.query(
        `query($id: ID!) { contractingProcess(id: $id) { contractIds contracts { id awardId title status value { amount currency } startDate endDate dateSigned } } }`,
        { id: `ocds-${ocid}` },
      );
      const process = body.data.contractingProcess;
      expect(process.contracts).toHaveLength(latest.contracts.length);
      const [first] = process.contracts;
      const expected = latest.contracts[0];
      expect(first).toMatchObject({
        id: String(expected.id),
        awardId: String(expected.awardID),
        status: expected.status,
        value: { amount: expected.value.amount, currency: expected.value.currency },
        startDate: expected.period.startDate.slice(0, 10),
        endDate: expected.period.endDate.slice(0, 10),
      });
      expect(process.contractIds).toEqual(process.contracts.map((c: { id: string }) => c.id));
    } finally {
      await stack.close();
    }
  });

  it('runs from the command line with a progress line per stage on stderr, a summary, and --json', () => {
    const file = join(OCDS, 'record-package-1-2.json');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['-r', TS_REGISTER, 'bin/import.ts', 'ocds', file, ...args], {
        cwd: PROJECT_DIR,
        env: process.env,
        encoding: 'utf8',
        timeout: 60_000,
      });
    const plain = run();
    expect(plain.status).toBe(0);
    const stages = plain.stderr
      .split('\n')
      .filter((l) => l.startsWith('[import]'))
      .map((l) => /: (\w+) \d+ releases/.exec(l)?.[1]);
    expect(stages).toEqual(['reading', 'writing', 'done']);
    expect(plain.stdout).toMatch(
      new RegExp(`imported .*record-package-1-2.json: \\d+ documents, \\d+ releases, ${pythonOcids(file)} contracting processes`),
    );
    const json = run('--json');
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ processes: pythonOcids(file), rejections: [] });
    expect(json.stderr).not.toMatch(/\[import\]/);
  });

  it('keeps payers and payees of contract transactions, and party identifiers with their scheme', async () => {
    const releaseFile = join(OCDS, 'release-package-1-2.json');
    await importOcds(db, releaseFile);
    await importOcds(db, join(OCDS, 'record-package-1-2.json'));
    // Expected from the file itself: who paid and who was paid in implementation transactions (OCDS 1.0 identifiers).
    const releases = (JSON.parse(readFileSync(releaseFile, 'utf8')) as { releases: any[] }).releases;
    const withTx = releases.find((r) => (r.contracts ?? []).some((c: any) => c.implementation?.transactions?.length));
    const tx = withTx.contracts.flatMap((c: any) => c.implementation?.transactions ?? [])[0];
    const roles = await db.readRows<{ name: string; roles: string[] }>(
      'MATCH (o:Organization)-[r:PARTY_TO]->(:ContractingProcess {ocid: $ocid}) RETURN o.name AS name, r.roles AS roles',
      { ocid: withTx.ocid },
    );
    expect(roles.find((r) => r.name === tx.providerOrganization.legalName)?.roles).toContain('payer');
    expect(roles.find((r) => r.name === tx.receiverOrganization.legalName)?.roles).toContain('payee');
    // A body named twice in one release (buyer and payer) stays one party.
    expect(roles.filter((r) => r.name === tx.providerOrganization.legalName)).toHaveLength(1);
    const stack = await startStack();
    try {
      const { body } = await stack.query(
        `{ contractingProcess(id: "ocds-ocds-07smqs-993235") { parties { organization { name identifiers { scheme id } } } } }`,
      );
      const broker = body.data.contractingProcess.parties.find((p: any) => /GLOBAL ASSURANCE/.test(p.organization.name));
      expect(broker.organization.identifiers).toEqual([{ scheme: 'Registro Federal de Contribuyentes de México', id: 'GAB0709244G5' }]);
    } finally {
      await stack.close();
    }
  });
});

describe('OCDS in the path questions', () => {
  it('links buyer and supplier in one hop; their contracting process is not an end a path can name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocds-paths-'));
    const file = join(dir, 'paths.json');
    const release = {
      ocid: 'ocds-paths-1',
      id: 'ocds-paths-1-1',
      date: '2021-03-01',
      tag: ['award'],
      buyer: { name: 'Prefeitura de São Gonçalo (caminhos)' },
      awards: [{ id: 'a1', value: { amount: 5, currency: 'BRL' }, suppliers: [{ name: 'Fornecedora Ação (caminhos)' }] }],
    };
    writeFileSync(file, JSON.stringify({ releases: [release] }));
    await importOcds(db, file);
    const ids = await db.readRows<{ role: string; id: string }>(
      "MATCH (o:Organization)-[r:PARTY_TO]->(:ContractingProcess {id: 'ocds-ocds-paths-1'}) RETURN r.roles[0] AS role, o.id AS id",
    );
    const buyer = ids.find((r) => r.role === 'buyer')!.id;
    const supplier = ids.find((r) => r.role === 'supplier')!.id;
    const stack = await startStack();
    try {
      const paths = (id: string) =>
        stack.query('query($f: ID!, $t: ID!) { shortestPaths(from: $f, to: $t) { hops nodes { id } } }', { f: buyer, t: id });
      const found = (await paths(supplier)).body;
      // The award's flow (PROCURED_FROM) is the one direct link: cheaper than the two relationships through the process.
      expect(found.data.shortestPaths).toEqual([{ hops: 1, nodes: [{ id: buyer }, { id: supplier }] }]);
      // The index holds the process (paths run through it), but as an end it is no entity: as Neo4j's look-up says.
      expect((await paths('ocds-ocds-paths-1')).body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    } finally {
      await stack.close();
    }
  });
});
