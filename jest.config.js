/*
 * Four tiers, as jest projects (DEVELOPING.md): `unit` needs no database (`npm run test:unit`); `integration`, `e2e`
 * (*.e2e.test.ts: entry points and the stack over HTTP) and `browser` (*.browser.test.ts) share one Neo4j per run,
 * started by test/global-setup.ts for whichever of them runs first. `npm test` runs all four.
 */
const base = {
  testEnvironment: 'node',
  roots: ['<rootDir>'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.data/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFiles: ['reflect-metadata'],
};
const withDatabase = { ...base, globalSetup: '<rootDir>/test/global-setup.ts', globalTeardown: '<rootDir>/test/global-teardown.ts' };

module.exports = {
  testTimeout: 60000,
  maxWorkers: 2,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['**/*.unit.test.ts'] },
    { ...withDatabase, displayName: 'integration', testMatch: ['**/*.test.ts'], testPathIgnorePatterns: [...base.testPathIgnorePatterns, '\\.(unit|e2e|browser)\\.test\\.ts$'] },
    { ...withDatabase, displayName: 'e2e', testMatch: ['**/*.e2e.test.ts'] },
    { ...withDatabase, displayName: 'browser', testMatch: ['**/*.browser.test.ts'] },
  ],
};
