import { connect } from './neo4j/connect';
import { loadConfig } from './services/shared/config';
async function main() {
  const c = await connect(loadConfig({ ...process.env }));
  const ids = Array.from({ length: 500 }, (_, i) => `iati-XB-A-10-${i}`);
  for (const q of ['UNWIND $ids AS id MATCH (g:Grant {id: id}) RETURN g.id AS id, g.contentHash AS hash', 'UNWIND $ids AS id RETURN id', 'RETURN 1']) {
    for (let i = 0; i < 4; i++) {
      const t = performance.now();
      const r = await c.db.read((tx) => c.db.run(tx, q, { ids }));
      console.log(q.slice(0, 40), 'client', (performance.now() - t).toFixed(1), 'ms; server available', r.summary.resultAvailableAfter.toString(), 'consumed', r.summary.resultConsumedAfter.toString());
    }
  }
  await c.close();
}
main();
