import { parseArgs } from 'node:util';
import { connect } from '../neo4j/connect';
import { migrate } from '../schema/migrate';
import { findDuplicateCandidates } from '../services/actors/repository';
import { config } from '../services/shared/config';
import { UsageError } from '../services/shared/errors';
import { runMain } from './cli';

const USAGE = 'usage: npm run dedupe -- candidates [--kind organization|person] [--min-score 0-1] [--first N] [--json]';
const usageError = (detail: string) => new UsageError(USAGE, detail);

/**
 * `npm run dedupe -- candidates`: the duplicate candidates curators review, for people who work in a terminal (the
 * same scoring as the API's `duplicateCandidates`). Judging stays in the API, where every verdict records who gave it.
 */
runMain('dedupe', async () => {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        kind: { type: 'string', default: 'organization' },
        'min-score': { type: 'string', default: '0.5' },
        first: { type: 'string', default: '50' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw usageError((error as Error).message);
  }
  const { positionals, values } = parsed;
  if (positionals.length !== 1 || positionals[0] !== 'candidates') throw usageError(`got "${positionals.join(' ')}"`);
  const label = ({ organization: 'Organization', person: 'Person' } as const)[values.kind as 'organization' | 'person'];
  if (!label) throw usageError(`--kind is organization or person, got "${values.kind}"`);
  const minScore = Number(values['min-score']);
  if (!(minScore >= 0 && minScore <= 1)) throw usageError(`--min-score is a number from 0 to 1, got "${values['min-score']}"`);
  const first = Number(values.first);
  if (!Number.isInteger(first) || first < 1 || first > 10_000)
    throw usageError(`--first is a whole number from 1 to 10000, got "${values.first}"`);

  const connection = await connect(config(), values.json ? () => undefined : console.error, { attach: true });
  try {
    await migrate(connection.db);
    const candidates = await findDuplicateCandidates(connection.db, label, undefined, minScore, first);
    if (values.json) {
      console.log(JSON.stringify(candidates, null, 2));
      return;
    }
    for (const c of candidates) {
      console.log(
        `${c.score.toFixed(2)}  ${c.a} "${c.names[0]}"  ~  ${c.b} "${c.names[1]}"${c.judgement ? `  [${c.judgement.verdict}: ${c.judgement.reason}]` : ''}`,
      );
      console.log(`      ${c.reasons.map((r) => `${r.feature} ${r.weight > 0 ? '+' : ''}${r.weight}: ${r.detail}`).join('; ')}`);
    }
    console.log(
      `\n${candidates.length} candidate pair(s) scoring at least ${minScore}; judge them with the judgeDuplicate mutation (curator key).`,
    );
  } finally {
    await connection.close();
  }
});
