import type { ManagedTransaction } from 'neo4j-driver';
import type { Database } from './database';

/*
 * The change journal. Neo4j Community has no change-data capture, yet the insights subgraph keeps an in-memory
 * projection of the graph (services/insights/live-index.ts) that must see every write. So every writer of link
 * relationships, places or actors records, in the same transaction, which entity ids it touched: one small
 * :GraphChange node per transaction (never a shared counter, which concurrent import batches would fight over).
 * Readers apply changes idempotently by re-reading those entities, so order and duplicates do not matter.
 * `everything` marks a bulk load too large to list: readers reload the whole projection.
 */
const RECORD = 'CREATE (:GraphChange {id: randomUUID(), at: timestamp(), ids: $ids, everything: $everything})';

/** Records, inside `tx`, that these entities (or, with 'everything', the whole graph) changed. */
export async function recordGraphChange(
  db: Database,
  tx: ManagedTransaction,
  ids: Iterable<string | null | undefined> | 'everything',
): Promise<void> {
  const list = ids === 'everything' ? [] : [...new Set(ids)].filter((id): id is string => typeof id === 'string');
  if (ids !== 'everything' && list.length === 0) return;
  await db.run(tx, RECORD, { ids: list, everything: ids === 'everything' }, 'WRITE');
}

/** The same, as its own transaction (after a bulk load written in many). */
export function recordGraphChangeNow(db: Database, ids: Iterable<string | null | undefined> | 'everything'): Promise<void> {
  return db.write((tx) => recordGraphChange(db, tx, ids));
}
