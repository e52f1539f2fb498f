import { importIati } from '../importers/iati';
import { importOgpCommitments } from '../importers/ogp';
import { importOcds } from '../importers/ocds';
import { connect } from '../neo4j/connect';
import { migrate } from '../schema/migrate';
import { config } from '../services/shared/config';
import { runMain } from './cli';

/** `npm run import -- iati <file-or-folder>... [--json]` or `npm run import -- ogp <csv>... [--json]` */
runMain('import', async () => {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const [kind, ...paths] = args.filter((a) => a !== '--json');
  if (!['iati', 'ogp', 'ocds'].includes(kind ?? '') || paths.length === 0) {
    throw Object.assign(new Error(`usage: npm run import -- iati <file-or-folder>... | ogp <csv>... | ocds <json>... [--json] (got "${args.join(' ')}")`), { name: 'ConfigError' });
  }
  const connection = await connect(config(), json ? () => undefined : console.log, { attach: true });
  try {
    await migrate(connection.db);
    if (kind === 'ocds') {
      for (const path of paths) {
        const report = await importOcds(connection.db, path);
        if (json) console.log(JSON.stringify(report, null, 2));
        else {
          console.log(`imported ${report.file}: ${report.documents} documents, ${report.releases} releases, ${report.processes} contracting processes, ${report.parties} parties, ${report.rejections.length} rejections`);
          for (const r of report.rejections) console.log(`rejected ${r.file} document ${r.line} ${r.identifier || '(no id)'}: ${r.reason}`);
        }
      }
      return;
    }
    if (kind === 'ogp') {
      for (const path of paths) {
        const report = await importOgpCommitments(connection.db, path);
        if (json) console.log(JSON.stringify(report, null, 2));
        else {
          console.log(`imported ${report.file}: ${report.rows} rows, ${report.commitments} commitments in ${report.actionPlans} action plans, ${report.institutions} institutions, ${report.rejections.length} rejections, ${report.seconds.toFixed(1)} s`);
          for (const r of report.rejections) console.log(`rejected ${r.file}:${r.line} ${r.identifier || '(no identifier)'}: ${r.reason}`);
        }
      }
      return;
    }
    const started = Date.now();
    const tty = process.stderr.isTTY && !json;
    const report = await importIati(connection.db, paths, {
      onProgress: ({ file, activities }) => {
        if (!tty) return;
        const rate = activities / Math.max(0.001, (Date.now() - started) / 1000);
        process.stderr.write(`\r[import] ${activities} activities  ${rate.toFixed(0)}/s  ${file.split('/').pop()}`.padEnd(100));
      },
    });
    if (tty) process.stderr.write('\n');
    if (json) {
      console.log(JSON.stringify({ ...report, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }, null, 2));
    } else {
      for (const f of report.files) {
        console.log(f.status === 'failed'
          ? `FAILED   ${f.error}`
          : `imported ${f.file}: ${f.activities} activities (${f.created} created, ${f.updated} updated, ${f.unchanged} unchanged, ${f.rejected} rejections), ${f.transactions} transactions, ${f.organizationsCreated} new organizations`);
      }
      for (const r of report.rejections) console.log(`rejected ${r.file}:${r.line} ${r.identifier || '(no identifier)'}: ${r.reason}`);
      const t = report.totals;
      console.log(`\n${t.files} files (${t.failedFiles} failed), ${t.activities} activities: ${t.created} created, ${t.updated} updated, ${t.unchanged} unchanged; ` +
        `${t.transactions} transactions; ${t.organizationsCreated} new organizations; ${t.rejected} rejections; ${report.activitiesPerSecond.toFixed(0)} activities/s`);
    }
    if (report.totals.failedFiles > 0) process.exitCode = 2;
  } finally {
    await connection.close();
  }
});
