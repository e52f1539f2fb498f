import 'reflect-metadata';
import { connect } from '../neo4j/connect';
import { migrate } from '../schema/migrate';
import { isEmpty, seedFromFiles } from '../seed/load';
import { config } from '../services/shared/config';
import { onShutdown, runMain } from './cli';

/** `npm start`: the database (embedded unless NEO4J_URI is set), migrations, seed data, subgraphs and gateway. */
runMain('start', async () => {
  const settings = config();
  const connection = await connect(settings, (line) => console.log(`[neo4j] ${line}`));
  const stops: Array<() => Promise<void>> = [() => connection.close()];
  onShutdown(async () => {
    for (const stop of stops.reverse()) await stop();
  });
  const report = await migrate(connection.db);
  console.log(`[migrate] applied ${report.applied.length} migration(s), ${report.alreadyApplied.length} already applied`);
  if (await isEmpty(connection.db)) {
    const seeded = await seedFromFiles(connection.db);
    console.log(`[seed] loaded ${seeded.nodesCreated} nodes and ${seeded.relationshipsCreated} relationships from seed/data`);
  }
  console.log(`[neo4j] Bolt listening on ${connection.db.uri}`);
});
