import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EmbeddedConfig } from '../services/shared/config';
import { checkPrerequisites, layout, LauncherError, LIB_DIR, refuseSecondStart, writeConfig } from './launcher';

/*
 * The bulk path for a first load: Neo4j's own offline importer (`neo4j-admin database import full`) writes the store
 * files directly from CSV, without transactions, into an embedded store that holds no graph yet. At a million nodes
 * this takes a minute where batched Cypher writes take several; the server then starts on the store as usual, and
 * migrations build the indexes on what is there.
 *
 * The folder holds `nodes/*.csv` and `relationships/*.csv` in neo4j-admin's header format (`id:ID`, `:LABEL`,
 * `:START_ID`, `:END_ID`, `:TYPE`, typed columns such as `amount:long`, arrays as `sourceIds:string[]` split on `;`).
 */

export interface BulkImportReport {
  nodeFiles: number;
  relationshipFiles: number;
  seconds: number;
}

/** The CSV files of a bulk-load folder, sorted so runs are reproducible. */
export function bulkLoadFiles(folder: string): { nodes: string[]; relationships: string[] } {
  const list = (sub: string) => {
    const dir = join(resolve(folder), sub);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((name) => name.endsWith('.csv'))
      .sort()
      .map((name) => join(dir, name));
  };
  const files = { nodes: list('nodes'), relationships: list('relationships') };
  if (files.nodes.length === 0)
    throw new LauncherError(`${folder} has no nodes/*.csv: nothing to load (see README, "Loading a whole graph").`);
  return files;
}

/**
 * Loads the CSV files of `folder` into the embedded store of `settings` (which must not be running, nor hold a graph
 * yet: the offline importer replaces a database, it never adds to one). Resolves when the store is written; a failed
 * load removes what it half wrote and says why.
 */
export async function bulkImport(settings: EmbeddedConfig, folder: string, log: (line: string) => void = () => undefined) {
  checkPrerequisites(settings);
  const dirs = layout(settings.dataDir);
  refuseSecondStart(dirs.pidFile);
  if (existsSync(join(dirs.data, 'databases', 'neo4j'))) {
    throw new LauncherError(
      `The store in ${settings.dataDir} already holds a graph: the bulk path is for a first load only. ` +
        'Load into a new NEO4J_DATA_DIR, or use `npm run import` to add to this one.',
    );
  }
  const files = bulkLoadFiles(folder);
  writeConfig(settings, dirs);
  const report = join(dirs.logs, 'bulk-import.report');
  const started = Date.now();
  log(`[bulk-load] ${files.nodes.length} node files, ${files.relationships.length} relationship files into ${settings.dataDir} ...`);
  const output = await run(
    settings.javaBin,
    [
      `-Xmx${settings.heap}`,
      '-cp',
      join(LIB_DIR, '*'),
      'org.neo4j.cli.AdminTool',
      'database',
      'import',
      'full',
      ...files.nodes.map((file) => `--nodes=${file}`),
      ...files.relationships.map((file) => `--relationships=${file}`),
      '--id-type=STRING',
      '--array-delimiter=;',
      '--skip-bad-relationships=false',
      '--skip-duplicate-nodes=false',
      '--verbose',
      `--report-file=${report}`,
      'neo4j',
    ],
    { NEO4J_HOME: dirs.home, NEO4J_CONF: dirs.conf },
  );
  if (output.code !== 0) {
    // The importer leaves its half-written store files in place, and they would not start: remove them.
    for (const half of [join(dirs.data, 'databases', 'neo4j'), join(dirs.data, 'transactions', 'neo4j')])
      rmSync(half, { recursive: true, force: true });
    throw new LauncherError(`The bulk import stopped (exit ${output.code}) and loaded nothing: ${importFailure(output.printed)}`);
  }
  const seconds = (Date.now() - started) / 1000;
  log(`[bulk-load] written in ${seconds.toFixed(1)} s`);
  return { nodeFiles: files.nodes.length, relationshipFiles: files.relationships.length, seconds } satisfies BulkImportReport;
}

/** The importer's reason, from its verbose output: the deepest cause, and the file and line it was reading. */
function importFailure(printed: string): string {
  const lines = printed.split('\n');
  const deepest = lines
    .filter((line) => line.startsWith('Caused by: '))
    .pop()
    ?.replace(/^Caused by: [\w.$]+: /, '');
  const where = /source:([^,\]]+), position:\d+, line:(\d+)/.exec(printed);
  if (!deepest) return lines.slice(-12).join('\n').trim();
  return where ? `${deepest} (${where[1]}, line ${where[2]})` : deepest;
}

/** Runs a command; resolves with its exit code and the end of what it printed. */
function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number; printed: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let printed = '';
    const keep = (chunk: Buffer) => (printed = (printed + chunk.toString('utf8')).slice(-20_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', fail);
    child.once('exit', (code) => done({ code: code ?? -1, printed }));
  });
}
