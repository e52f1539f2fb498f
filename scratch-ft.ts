import { connect } from './neo4j/connect';
import { loadConfig } from './services/shared/config';
import { MIGRATIONS } from './schema/migrations';
async function main() {
  const c = await connect(loadConfig({ ...process.env }));
  if (process.argv[2] === 'drop') await c.db.schemaCommand('DROP INDEX entity_names');
  else await c.db.schemaCommand(MIGRATIONS.find((m) => m.version === 3)!.statements[0]!);
  await c.close();
}
main();
