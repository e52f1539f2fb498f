import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../services/shared/config';
import { Database } from '../../services/shared/database';

/** A Database on the run's test Neo4j (set up by test/global-setup.ts). */
export function testDatabase(overrides: Record<string, string> = {}): Database {
  const config = loadConfig({ ...process.env, ...overrides });
  return new Database({ ...config.neo4j, uri: config.neo4j.uri! });
}

/**
 * A per-test tag: tests put it in a `testTag` property of what they create and delete only that,
 * so tests can share the seeded database.
 */
export function testTag(): { tag: string; cleanup(db: Database): Promise<void> } {
  const tag = `test-${randomUUID()}`;
  return {
    tag,
    cleanup: async (db) => {
      await db.writeRows('MATCH (n {testTag: $tag}) DETACH DELETE n', { tag });
    },
  };
}
