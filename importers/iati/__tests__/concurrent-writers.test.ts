import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { importIati } from '..';
import { slugify } from '../../../services/shared/curation';
import { testDatabase } from '../../../test/support/database';
import { PROJECT_DIR, TS_REGISTER } from '../../../test/support/env';

/*
 * Several batches of one file are written at once. Whatever order their transactions commit in, and whatever
 * deadlocks Neo4j resolves between them, the graph must be the one a single writer builds: the same organizations
 * (none twice), the same relationships, the same counts in the report.
 */
const db = testDatabase();
afterAll(() => db.close());
const dir = mkdtempSync(join(tmpdir(), 'ogp-iati-writers-'));

/**
 * A file whose activities keep naming the same few organizations, in every way IATI allows: by ref, by a name
 * only, and by a ref plus the name another activity used without a ref (which must join, not duplicate).
 * `tag` keeps the two files' organizations apart, so each import starts from organizations it must create.
 */
function sharedOrganizationsFile(tag: string, activities: number): string {
  const org = (n: number) =>
    n % 3 === 0 ? `<narrative>Writers ${tag} Collective ${n}</narrative>` : `<narrative>Writers ${tag} Fund ${n}</narrative>`;
  const ref = (n: number) => (n % 3 === 0 ? '' : ` ref="XW-${tag}-${n}"`);
  const body = Array.from({ length: activities }, (_, i) => {
    const funder = i % 4;
    const implementer = 4 + (i % 5);
    // Every seventh activity names its implementer by name only, although other activities give it a ref.
    const implementerRef = i % 7 === 0 ? '' : ref(implementer);
    return `<iati-activity default-currency="EUR" xml:lang="en"><iati-identifier>XW-${tag}-A${i}</iati-identifier>
<reporting-org${ref(funder)} type="10">${org(funder)}</reporting-org>
<title><narrative>Writers ${tag} programme ${i}</narrative></title>
<participating-org role="1"${ref(funder)}>${org(funder)}</participating-org>
<participating-org role="4"${implementerRef}>${org(implementer)}</participating-org>
<transaction><transaction-type code="2"/><transaction-date iso-date="2021-01-0${1 + (i % 9)}"/><value>${1000 + i}</value><receiver-org${implementerRef}>${org(implementer)}</receiver-org></transaction>
<transaction><transaction-type code="3"/><transaction-date iso-date="2021-06-0${1 + (i % 9)}"/><value>${500 + i}</value><receiver-org${implementerRef}>${org(implementer)}</receiver-org></transaction>
</iati-activity>`;
  }).join('\n');
  const path = join(dir, `writers-${tag}.xml`);
  writeFileSync(path, `<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n${body}\n</iati-activities>\n`);
  return path;
}

/** Everything a file wrote, with the file's tag taken out of ids and names so two files can be compared (ids
 * built from an identifier carry it in upper case: identifiers are canonical). */
async function shapeOf(path: string, tag: string) {
  const sourceId = `src-iati-${slugify(basename(path))}`;
  const untag = (text: string) => text.replace(new RegExp(tag, 'gi'), '*');
  const organizations = await db.readRows<{ id: string; name: string; aliases: string[] }>(
    'MATCH (o:Organization) WHERE $sourceId IN o.sourceIds RETURN o.id AS id, o.name AS name, o.aliases AS aliases',
    { sourceId },
  );
  const relationships = await db.readRows<{ from: string; type: string; to: string }>(
    'MATCH (a)-[r]->(b) WHERE $sourceId IN r.sourceIds RETURN a.id AS from, type(r) AS type, b.id AS to',
    { sourceId },
  );
  return {
    organizations: organizations.map((o) => untag(`${o.id} ${o.name} [${[...o.aliases].sort().join(', ')}]`)).sort(),
    relationships: relationships.map((r) => untag(`${r.from} -${r.type}-> ${r.to}`)).sort(),
  };
}

describe('IATI import with several writers', () => {
  it('builds the same graph as one writer, creating each organization once', async () => {
    const single = sharedOrganizationsFile('one', 120);
    const several = sharedOrganizationsFile('many', 120);
    const one = await importIati(db, [single], { batchSize: 10, writers: 1 });
    const many = await importIati(db, [several], { batchSize: 10, writers: 3 });

    const shapeOne = await shapeOf(single, 'one');
    const shapeMany = await shapeOf(several, 'many');
    // Nine organizations named (4 funders, 5 implementers): the name-only mentions joined their ref'd entities.
    expect(shapeOne.organizations).toHaveLength(9);
    expect(shapeMany.organizations).toEqual(shapeOne.organizations);
    expect(shapeMany.relationships).toEqual(shapeOne.relationships);
    expect(shapeOne.relationships.length).toBeGreaterThan(120 * 6);

    for (const report of [one, many]) {
      expect(report.totals).toMatchObject({
        activities: 120,
        created: 120,
        updated: 0,
        unchanged: 0,
        transactions: 240,
        organizationsCreated: 9,
        failedFiles: 0,
      });
    }
  }, 120_000);

  it('changes nothing when the file is imported again with several writers', async () => {
    const path = sharedOrganizationsFile('again', 60);
    await importIati(db, [path], { batchSize: 10, writers: 3 });
    const before = await shapeOf(path, 'again');
    const report = await importIati(db, [path], { batchSize: 10, writers: 3 });
    expect(report.totals).toMatchObject({ created: 0, updated: 0, unchanged: 60, organizationsCreated: 0 });
    expect(await shapeOf(path, 'again')).toEqual(before);
  }, 120_000);

  it('takes --writers on the command line, and refuses a count it cannot use before touching the database', () => {
    const path = sharedOrganizationsFile('cli', 30);
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['-r', TS_REGISTER, 'bin/import.ts', ...args], {
        cwd: PROJECT_DIR,
        env: process.env,
        encoding: 'utf8',
        timeout: 60_000,
      });
    const one = run('iati', path, '--writers', '1', '--json');
    expect(one.status).toBe(0);
    expect(JSON.parse(one.stdout).totals).toMatchObject({ created: 30, organizationsCreated: 9, deadlockRetries: 0 });
    for (const bad of [
      ['iati', path, '--writers', '0'],
      ['iati', path, '--writers', 'many'],
      ['iati', path, '--writers'],
      ['ocds', path, '--writers', '2'],
    ]) {
      const refused = run(...bad);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/usage: npm run import -- iati .*--writers/);
    }
  }, 120_000);

  it('stops with DATABASE_UNAVAILABLE when Neo4j goes away mid-file, leaves no write running, and a re-run completes it', async () => {
    const path = sharedOrganizationsFile('outage', 60);
    // A Bolt proxy to the test server that can be cut like a network failure.
    const target = new URL(db.uri);
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = createConnection(Number(target.port), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const viaProxy = testDatabase({
      NEO4J_URI: `bolt://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
      NEO4J_CONNECT_TIMEOUT_MS: '2000',
    });
    const cut = () => {
      proxy.close();
      for (const socket of sockets) socket.destroy();
    };
    const grantsWritten = async () =>
      (
        await db.readRows<{ n: number }>(
          "MATCH (g:Grant) WHERE g.iatiIdentifier STARTS WITH 'XW-outage-' AND g.stub = false RETURN count(g) AS n",
        )
      )[0]!.n;
    try {
      await expect(
        importIati(viaProxy, [path], {
          batchSize: 10,
          writers: 2,
          onProgress: ({ activities }) => {
            if (activities >= 20) cut();
          },
        }),
      ).rejects.toMatchObject({ extensions: { code: 'DATABASE_UNAVAILABLE' } });
      const afterFailure = await grantsWritten();
      expect(afterFailure).toBeGreaterThanOrEqual(20);
      expect(afterFailure).toBeLessThan(60);
      // Whole batches only, and nothing still writing once the import has returned.
      expect(afterFailure % 10).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await grantsWritten()).toBe(afterFailure);

      const rerun = await importIati(db, [path], { batchSize: 10, writers: 2 });
      expect(rerun.totals).toMatchObject({ created: 60 - afterFailure, unchanged: afterFailure, transactions: 2 * (60 - afterFailure) });
      expect(await grantsWritten()).toBe(60);
    } finally {
      cut();
      await viaProxy.close();
    }
  }, 120_000);
});
