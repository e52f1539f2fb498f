import { connect } from '../neo4j/connect';
import { migrate } from '../schema/migrate';
import { seedFromFiles } from '../seed/load';
import { config } from '../services/shared/config';
import { runMain } from './cli';

runMain('seed', async () => {
  const connection = await connect(config(), console.log);
  try {
    await migrate(connection.db);
    const report = await seedFromFiles(connection.db);
    console.log(
      `[seed] ${report.entities} entities and ${report.relationships} relationships in the data; ` +
        `created ${report.nodesCreated} nodes and ${report.relationshipsCreated} relationships (0 and 0 means it was already loaded).`,
    );
  } finally {
    await connection.close();
  }
});
