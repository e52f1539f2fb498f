import 'reflect-metadata';
import { bulkImport } from '../neo4j/bulk-import';
import { connect } from '../neo4j/connect';
import { migrate } from '../schema/migrate';
import { config } from '../services/shared/config';
import { UsageError } from '../services/shared/errors';
import { recordGraphChangeNow } from '../services/shared/graph-changes';
import { runMain } from './cli';

const USAGE = 'usage: npm run bulk-load -- <folder with nodes/*.csv and relationships/*.csv>';

/**
 * A first load of a whole graph (a registry's worth) into the embedded store, through Neo4j's offline importer; then
 * the migrations build every index and the API's derived structures learn that everything changed.
 */
runMain('bulk-load', async () => {
  const [folder, ...rest] = process.argv.slice(2);
  if (!folder || rest.length > 0) throw new UsageError(USAGE, `got "${process.argv.slice(2).join(' ')}"`);
  const settings = config();
  if (settings.neo4j.uri)
    throw new UsageError(USAGE, `NEO4J_URI is set (${settings.neo4j.uri}): run neo4j-admin database import on that server instead`);
  await bulkImport(settings.embedded, folder, console.log);
  const connection = await connect(settings, console.log);
  try {
    await migrate(connection.db);
    await recordGraphChangeNow(connection.db, 'everything');
    const [counts] = await connection.db.readRows<{ nodes: number; relationships: number }>(
      'CALL { MATCH (n) RETURN count(n) AS nodes } CALL { MATCH ()-[r]->() RETURN count(r) AS relationships } RETURN nodes, relationships',
    );
    console.log(
      `[bulk-load] ${counts!.nodes.toLocaleString()} nodes, ${counts!.relationships.toLocaleString()} relationships; migrations applied`,
    );
  } finally {
    await connection.close();
  }
});
