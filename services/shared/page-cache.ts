import type { Database } from './database';

/*
 * Page-cache warm-up. Neo4j Community has none of its own, so after a restart every record a question reads for the
 * first time is a page-cache miss. On a small store earlier questions soon touch it all; on a million-node store the
 * neighbourhood of a random entity is rarely touched before, and a relationship view paid that miss on most of its
 * records (1.8x its time on the small store, bench:growth). Reading every property of every node and relationship
 * once, inside Neo4j (only two counts cross the wire), leaves the store in the page cache when it fits there.
 */
const TOUCH = {
  nodes: 'MATCH (n) UNWIND keys(n) AS key WITH n[key] AS value RETURN count(value) AS touched',
  relationships: 'MATCH ()-[r]->() UNWIND keys(r) AS key WITH r[key] AS value RETURN count(value) AS touched',
};

/** Reads every property of every node, then of every relationship; resolves with how many values were read. */
export async function warmPageCache(db: Database, timeoutMs: number): Promise<{ nodes: number; relationships: number }> {
  const touched = { nodes: 0, relationships: 0 };
  for (const part of ['nodes', 'relationships'] as const)
    for await (const row of db.stream<{ touched: number }>(TOUCH[part], {}, timeoutMs)) touched[part] = row.touched;
  return touched;
}
