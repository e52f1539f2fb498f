import { resolve } from 'node:path';

/** Settings of the test database, shared by global setup, teardown and the tests. */
export const TEST_DATA_DIR = resolve(__dirname, '..', '..', '.data', 'neo4j-test');
export const TEST_BOLT_PORT = 17687;
export const TEST_PASSWORD = 'ogp-graph-test';
export const TS_REGISTER = resolve(__dirname, 'ts-register.js');
export const PROJECT_DIR = resolve(__dirname, '..', '..');
/** API keys every test worker's configuration knows (set by global setup). */
export const TEST_API_KEYS = 'test-curator-key:curator,test-reader-key:reader,test-researcher-key:researcher';
export const KEYS = { curator: 'test-curator-key', reader: 'test-reader-key', researcher: 'test-researcher-key' } as const;

/**
 * The read-only shared material (source documents, real public IATI/OGP/OCDS files) some tests compare against:
 * OGP_SHARED_DIR, else `shared` beside the checkout. A clone without it still passes: those tests are skipped
 * (`describeWithShared`, `itWithShared` in shared-data.ts) with one line saying how to get it.
 */
export const SHARED_DIR: string | undefined = ((): string | undefined => {
  const { existsSync } = require('node:fs') as typeof import('node:fs');
  const candidates = [process.env.OGP_SHARED_DIR, resolve(PROJECT_DIR, '..', 'shared')].filter((c): c is string => !!c);
  return candidates.find((dir) => existsSync(resolve(dir, 'sources')));
})();
