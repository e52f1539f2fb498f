import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '../neo4j/connect';
import { stopStale } from '../neo4j/launcher';
import { migrate } from '../schema/migrate';
import { loadConfig, PROJECT_ROOT } from '../services/shared/config';
import { random } from './generate';

/*
 * IATI import benchmark: generates activity files of ~1 MB and ~100 MB, imports each with `npm run import`'s entry
 * point in its own process into one embedded Neo4j started for the run, and prints activities per second and peak
 * RSS. The 100 MB workload runs twice with different activities (same organizations): first on the freshly started
 * server, whose JVM spends the first minute compiling Neo4j's hot code (about a core's worth), then on the same
 * server warmed by that first run, which is what a long-running server sees.
 */
const BIG_MB = Number(process.env.BENCH_IATI_MB ?? 100);
/** The import runs under this V8 heap cap: finishing the big file under it shows memory stays bounded. */
const HEAP_CAP_MB = 192;

/** Writes a generated IATI 2.03 file of about `megabytes`; returns how many activities it holds. */
export async function generateIatiFile(path: string, megabytes: number, tag = String(megabytes), seed = megabytes): Promise<number> {
  const out = createWriteStream(path);
  const rnd = random(seed);
  const write = (text: string) => new Promise<void>((done) => (out.write(text) ? done() : out.once('drain', () => done())));
  await write('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n');
  let count = 0;
  while (out.bytesWritten < megabytes * 1024 * 1024) {
    const id = `XB-BENCH-${tag}-${count++}`;
    const funder = `XB-ORG-${Math.floor(rnd() * 500)}`;
    const implementer = `XB-ORG-${500 + Math.floor(rnd() * 2000)}`;
    await write(`<iati-activity default-currency="USD" xml:lang="en"><iati-identifier>${id}</iati-identifier>
<reporting-org ref="${funder}" type="10"><narrative>Funder ${funder}</narrative></reporting-org>
<title><narrative>Programme ${count}</narrative><narrative xml:lang="es">Programa ${count}</narrative></title>
<description><narrative>Open contracting support for municipality ${count % 977}.</narrative></description>
<participating-org role="1" ref="${funder}" type="10"><narrative>Funder ${funder}</narrative></participating-org>
<participating-org role="4" ref="${implementer}" type="22"><narrative>Implementer ${implementer}</narrative></participating-org>
<activity-status code="2"/><activity-date type="2" iso-date="2020-01-01"/><recipient-country code="MX" percentage="100"/><sector code="15110" vocabulary="1"/>
<transaction><transaction-type code="2"/><transaction-date iso-date="2020-01-15"/><value>${Math.round(rnd() * 1e6)}</value><receiver-org ref="${implementer}"><narrative>Implementer ${implementer}</narrative></receiver-org></transaction>
<transaction><transaction-type code="3"/><transaction-date iso-date="2020-06-15"/><value>${Math.round(rnd() * 5e5)}</value><receiver-org ref="${implementer}"><narrative>Implementer ${implementer}</narrative></receiver-org></transaction>
<result type="1"><title><narrative>Contracts published</narrative></title></result>
</iati-activity>\n`);
  }
  await write('</iati-activities>\n');
  await new Promise<void>((done) => out.end(done));
  return count;
}

async function main() {
  const dir = join(PROJECT_ROOT, '.data', 'bench-iati');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const dataDir = join(PROJECT_ROOT, '.data', 'neo4j-bench-iati');
  await stopStale(dataDir); // left by a bench that died
  rmSync(dataDir, { recursive: true, force: true });
  const env = {
    NEO4J_URI: '',
    NEO4J_DATA_DIR: dataDir,
    NEO4J_BOLT_PORT: '17698',
    NEO4J_HEAP: '4g',
    NEO4J_PAGECACHE: '2g',
    NEO4J_PASSWORD: 'ogp-graph-bench',
    NEO4J_TX_TIMEOUT_MS: '300000',
  };
  const connection = await connect(loadConfig({ ...process.env, ...env }), console.log);
  try {
    await migrate(connection.db);
    console.log(`\nEach import runs in its own process with a ${HEAP_CAP_MB} MB heap cap (--max-old-space-size).`);
    const runs = [
      { label: '1 MB', megabytes: 1, tag: '1', seed: 1, server: 'fresh' },
      { label: `${BIG_MB} MB`, megabytes: BIG_MB, tag: String(BIG_MB), seed: BIG_MB, server: 'fresh' },
      { label: `${BIG_MB} MB`, megabytes: BIG_MB, tag: `${BIG_MB}-second`, seed: BIG_MB * 31, server: 'warm' },
    ];
    console.log(
      `\n${'file'.padEnd(8)} ${'server'.padEnd(7)} ${'size'.padStart(9)} ${'activities'.padStart(11)} ${'seconds'.padStart(8)} ${'activities/s'.padStart(13)} ${'peak RSS'.padStart(9)} ${'waited for planning'.padStart(20)} ${'deadlock retries'.padStart(17)}`,
    );
    for (const { label, megabytes, tag, seed, server } of runs) {
      const file = join(dir, `bench-${tag}mb.xml`);
      const activities = await generateIatiFile(file, megabytes, tag, seed);
      const size = `${(statSync(file).size / 1024 / 1024).toFixed(1)} MB`;
      const run = spawnSync(
        process.execPath,
        [
          `--max-old-space-size=${HEAP_CAP_MB}`,
          '-r',
          join(PROJECT_ROOT, 'test', 'support', 'ts-register.js'),
          join(PROJECT_ROOT, 'bin', 'import.ts'),
          'iati',
          file,
          '--json',
        ],
        {
          env: { ...process.env, ...env, NEO4J_URI: connection.db.uri },
          encoding: 'utf8',
          maxBuffer: 512 * 1024 * 1024,
        },
      );
      rmSync(file, { force: true });
      if (run.status !== 0) throw new Error(run.stderr || run.stdout);
      const report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{'))) as {
        seconds: number;
        planningSeconds: number;
        activitiesPerSecond: number;
        peakRssMb: number;
        totals: { deadlockRetries: number };
      };
      console.log(
        `${label.padEnd(8)} ${server.padEnd(7)} ${size.padStart(9)} ${String(activities).padStart(11)} ${report.seconds.toFixed(1).padStart(8)} ${report.activitiesPerSecond.toFixed(0).padStart(13)} ${`${report.peakRssMb} MB`.padStart(9)} ${`${report.planningSeconds.toFixed(1)} s`.padStart(20)} ${String(report.totals.deadlockRetries).padStart(17)}`,
      );
    }
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
