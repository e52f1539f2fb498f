#!/usr/bin/env node
// Installs the test oracle's Python packages (networkx, scipy: test/oracle/requirements.txt) into .data/oracle-venv,
// where the network-science tests look for them, so `npm install && npm test` compares with networkx on a fresh
// clone. Best effort: without Python's venv module or a package index, it says so and the oracle tests skip (each
// says why). `OGP_SKIP_ORACLE_INSTALL=1` skips it.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.data', 'oracle-venv');
const python = join(venv, 'bin', 'python');
const ready = () => existsSync(python) && spawnSync(python, ['-c', 'import networkx, scipy'], { stdio: 'ignore' }).status === 0;
const skip = (why) => {
  console.warn(`[oracle] ${why}; the networkx oracle tests will skip.`);
  process.exit(0);
};

if (process.env.OGP_SKIP_ORACLE_INSTALL) skip('OGP_SKIP_ORACLE_INSTALL is set');
if (ready()) {
  console.log(`[oracle] networkx found in ${venv}`);
  process.exit(0);
}
console.log(`[oracle] installing networkx and scipy into ${venv} ...`);
if (spawnSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' }).status !== 0) skip('python3 -m venv failed');
const pip = spawnSync(join(venv, 'bin', 'pip'), ['install', '--quiet', '-r', join(root, 'test', 'oracle', 'requirements.txt')], {
  stdio: 'inherit',
});
if (pip.status !== 0 || !ready()) skip('pip could not install test/oracle/requirements.txt');
console.log('[oracle] networkx and scipy installed');
