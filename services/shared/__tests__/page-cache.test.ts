import { testDatabase } from '../../../test/support/database';
import { warmPageCache } from '../page-cache';

const db = testDatabase();
afterAll(() => db.close());

/** How many property values the store holds: one per key of every node and of every relationship. */
const STORED =
  'CALL { MATCH (n) RETURN sum(size(keys(n))) AS nodes } CALL { MATCH ()-[r]->() RETURN sum(size(keys(r))) AS relationships } RETURN nodes, relationships';

/** How many entries the node range indexes hold: per index, the nodes of its label that have all its properties. */
async function indexEntries(): Promise<number> {
  const indexes = await db.readRows<{ label: string; properties: string[] }>(
    "SHOW INDEXES YIELD type, entityType, labelsOrTypes, properties WHERE type = 'RANGE' AND entityType = 'NODE' RETURN labelsOrTypes[0] AS label, properties",
  );
  let entries = 0;
  for (const { label, properties } of indexes) {
    const [row] = await db.readRows<{ n: number }>(
      'MATCH (n) WHERE $label IN labels(n) AND all(p IN $properties WHERE n[p] IS NOT NULL) RETURN count(n) AS n',
      { label, properties },
    );
    entries += row!.n;
  }
  return entries;
}

describe("Neo4j's page-cache warm-up", () => {
  it('reads every property value of every node and every relationship, and every entry of every node range index', async () => {
    await db.writeRows(
      "CREATE (a:PageCacheProbe {id: 'page-cache-a', name: 'São Paulo', tags: ['x', 'y']})-[:PROBES {since: '2020', quotes: ['q']}]->(:PageCacheProbe {id: 'page-cache-b'})",
    );
    try {
      // Other test files write to the same database meanwhile: compare with a count taken while nothing changed.
      for (let attempt = 0; ; attempt++) {
        const before = { ...(await db.readRows<{ nodes: number; relationships: number }>(STORED))[0]!, indexEntries: await indexEntries() };
        const touched = await warmPageCache(db, 60_000);
        const after = { ...(await db.readRows<{ nodes: number; relationships: number }>(STORED))[0]!, indexEntries: await indexEntries() };
        if (JSON.stringify(before) !== JSON.stringify(after) && attempt < 5) continue;
        expect(touched).toEqual(after);
        expect(after.indexEntries).toBeGreaterThan(0); // the seeded entities' ids, at least
        expect(after.nodes).toBeGreaterThanOrEqual(4);
        expect(after.relationships).toBeGreaterThanOrEqual(2);
        return;
      }
    } finally {
      await db.writeRows("MATCH (n:PageCacheProbe) WHERE n.id STARTS WITH 'page-cache-' DETACH DELETE n");
    }
  });
});
