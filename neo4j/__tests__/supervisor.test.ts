import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importIati } from '../../importers/iati';
import { migrate } from '../../schema/migrate';
import { AppError } from '../../services/shared/errors';
import { loadConfig, PROJECT_ROOT } from '../../services/shared/config';
import { TEST_BOLT_PORT, TEST_PASSWORD } from '../../test/support/env';
import { connect, type Connection } from '../connect';
import { restartDelayMs } from '../supervisor';

const usingEmbedded = !process.env.NEO4J_TEST_URI;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** The supervisor's log so far: a failure here shows what Neo4j and the supervisor did meanwhile. */
const lines: string[] = [];

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`${what}: not within ${timeoutMs} ms. The supervisor's last lines:\n${lines.slice(-12).join('\n')}`);
    }
    await sleep(100);
  }
  return Date.now() - started;
}

describe('restart back-off', () => {
  it('waits 1, 2, 4, 8, 16 s, then 30 s between attempts', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map(restartDelayMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });
});

(usingEmbedded ? describe : describe.skip)('the supervised embedded Neo4j', () => {
  const dataDir = join(PROJECT_ROOT, '.data', 'neo4j-supervisor-test');
  let connection: Connection;

  beforeAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    const config = loadConfig({
      NEO4J_PASSWORD: TEST_PASSWORD,
      NEO4J_BOLT_PORT: String(TEST_BOLT_PORT + 3),
      NEO4J_DATA_DIR: dataDir,
      NEO4J_HEAP: '512m',
      NEO4J_PAGECACHE: '64m',
      JAVA_HOME: process.env.JAVA_HOME ?? '',
    });
    connection = await connect(config, (line) => lines.push(`${new Date().toISOString()} ${line}`), { supervise: true });
  }, 120_000);

  afterAll(async () => {
    await connection?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is restarted after kill -9: requests fail fast meanwhile, then answer again with every committed write', async () => {
    const { db, embedded } = connection;
    await db.writeRows("CREATE (:SupervisionProbe {id: 'committed-before-the-crash'})");
    const firstPid = embedded!.pid;
    process.kill(firstPid, 'SIGKILL');
    await until('the log names the death', () => lines.some((l) => /died: killed by SIGKILL/.test(l)), 5000);

    const started = Date.now();
    const refused = await db.readRows('RETURN 1 AS one').catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'DATABASE_UNAVAILABLE', extensions: { retryAfterSeconds: expect.any(Number) } });

    const recovery = await until(
      'answers again',
      () =>
        db.ping().then(
          () => true,
          () => false,
        ),
      60_000,
    );
    expect(recovery).toBeLessThan(60_000);
    expect(embedded!.pid).not.toBe(firstPid);
    expect(lines.some((l) => /Neo4j is back/.test(l))).toBe(true);
    expect(await db.readRows("MATCH (p:SupervisionProbe {id: 'committed-before-the-crash'}) RETURN p.id AS id")).toEqual([
      { id: 'committed-before-the-crash' },
    ]);
  }, 90_000);

  it('survives the heap-exhausting query that used to take it down (refused, or restarted)', async () => {
    const { db } = connection;
    const outcome = await db.readRows('WITH range(1, 400000000) AS xs RETURN size([x IN xs | toString(x)]) AS n').catch((e: unknown) => e);
    // Neo4j's memory tracking covers operators (collect, sort, distinct), not one huge list expression: that one
    // still exhausts the heap, so the supervisor must bring Neo4j back, saying why it died.
    if ((outcome as AppError).code !== 'QUERY_TOO_LARGE') {
      expect(outcome).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      await until('the log names the cause', () => lines.some((l) => /died: out of memory \(heap 512m/.test(l)), 10_000);
    }
    await until(
      'answers after the heavy query',
      () =>
        db.ping().then(
          () => true,
          () => false,
        ),
      60_000,
    );
    expect(await db.readRows('MATCH (p:SupervisionProbe) RETURN count(p) AS n')).toEqual([{ n: 1 }]);
  }, 120_000);

  it('stops an import running during the crash with a clear message, and a re-run completes the file exactly', async () => {
    const { db, embedded } = connection;
    await migrate(db);
    const activities = 3000;
    const file = join(mkdtempSync(join(tmpdir(), 'ogp-crash-import-')), 'crash-import.xml');
    writeFileSync(
      file,
      `<iati-activities version="2.03">${Array.from(
        { length: activities },
        (_, i) => `<iati-activity default-currency="EUR">
      <iati-identifier>XC-CRASH-${i}</iati-identifier><reporting-org ref="XC-CRASH" type="10"><narrative>Crash Funder</narrative></reporting-org>
      <title><narrative>Crash ${i}</narrative></title>
      <transaction><transaction-type code="2"/><transaction-date iso-date="2020-01-01"/><value>${100 + i}</value></transaction>
      <transaction><transaction-type code="3"/><transaction-date iso-date="2020-02-01"/><value>-${i % 7}.5</value></transaction>
    </iati-activity>`,
      ).join('')}</iati-activities>`,
    );

    // Neo4j dies once the first batch is committed: the import must stop, saying why, not hang or half-succeed.
    let killed = false;
    const interrupted = await importIati(db, [file], {
      writers: 1,
      onProgress: () => {
        if (!killed) {
          killed = true;
          process.kill(embedded!.pid, 'SIGKILL');
        }
      },
    }).catch((e: unknown) => e);
    expect(killed).toBe(true);
    expect(interrupted).toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      message: expect.stringMatching(
        /^The import of .*crash-import\.xml stopped after \d+ activities were written: .*unavailable.* Run the same import again once Neo4j answers/,
      ),
    });

    await until(
      'answers after the crash',
      () =>
        db.ping().then(
          () => true,
          () => false,
        ),
      60_000,
    );
    const rerun = await importIati(db, [file]);
    expect(rerun.files[0]).toMatchObject({ status: 'imported', activities });
    expect(rerun.totals.created + rerun.totals.unchanged + rerun.totals.updated).toBe(activities);
    const [graph] = await db.readRows<{ grants: number; transactions: number; uneven: number }>(`
      MATCH (g:Grant) WHERE g.iatiIdentifier STARTS WITH 'XC-CRASH-'
      WITH g, COUNT { (g)-[:HAS_TRANSACTION]->(:Transaction) } AS n
      RETURN count(g) AS grants, sum(n) AS transactions, sum(CASE WHEN n = 2 THEN 0 ELSE 1 END) AS uneven`);
    expect(graph).toEqual({ grants: activities, transactions: 2 * activities, uneven: 0 });
  }, 180_000);
});
