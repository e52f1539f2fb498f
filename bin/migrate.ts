import 'reflect-metadata';
import { connect } from '../neo4j/connect';
import { migrate } from '../schema/migrate';
import { config } from '../services/shared/config';
import { runMain } from './cli';

runMain('migrate', async () => {
  const connection = await connect(config(), console.log);
  try {
    const report = await migrate(connection.db);
    console.log(
      `[migrate] applied: ${report.applied.join(', ') || 'none'}; already applied: ${report.alreadyApplied.join(', ') || 'none'}`,
    );
  } finally {
    await connection.close();
  }
});
