import 'reflect-metadata';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EXPORT_FORMATS, isExportFormat, render, type ExportFormat } from '../exports/formats';
import { measureActors, measuresFrom, openExport, scopeFrom } from '../exports/graph';
import { connect } from '../neo4j/connect';
import { actorMeasures } from '../services';
import { config } from '../services/shared/config';
import { UsageError } from '../services/shared/errors';
import { runMain } from './cli';

const USAGE =
  'usage: npm run export -- <graphml|json|csv> [--center <id> [--depth 1-3] [--kinds MEMBER_OF,WORKS_FOR] [--limit N]] [--measures community,betweenness,... [--network <id>] [--country <iso2>]] [--out <file, or folder for csv>]';

/**
 * `npm run export -- graphml --center loci --depth 2 --out loci.graphml`: a relationship view, or without --center
 * the whole graph, straight from Neo4j (the embedded one `npm start` runs, or NEO4J_URI). Without --out, graphml and
 * json go to stdout; csv writes nodes.csv and edges.csv into the --out folder (default: the current folder).
 * `--measures community,betweenness` adds those measures of each actor as node attributes (see exports/http.ts).
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
  const wanted = measuresFrom({ measures: option('measures'), network: option('network'), country: option('country') });
  const out = option('out');
  const connection = await connect(config(), (line) => console.error(`[neo4j] ${line}`), { attach: true });
  try {
    // Computed once (on the collaboration index, loaded here) and written into every part.
    const measured = await measureActors(connection.db, wanted, actorMeasures);
    const parts: ExportFormat[] = format === 'csv' ? ['nodes.csv', 'edges.csv'] : [format as ExportFormat];
    for (const part of parts) {
      const target = format === 'csv' ? join(out ?? '.', EXPORT_FORMATS[part].file) : out;
      if (target && format === 'csv') mkdirSync(out ?? '.', { recursive: true });
      // Each part reads the graph afresh: the streams of one export can be read only once.
      const graph = await openExport(connection.db, scope, measured);
      // stdout is never ended (Node does not allow closing it); a file is, once written.
      await pipeline(Readable.from(render(part, graph)), target ? createWriteStream(target) : process.stdout, { end: Boolean(target) });
      if (target) console.error(`[export] wrote ${target} (${EXPORT_FORMATS[part].what})`);
    }
  } finally {
    await connection.close();
  }
});
