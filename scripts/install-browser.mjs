#!/usr/bin/env node
// Installs Debian's Chromium for the browser tests (web/__tests__), when it is missing and we may: as root with
// apt-get. Otherwise says how; the browser tests then skip with a warning. `--required` makes a failure fatal (CI).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const required = process.argv.includes('--required');
const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean);
const found = candidates.find((path) => existsSync(path));
if (found) {
  console.log(`[browser] Chromium found at ${found}`);
  process.exit(0);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
if (!isRoot || !hasApt || process.env.OGP_SKIP_BROWSER_INSTALL) {
  const message = '[browser] Chromium is missing: install it (`sudo apt-get install chromium`) or set CHROMIUM_PATH; the browser tests skip until then.';
  console.warn(message);
  process.exit(required ? 1 : 0);
}
console.log('[browser] installing Debian chromium for the browser tests (apt-get) ...');
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env }) : update;
if (install.status !== 0 || !existsSync('/usr/bin/chromium')) {
  console.warn('[browser] could not install chromium with apt-get; the browser tests will skip.');
  process.exit(required ? 1 : 0);
}
console.log('[browser] Chromium installed at /usr/bin/chromium');
