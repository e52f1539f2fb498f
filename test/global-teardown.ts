import type { Connection } from '../neo4j/connect';

export default async function globalTeardown(): Promise<void> {
  const connection = (globalThis as { __OGP_NEO4J__?: Connection }).__OGP_NEO4J__;
  // Called once per project that set up the database: the first call closes it.
  (globalThis as { __OGP_NEO4J__?: Connection }).__OGP_NEO4J__ = undefined;
  await connection?.close();
}
