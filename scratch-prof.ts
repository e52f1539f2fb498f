import { connect } from './neo4j/connect';
import { migrate } from './schema/migrate';
import { loadConfig } from './services/shared/config';
import { importIati } from './importers/iati';
import { Database } from './services/shared/database';

async function main() {
  const file = process.argv[2]!;
  const connection = await connect(loadConfig({ ...process.env }));
  await migrate(connection.db);
  const times = new Map<string, { n: number; ms: number }>();
  const orig = Database.prototype.run;
  (connection.db as any).run = async function (tx: any, cypher: string, params: any, mode: any) {
    const t = performance.now();
    const r = await orig.call(this, tx, cypher, params, mode);
    const key = cypher.trim().split('\n').slice(0, 3).join(' ').slice(0, 70);
    const e = times.get(key) ?? { n: 0, ms: 0 };
    e.n++; e.ms += performance.now() - t; times.set(key, e);
    return r;
  };
  const origWrite = Database.prototype.write;
  let writeMs = 0;
  (connection.db as any).write = async function (work: any) { const t = performance.now(); try { return await origWrite.call(this, work); } finally { writeMs += performance.now() - t; } };
  const t0 = performance.now();
  const report = await importIati(connection.db, [file], { batchSize: Number(process.env.BATCH ?? 500) });
  console.log('total', ((performance.now() - t0) / 1000).toFixed(1), 's', report.totals.activities, 'act', report.activitiesPerSecond.toFixed(0), '/s');
  console.log('write tx total', writeMs.toFixed(0), 'ms');
  for (const [k, v] of [...times].sort((a, b) => b[1].ms - a[1].ms)) console.log(v.ms.toFixed(0).padStart(7), 'ms', String(v.n).padStart(4), k);
  await connection.close();
}
main();
