import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_DIR } from './support/env';

/*
 * The architecture's boundaries are rules, not habits (eslint.config.mjs): no subgraph imports another or the
 * tools around it, exports/importers/gateway use only services/shared, and no unused code. `npm run lint` says the
 * same with file and line; this keeps `npm test` from passing when they are broken. (ESLint runs as its own
 * process: it loads its configuration as an ES module, which jest's sandbox does not.)
 */
describe('lint', () => {
  it('finds no boundary crossed and nothing unused in the tree', () => {
    const run = spawnSync(process.execPath, [join(PROJECT_DIR, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.', '--format', 'json'], {
      cwd: PROJECT_DIR,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const results = JSON.parse(run.stdout) as Array<{
      filePath: string;
      messages: Array<{ line: number; ruleId: string; message: string }>;
    }>;
    const problems = results.flatMap((r) =>
      r.messages.map((m) => `${r.filePath.replace(`${PROJECT_DIR}/`, '')}:${m.line} ${m.ruleId}: ${m.message}`),
    );
    expect(problems).toEqual([]);
    expect(run.status).toBe(0);
    expect(results.length).toBeGreaterThan(100);
  }, 120_000);

  it('finds every TypeScript file formatted as Prettier formats it (.prettierrc.json; `npm run format` fixes it)', () => {
    const run = spawnSync(
      process.execPath,
      [join(PROJECT_DIR, 'node_modules', 'prettier', 'bin', 'prettier.cjs'), '--list-different', '**/*.ts'],
      {
        cwd: PROJECT_DIR,
        encoding: 'utf8',
      },
    );
    expect(run.stdout.split('\n').filter(Boolean)).toEqual([]);
    expect(run.status).toBe(0);
  }, 120_000);
});
