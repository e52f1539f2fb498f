import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_DIR } from './env';

/**
 * The Python that runs the test oracles: OGP_ORACLE_PYTHON, else the venv `.ci/run` makes (.data/oracle-venv), else
 * python3 on PATH; undefined when none of them can import networkx and scipy (the oracle tests are then skipped, with a line
 * saying how to get it).
 */
export const ORACLE_PYTHON: string | undefined = (() => {
  const candidates = [process.env.OGP_ORACLE_PYTHON, join(PROJECT_DIR, '.data', 'oracle-venv', 'bin', 'python'), 'python3'].filter(
    (p): p is string => !!p && (p === 'python3' || existsSync(p)),
  );
  return candidates.find((python) => spawnSync(python, ['-c', 'import networkx, scipy'], { encoding: 'utf8' }).status === 0);
})();

if (!ORACLE_PYTHON) {
  console.warn(
    '[tests] networkx oracle tests skipped: run `python3 -m venv .data/oracle-venv && .data/oracle-venv/bin/pip install -r test/oracle/requirements.txt`.',
  );
}

/** Runs a script of test/oracle with `input` as JSON on stdin; its JSON output. */
export function runOracle<T>(script: string, input: unknown): T {
  const run = spawnSync(ORACLE_PYTHON!, [join(PROJECT_DIR, 'test', 'oracle', script)], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`oracle ${script} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
