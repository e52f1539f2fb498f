import './production-defaults';
import 'reflect-metadata';
import { readSupergraph } from '../gateway/compose';
import { startGateway } from '../gateway/server';
import { WARM_UP_OPERATIONS } from '../gateway/warm-up';
import { startTracing } from '../gateway/tracing';
import { connect } from '../neo4j/connect';
import { migrate } from '../schema/migrate';
import { isEmpty, seedFromFiles } from '../seed/load';
import { actorMeasures, SUBGRAPH_MODULES } from '../services';
import { config, SUBGRAPHS } from '../services/shared/config';
import { importIati } from '../importers/iati';
import { inProcessSubgraphs, listenSubgraph } from '../services/shared/subgraph';
import { onShutdown, runMain } from './cli';

/** `npm start`: the database (embedded unless NEO4J_URI is set), migrations, seed data, every subgraph and the gateway. */
runMain('start', async () => {
  const settings = config();
  const tracing = settings.tracingEndpoint ? startTracing({ serviceName: 'ogp-graph', endpoint: settings.tracingEndpoint }) : undefined;
  if (tracing) console.log(`[start] tracing requests and Neo4j transactions to ${settings.tracingEndpoint}`);
  const connection = await connect(settings, (line) => console.log(`[neo4j] ${line}`), { supervise: true });
  const stops: Array<[string, () => Promise<void>]> = [
    ...(tracing ? [['tracing', tracing.stop] as [string, () => Promise<void>]] : []),
    ['neo4j', () => connection.close()],
  ];
  onShutdown(async () => {
    for (const [name, stop] of [...stops].reverse()) {
      await stop();
      console.log(`[start] stopped ${name}`);
    }
  });
  const report = await migrate(connection.db);
  console.log(`[migrate] applied ${report.applied.length} migration(s), ${report.alreadyApplied.length} already applied`);
  if (await isEmpty(connection.db)) {
    const seeded = await seedFromFiles(connection.db);
    console.log(`[seed] loaded ${seeded.nodesCreated} nodes and ${seeded.relationshipsCreated} relationships from seed/data`);
  }
  console.log(`[neo4j] Bolt listening on ${connection.db.uri}`);
  const inProcess = settings.subgraphTransport === 'in-process' ? await inProcessSubgraphs(connection.db) : undefined;
  if (inProcess)
    console.log(`[start] subgraphs ${SUBGRAPHS.join(', ')} run inside the gateway (SUBGRAPH_TRANSPORT=http serves each on its port)`);
  else {
    for (const name of SUBGRAPHS) {
      const served = await listenSubgraph(SUBGRAPH_MODULES[name], connection.db, settings.subgraphPorts[name], { ...settings, importIati });
      stops.push([name, served.close]);
      console.log(`[${name}] subgraph at ${served.url}`);
    }
  }
  const gateway = await startGateway({
    supergraphSdl: readSupergraph(),
    config: settings,
    ready: () => connection.db.ping().then(() => true),
    db: connection.db,
    inProcess,
    importIati,
    actorMeasures,
    warmUp: WARM_UP_OPERATIONS,
  });
  stops.push(['gateway', gateway.close]);
  console.log(`[gateway] ready at ${gateway.url}  (health: /health, readiness: /ready)`);
});
