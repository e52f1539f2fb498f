import type { Connection } from '../neo4j/connect';

export default async function globalTeardown(): Promise<void> {
  const connection = (globalThis as { __OGP_NEO4J__?: Connection }).__OGP_NEO4J__;
  await connection?.close();
}
