#!/usr/bin/env node
// Fetches Neo4j Community (the version pinned in neo4j/pom.xml) from Maven Central into neo4j/lib.
// Runs as npm's postinstall so that `npm install` alone prepares the embedded database.
// Missing Java or Maven is not fatal here: a user may point NEO4J_URI at their own server instead.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pom = join(root, 'neo4j', 'pom.xml');
const lib = join(root, 'neo4j', 'lib');
const marker = join(lib, '.complete');
const version = /<neo4j\.version>([^<]+)<\/neo4j\.version>/.exec(readFileSync(pom, 'utf8'))[1];

if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === version) {
  console.log(`[neo4j] Neo4j ${version} already fetched (neo4j/lib).`);
  process.exit(0);
}

const has = (cmd, arg) => spawnSync(cmd, [arg], { stdio: 'ignore' }).status === 0;
const missing = [!has('java', '-version') && 'Java 17+', !has('mvn', '-v') && 'Maven'].filter(Boolean);
if (missing.length > 0) {
  console.warn(
    `[neo4j] ${missing.join(' and ')} not found: the embedded Neo4j cannot be fetched. ` +
      'Install them (e.g. `apt install openjdk-17-jdk maven`), or set NEO4J_URI to a Neo4j 5 server, ' +
      'or run `docker compose up`.',
  );
  process.exit(0);
}

console.log(`[neo4j] Fetching Neo4j Community ${version} from Maven Central into neo4j/lib ...`);
rmSync(lib, { recursive: true, force: true });
const mvn = spawnSync(
  'mvn',
  ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', '-DoutputDirectory=lib', '-DincludeScope=runtime'],
  { stdio: 'inherit' },
);
if (mvn.status !== 0) {
  console.error('[neo4j] Maven could not fetch Neo4j (see the output above). Check network access to Maven Central.');
  process.exit(1);
}
writeFileSync(marker, version + '\n');
console.log(`[neo4j] Neo4j ${version} ready.`);
