import 'reflect-metadata';
import { rmSync } from 'node:fs';
import { connect, type Connection } from '../neo4j/connect';
import { stopStale } from '../neo4j/launcher';
import { migrate } from '../schema/migrate';
import { seedFromFiles } from '../seed/load';
import { loadConfig } from '../services/shared/config';
import { buildWebAssets } from '../web/build';
import { TEST_API_KEYS, TEST_BOLT_PORT, TEST_DATA_DIR, TEST_PASSWORD } from './support/env';

/**
 * One Neo4j for the whole run: NEO4J_TEST_URI when given, otherwise a fresh embedded one on its own port and
 * data folder. Workers inherit NEO4J_URI/NEO4J_PASSWORD from here, so every test talks to this database.
 */
export default async function globalSetup(): Promise<void> {
  // Each project that needs the database names this setup; jest runs them in one process, so the first one starts it.
  if ((globalThis as { __OGP_NEO4J__?: Connection }).__OGP_NEO4J__) return;
  // The gateway serves the browser bundles the browser tests load; rebuilt only when web/ changed.
  const web = buildWebAssets();
  const external = process.env.NEO4J_TEST_URI;
  let connection: Connection;
  if (external) {
    process.env.NEO4J_URI = external;
    connection = await connect(loadConfig(process.env));
  } else {
    await stopStale(TEST_DATA_DIR);
    rmSync(TEST_DATA_DIR, { recursive: true, force: true });
    const config = loadConfig({
      NEO4J_PASSWORD: TEST_PASSWORD,
      NEO4J_BOLT_PORT: String(TEST_BOLT_PORT),
      NEO4J_DATA_DIR: TEST_DATA_DIR,
      NEO4J_HEAP: '1g',
      NEO4J_PAGECACHE: '512m',
      JAVA_HOME: process.env.JAVA_HOME,
    });
    connection = await connect(config);
    process.env.NEO4J_URI = connection.db.uri;
    process.env.NEO4J_PASSWORD = TEST_PASSWORD;
    process.env.NEO4J_USER = 'neo4j';
  }
  process.env.OGP_TEST_DATA_DIR = TEST_DATA_DIR;
  process.env.API_KEYS = TEST_API_KEYS;
  // Every test file asks from one address, often and fast: fair sharing is tested on its own (gateway/__tests__/fair-share.test.ts).
  // The request log is for operators; a test that reads it passes its own logger.
  process.env.LOG_LEVEL ??= 'silent';
  process.env.CLIENT_MAX_CONCURRENT = '1000';
  process.env.CLIENT_COST_BURST = '1000000000';
  await migrate(connection.db);
  await seedFromFiles(connection.db);
  await web;
  (globalThis as { __OGP_NEO4J__?: Connection }).__OGP_NEO4J__ = connection;
}
