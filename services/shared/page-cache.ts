import type { Database } from './database';

/*
 * Page-cache warm-up. Neo4j Community has none of its own, so after a restart every record or index page a question
 * reads for the first time is a page-cache miss. On a small store earlier questions soon touch it all; on a
 * million-node store the neighbourhood of a random entity is rarely touched before, and a relationship view paid
 * that miss on most of its records (1.8x its time on the small store, bench:growth). Reading every property of every
 * node and relationship once, and scanning every range index (the `{id: ...}` look-ups go through them), inside Neo4j
 * (only counts cross the wire), leaves the store in the page cache when it fits there.
 */
const TOUCH = {
  nodes: 'MATCH (n) UNWIND keys(n) AS key WITH n[key] AS value RETURN count(value) AS touched',
  relationships: 'MATCH ()-[r]->() UNWIND keys(r) AS key WITH r[key] AS value RETURN count(value) AS touched',
};

const RANGE_INDEXES =
  "SHOW INDEXES YIELD type, entityType, labelsOrTypes, properties, state WHERE type = 'RANGE' AND entityType = 'NODE' AND state = 'ONLINE' RETURN labelsOrTypes[0] AS label, properties";

const quoted = (name: string) => `\`${name.replaceAll('`', '``')}\``;

/** Every entry of one node range index, read by an index scan (an existence test on its properties). */
const scanIndex = (label: string, properties: string[]) =>
  `MATCH (n:${quoted(label)}) USING INDEX n:${quoted(label)}(${properties.map(quoted).join(', ')}) ` +
  `WHERE ${properties.map((p) => `n.${quoted(p)} IS NOT NULL`).join(' AND ')} RETURN count(*) AS touched`;

/** Reads every property of every node and relationship, then every node range index; resolves with what it read. */
export async function warmPageCache(
  db: Database,
  timeoutMs: number,
): Promise<{ nodes: number; relationships: number; indexEntries: number }> {
  const touched = { nodes: 0, relationships: 0, indexEntries: 0 };
  for (const part of ['nodes', 'relationships'] as const)
    for await (const row of db.stream<{ touched: number }>(TOUCH[part], {}, timeoutMs)) touched[part] = row.touched;
  for (const { label, properties } of await db.readRows<{ label: string; properties: string[] }>(RANGE_INDEXES))
    for await (const row of db.stream<{ touched: number }>(scanIndex(label, properties), {}, timeoutMs))
      touched.indexEntries += row.touched;
  return touched;
}
