import type { Logger } from 'pino';
import { readSupergraph } from '../../gateway/compose';
import { startGateway } from '../../gateway/server';
import { importIati } from '../../importers/iati';
import { actorMeasures, SUBGRAPH_MODULES } from '../../services';
import { config, SUBGRAPHS, type Config, type SubgraphName } from '../../services/shared/config';
import type { Database } from '../../services/shared/database';
import type { Served } from '../../services/shared/http';
import { inProcessSubgraphs, listenSubgraph } from '../../services/shared/subgraph';
import { testDatabase } from './database';

export interface Stack {
  db: Database;
  gateway: Served;
  subgraphs: Record<SubgraphName, Served>;
  /** POSTs a GraphQL operation to the gateway; returns the parsed JSON body and HTTP status. */
  query<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: { data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } }>;
  close(): Promise<void>;
}

/**
 * The real thing, in one process: every subgraph over HTTP on a free port, and the gateway serving the committed
 * supergraph with those URLs, all over the test Neo4j. `in-process`: the gateway runs the subgraphs itself, as
 * `npm start` does by default (no subgraph servers then).
 */
export async function startStack(
  transport: 'http' | 'in-process' = 'http',
  databaseSettings: Record<string, string> = {},
  { logger, ...gatewaySettings }: Partial<Pick<Config, 'fairShare'>> & { logger?: Logger } = {},
): Promise<Stack> {
  const db = testDatabase(databaseSettings);
  const subgraphs = {} as Record<SubgraphName, Served & { warmed?: Promise<void> }>;
  const settings = config();
  if (transport === 'http')
    for (const name of SUBGRAPHS)
      subgraphs[name] = await listenSubgraph(SUBGRAPH_MODULES[name], db, 0, { ...settings, host: '127.0.0.1', importIati });
  const inProcess = transport === 'in-process' ? await inProcessSubgraphs(db) : undefined;
  const gateway = await startGateway({
    supergraphSdl: readSupergraph(),
    config: {
      ...settings,
      ...gatewaySettings,
      host: '127.0.0.1',
      subgraphUrls:
        transport === 'http'
          ? (Object.fromEntries(SUBGRAPHS.map((n) => [n, subgraphs[n].url])) as Record<SubgraphName, string>)
          : settings.subgraphUrls,
    },
    port: 0,
    ready: () => db.ping().then(() => true),
    db,
    inProcess,
    importIati,
    actorMeasures,
    logger,
  });
  // Tests count queries: let the start-up warming finish first.
  await (inProcess?.warmed ?? Promise.all(Object.values(subgraphs).map((s) => s.warmed)));
  return {
    db,
    gateway,
    subgraphs,
    async query(query, variables, headers = {}) {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as never };
    },
    async close() {
      await gateway.close();
      for (const name of Object.keys(subgraphs) as SubgraphName[]) await subgraphs[name].close();
      await db.close();
    },
  };
}
