import { resolve } from 'node:path';

/** Settings of the test database, shared by global setup, teardown and the tests. */
export const TEST_DATA_DIR = resolve(__dirname, '..', '..', '.data', 'neo4j-test');
export const TEST_BOLT_PORT = 17687;
export const TEST_PASSWORD = 'ogp-graph-test';
export const TS_REGISTER = resolve(__dirname, 'ts-register.js');
export const PROJECT_DIR = resolve(__dirname, '..', '..');
