import { importIati } from '../importers/iati';
import { importOgpCommitments } from '../importers/ogp';
import { importOcds } from '../importers/ocds';
import { connect } from '../neo4j/connect';
import { migrate } from '../schema/migrate';
import { config } from '../services/shared/config';
import { UsageError } from '../services/shared/errors';
import { runMain } from './cli';
import type { ImportProgress } from '../importers/shared/progress';

/**
 * One progress line on stderr, rewritten in place on a terminal; in a log (not a TTY) a line per stage change, so
 * a long import in CI still shows where it is. Silent with --json.
 */
function progressPrinter(json: boolean) {
  const started = Date.now();
  const tty = process.stderr.isTTY;
  let lastStage = '';
  return {
    show(p: ImportProgress) {
      if (json) return;
      const seconds = (Date.now() - started) / 1000;
      const line = `[import] ${p.file.split('/').pop()}: ${p.stage} ${p.done} ${p.unit}  ${(p.done / Math.max(0.001, seconds)).toFixed(0)}/s  ${seconds.toFixed(1)} s`;
      if (tty) process.stderr.write(`\r${line.padEnd(100)}${p.stage === 'done' ? '\n' : ''}`);
      else if (p.stage !== lastStage) process.stderr.write(`${line}\n`);
      lastStage = p.stage;
    },
  };
}

const USAGE = 'usage: npm run import -- iati <file-or-folder>... [--writers 1-8] | ogp <csv>... | ocds <json>... [--json]';
const usageError = (detail: string) => new UsageError(USAGE, detail);

/** `--writers N`: how many IATI batches are written at once (1 for a server that should see one writer only). */
function takeWriters(args: string[]): number | undefined {
  const at = args.indexOf('--writers');
  if (at < 0) return undefined;
  const value = args[at + 1];
  args.splice(at, 2);
  if (!/^[1-8]$/.test(value ?? '')) throw usageError(`--writers takes a whole number from 1 to 8, got "${value ?? ''}"`);
  return Number(value);
}

/** `npm run import -- iati <file-or-folder>... [--writers N] [--json]`, `ogp <csv>...` or `ocds <json>...` */
runMain('import', async () => {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  const writers = takeWriters(rest);
  const [kind, ...paths] = rest;
  if (!['iati', 'ogp', 'ocds'].includes(kind ?? '') || paths.length === 0) throw usageError(`got "${args.join(' ')}"`);
  if (writers !== undefined && kind !== 'iati') throw usageError('--writers applies to iati imports');
  const connection = await connect(config(), json ? () => undefined : console.log, { attach: true });
  const progress = progressPrinter(json);
  try {
    await migrate(connection.db);
    if (kind === 'ocds') {
      for (const path of paths) {
        const report = await importOcds(connection.db, path, { onProgress: progress.show });
        if (json) console.log(JSON.stringify(report, null, 2));
        else {
          console.log(
            `imported ${report.file}: ${report.documents} documents, ${report.releases} releases, ${report.processes} contracting processes, ${report.parties} parties, ${report.rejections.length} rejections`,
          );
          for (const r of report.rejections) console.log(`rejected ${r.file} document ${r.line} ${r.identifier || '(no id)'}: ${r.reason}`);
        }
      }
      return;
    }
    if (kind === 'ogp') {
      for (const path of paths) {
        const report = await importOgpCommitments(connection.db, path, {
          onProgress: progress.show,
        });
        if (json) console.log(JSON.stringify(report, null, 2));
        else {
          const counts = (c: { created: number; updated: number; unchanged: number }) =>
            `${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`;
          console.log(
            `imported ${report.file}: ${report.rows} rows, ${report.commitments} commitments (${counts(report.changes.commitments)}) in ${report.actionPlans} action plans (${counts(report.changes.actionPlans)}), ` +
              `${report.institutions} institutions, memberships of OGP and OGP Local (${counts(report.memberships)}), ${report.rejections.length} rejections, ${report.seconds.toFixed(1)} s`,
          );
          if (report.unclassifiedMembers.length)
            console.log(
              `no membership inferred for members the export marks neither national nor local: ${report.unclassifiedMembers.join(', ')}`,
            );
          for (const r of report.rejections) console.log(`rejected ${r.file}:${r.line} ${r.identifier || '(no identifier)'}: ${r.reason}`);
        }
      }
      return;
    }
    // Untagged: sending transaction metadata through a tagged view made a fresh 100 MB import ~20% slower (bench:iati).
    const report = await importIati(connection.db, paths, {
      writers,
      onProgress: ({ file, activities }) => progress.show({ file, stage: 'writing', done: activities, unit: 'activities' }),
    });
    progress.show({ file: paths.at(-1)!, stage: 'done', done: report.totals.activities, unit: 'activities' });
    if (json) {
      console.log(JSON.stringify({ ...report, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }, null, 2));
    } else {
      for (const f of report.files) {
        console.log(
          f.status === 'failed'
            ? `FAILED   ${f.error}`
            : `imported ${f.file}: ${f.activities} activities (${f.created} created, ${f.updated} updated, ${f.unchanged} unchanged, ${f.rejected} rejections), ${f.transactions} transactions, ${f.organizationsCreated} new organizations`,
        );
      }
      for (const r of report.rejections) console.log(`rejected ${r.file}:${r.line} ${r.identifier || '(no identifier)'}: ${r.reason}`);
      const t = report.totals;
      console.log(
        `\n${t.files} files (${t.failedFiles} failed), ${t.activities} activities: ${t.created} created, ${t.updated} updated, ${t.unchanged} unchanged; ` +
          `${t.transactions} transactions; ${t.organizationsCreated} new organizations; ${t.rejected} rejections; ${report.activitiesPerSecond.toFixed(0)} activities/s`,
      );
    }
    if (report.totals.failedFiles > 0) process.exitCode = 2;
  } finally {
    await connection.close();
  }
});
