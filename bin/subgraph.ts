import './production-defaults';
import 'reflect-metadata';
import { connect } from '../neo4j/connect';
import { SUBGRAPH_MODULES } from '../services';
import { config, SUBGRAPHS, type SubgraphName } from '../services/shared/config';
import { UserError } from '../services/shared/errors';
import { importIati } from '../importers/iati';
import { listenSubgraph } from '../services/shared/subgraph';
import { onShutdown, runMain } from './cli';

/** Starts one subgraph alone: `node dist/bin/subgraph.js <name>` (it needs NEO4J_URI, or starts the embedded Neo4j). */
runMain('subgraph', async () => {
  const name = process.argv[2] as SubgraphName;
  if (!SUBGRAPHS.includes(name))
    throw new UserError(`expected a subgraph name (${SUBGRAPHS.join(', ')}), got "${process.argv[2] ?? ''}"`, 'UsageError');
  const settings = config();
  const connection = await connect(settings);
  const served = await listenSubgraph(SUBGRAPH_MODULES[name], connection.db, settings.subgraphPorts[name], { ...settings, importIati });
  onShutdown(async () => {
    await served.close();
    await connection.close();
  });
  console.log(`[${name}] subgraph at ${served.url}`);
});
