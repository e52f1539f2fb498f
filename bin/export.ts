import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EXPORT_FORMATS, isExportFormat, render, type ExportFormat } from '../exports/formats';
import { openExport, scopeFrom } from '../exports/graph';
import { connect } from '../neo4j/connect';
import { config } from '../services/shared/config';
import { UsageError } from '../services/shared/errors';
import { runMain } from './cli';

const USAGE =
  'usage: npm run export -- <graphml|json|csv> [--center <id> [--depth 1-3] [--kinds MEMBER_OF,WORKS_FOR] [--limit N]] [--out <file, or folder for csv>]';

/**
 * `npm run export -- graphml --center loci --depth 2 --out loci.graphml`: a relationship view, or without --center
 * the whole graph, straight from Neo4j (the embedded one `npm start` runs, or NEO4J_URI). Without --out, graphml and
 * json go to stdout; csv writes nodes.csv and edges.csv into the --out folder (default: the current folder).
 */
runMain('export', async () => {
  const args = process.argv.slice(2);
  const format = args[0] ?? '';
  const option = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i > 0 ? args[i + 1] : undefined;
  };
  if (format !== 'csv' && !isExportFormat(format)) throw new UsageError(USAGE, `got "${args.join(' ')}"`);
  const scope = scopeFrom({ center: option('center'), depth: option('depth'), kinds: option('kinds'), limit: option('limit') });
  const out = option('out');
  const connection = await connect(config(), (line) => console.error(`[neo4j] ${line}`), { attach: true });
  try {
    const parts: ExportFormat[] = format === 'csv' ? ['nodes.csv', 'edges.csv'] : [format as ExportFormat];
    for (const part of parts) {
      const target = format === 'csv' ? join(out ?? '.', EXPORT_FORMATS[part].file) : out;
      if (target && format === 'csv') mkdirSync(out ?? '.', { recursive: true });
      // Each part reads the graph afresh: the streams of one export can be read only once.
      const graph = await openExport(connection.db, scope);
      // stdout is never ended (Node does not allow closing it); a file is, once written.
      await pipeline(Readable.from(render(part, graph)), target ? createWriteStream(target) : process.stdout, { end: Boolean(target) });
      if (target) console.error(`[export] wrote ${target} (${EXPORT_FORMATS[part].what})`);
    }
  } finally {
    await connection.close();
  }
});
