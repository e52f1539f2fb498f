import { connect } from '../neo4j/connect';
import { migrate } from '../schema/migrate';
import { config } from '../services/shared/config';
import { onShutdown, runMain } from './cli';

/** Starts only the database (embedded unless NEO4J_URI is set) with migrations applied, until Ctrl-C. */
runMain('neo4j', async () => {
  const connection = await connect(config(), console.log, { supervise: true });
  onShutdown(() => connection.close());
  await migrate(connection.db);
  console.log(`[neo4j] Bolt listening on ${connection.db.uri}; migrations applied. Ctrl-C stops it.`);
});
