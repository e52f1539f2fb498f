import { createHash } from 'node:crypto';
import type { Database } from '../services/shared/database';
import { UserError } from '../services/shared/errors';
import { MIGRATIONS, type Migration } from './migrations';

export interface MigrationReport {
  applied: number[];
  alreadyApplied: number[];
}

/** A migration failed: names the migration and the statement, and keeps the recorded version unchanged. */
export class MigrationError extends UserError {
  constructor(
    readonly migration: Migration,
    message: string,
  ) {
    super(`Migration ${migration.version} (${migration.name}) ${message}`, 'MigrationError');
  }
}

const checksum = (migration: Migration): string => createHash('sha256').update(migration.statements.join('\n')).digest('hex').slice(0, 16);

/**
 * Applies every migration not yet recorded, in version order. A version is recorded (as a
 * `SchemaMigration` node) only after all its statements succeeded, so a failed one is retried next time.
 */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationReport> {
  const recorded = new Map(
    (
      await db.readRows<{ version: number; checksum: string }>(
        'MATCH (m:SchemaMigration) RETURN m.version AS version, m.checksum AS checksum',
      )
    ).map((row) => [row.version, row.checksum]),
  );
  const report: MigrationReport = { applied: [], alreadyApplied: [] };
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    const sum = checksum(migration);
    const seen = recorded.get(migration.version);
    if (seen !== undefined) {
      if (seen !== sum) {
        throw new MigrationError(migration, `was changed after it was applied (checksum ${seen} → ${sum}); add a new migration instead.`);
      }
      report.alreadyApplied.push(migration.version);
      continue;
    }
    for (const statement of migration.statements) {
      try {
        await db.schemaCommand(statement);
      } catch (error) {
        throw new MigrationError(migration, `failed at "${statement}": ${(error as Error).message?.split('\n')[0]}`);
      }
    }
    await db.writeRows(
      'MERGE (m:SchemaMigration {version: $version}) SET m.name = $name, m.checksum = $checksum, m.appliedAt = datetime()',
      { version: migration.version, name: migration.name, checksum: sum },
    );
    report.applied.push(migration.version);
  }
  await db.schemaCommand('CALL db.awaitIndexes(300)');
  return report;
}
