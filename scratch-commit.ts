import { connect } from './neo4j/connect';
import { loadConfig } from './services/shared/config';
async function main() {
  const c = await connect(loadConfig({ ...process.env }));
  for (const n of [1, 100, 1000, 5000]) {
    const rows = Array.from({ length: n }, (_, i) => ({ id: `probe-${n}-${i}-${Date.now()}` }));
    let q = 0;
    const t = performance.now();
    await c.db.write(async (tx) => { const t1 = performance.now(); await c.db.run(tx, 'UNWIND $rows AS r CREATE (:CommitProbe {id: r.id})', { rows }, 'WRITE'); q = performance.now() - t1; });
    console.log(n, 'nodes: query', q.toFixed(0), 'ms, tx total', (performance.now() - t).toFixed(0), 'ms');
  }
  await c.db.writeRows('MATCH (n:CommitProbe) DELETE n');
  await c.close();
}
main();
