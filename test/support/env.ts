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
 * The read-only shared material (source documents, real IATI/OGP/OCDS files) tests compare against:
 * OGP_SHARED_DIR, else ../shared beside the checkout, else /work/shared.
 */
export const SHARED_DIR = ((): string => {
  const { existsSync } = require('node:fs') as typeof import('node:fs');
  const candidates = [process.env.OGP_SHARED_DIR, resolve(PROJECT_DIR, '..', 'shared'), '/work/shared'].filter((c): c is string => !!c);
  const found = candidates.find((dir) => existsSync(resolve(dir, 'sources')));
  if (!found) throw new Error(`The shared test material was not found (tried ${candidates.join(', ')}); set OGP_SHARED_DIR.`);
  return found;
})();
