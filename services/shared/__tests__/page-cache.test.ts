import { testDatabase } from '../../../test/support/database';
import { warmPageCache } from '../page-cache';

const db = testDatabase();
afterAll(() => db.close());

/** How many property values the store holds: one per key of every node and of every relationship. */
const STORED =
  'CALL { MATCH (n) RETURN sum(size(keys(n))) AS nodes } CALL { MATCH ()-[r]->() RETURN sum(size(keys(r))) AS relationships } RETURN nodes, relationships';

describe("Neo4j's page-cache warm-up", () => {
  it('reads every property value of every node and every relationship', async () => {
    await db.writeRows(
      "CREATE (a:PageCacheProbe {id: 'page-cache-a', name: 'São Paulo', tags: ['x', 'y']})-[:PROBES {since: '2020', quotes: ['q']}]->(:PageCacheProbe {id: 'page-cache-b'})",
    );
    try {
      // Other test files write to the same database meanwhile: compare with a count taken while nothing changed.
      for (let attempt = 0; ; attempt++) {
        const [before] = await db.readRows<{ nodes: number; relationships: number }>(STORED);
        const touched = await warmPageCache(db, 60_000);
        const [after] = await db.readRows<{ nodes: number; relationships: number }>(STORED);
        if (JSON.stringify(before) !== JSON.stringify(after) && attempt < 5) continue;
        expect(touched).toEqual(after);
        expect(after!.nodes).toBeGreaterThanOrEqual(4);
        expect(after!.relationships).toBeGreaterThanOrEqual(2);
        return;
      }
    } finally {
      await db.writeRows("MATCH (n:PageCacheProbe) WHERE n.id STARTS WITH 'page-cache-' DETACH DELETE n");
    }
  });
});
