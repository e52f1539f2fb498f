import './production-defaults';
import 'reflect-metadata';
import { readSupergraph } from '../gateway/compose';
import { startGateway } from '../gateway/server';
import { connect } from '../neo4j/connect';
import { migrate } from '../schema/migrate';
import { isEmpty, seedFromFiles } from '../seed/load';
import { actorMeasures } from '../services';
import { config } from '../services/shared/config';
import { onShutdown, runMain } from './cli';

/** Starts only the gateway (subgraphs run elsewhere, at *_URL). `--migrate` and `--seed-if-empty` prepare the database first. */
runMain('gateway', async () => {
  const settings = config();
  const connection = await connect(settings);
  if (process.argv.includes('--migrate')) await migrate(connection.db);
  if (process.argv.includes('--seed-if-empty') && (await isEmpty(connection.db))) await seedFromFiles(connection.db);
  const gateway = await startGateway({
    supergraphSdl: readSupergraph(),
    config: settings,
    ready: () => connection.db.ping().then(() => true),
    db: connection.db,
    // Measured exports load the collaboration index in this process too, on first use.
    actorMeasures,
  });
  onShutdown(async () => {
    await gateway.close();
    await connection.close();
  });
  console.log(`[gateway] ready at ${gateway.url}`);
});
