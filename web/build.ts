import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../services/shared/config';

/** Where the browser assets are built to and served from. */
export const WEB_ASSETS_DIR = join(PROJECT_ROOT, 'dist', 'web-assets');
const SOURCE_DIRS = [join(PROJECT_ROOT, 'web', 'src'), join(PROJECT_ROOT, 'web', 'pages')];
const STAMP = join(WEB_ASSETS_DIR, '.sources-hash');

/** The bundles the gateway serves: the embeddable component on its own, the explorer page, GraphiQL. */
const ENTRY_POINTS = {
  'ogp-relationship-view': join(PROJECT_ROOT, 'web', 'src', 'relationship-view.ts'),
  explorer: join(PROJECT_ROOT, 'web', 'src', 'explorer.ts'),
  graphiql: join(PROJECT_ROOT, 'web', 'src', 'graphiql.tsx'),
};

/**
 * Bundles the browser code with esbuild from our npm dependencies (Cytoscape.js, GraphiQL, React): every asset is
 * served by the gateway, nothing comes from a CDN. Skips the work when the sources have not changed.
 */
export async function buildWebAssets(
  options: { force?: boolean; log?: (line: string) => void } = {},
): Promise<{ built: boolean; files: string[] }> {
  const hash = sourcesHash();
  if (!options.force && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash)
    return { built: false, files: readdirSync(WEB_ASSETS_DIR) };
  const { build } = await import('esbuild');
  mkdirSync(WEB_ASSETS_DIR, { recursive: true });
  const started = Date.now();
  await build({
    entryPoints: ENTRY_POINTS,
    outdir: WEB_ASSETS_DIR,
    bundle: true,
    format: 'iife',
    minify: true,
    target: ['es2020'],
    jsx: 'automatic',
    tsconfig: join(PROJECT_ROOT, 'web', 'src', 'tsconfig.json'),
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'linked',
    logLevel: 'error',
  });
  for (const page of readdirSync(join(PROJECT_ROOT, 'web', 'pages')))
    copyFileSync(join(PROJECT_ROOT, 'web', 'pages', page), join(WEB_ASSETS_DIR, page));
  writeFileSync(STAMP, hash);
  const files = readdirSync(WEB_ASSETS_DIR).filter((f) => !f.startsWith('.'));
  options.log?.(`built ${files.length} web assets in ${Date.now() - started} ms into ${relative(PROJECT_ROOT, WEB_ASSETS_DIR)}`);
  return { built: true, files };
}

/** A hash of every browser source file and of the lockfile (a dependency upgrade changes the bundles too). */
function sourcesHash(): string {
  const hash = createHash('sha256');
  const files = SOURCE_DIRS.flatMap((dir) => walk(dir)).sort();
  for (const file of [...files, join(PROJECT_ROOT, 'package-lock.json')]) {
    if (!existsSync(file)) continue;
    hash.update(relative(PROJECT_ROOT, file)).update(readFileSync(file));
  }
  return hash.digest('hex');
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

if (require.main === module) {
  buildWebAssets({ force: process.argv.includes('--force'), log: (line) => console.log(`[web] ${line}`) }).catch((error: unknown) => {
    console.error('[web] build failed:', (error as Error).message);
    process.exit(1);
  });
}
