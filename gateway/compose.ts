import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPH_MODULES } from '../services';
import { PROJECT_ROOT, SUBGRAPHS, type SubgraphName } from '../services/shared/config';
import { subgraphSdl } from '../services/shared/federation';

export const SCHEMA_DIR = join(PROJECT_ROOT, 'schema');
export const SUPERGRAPH_FILE = join(SCHEMA_DIR, 'supergraph.graphql');
export const subgraphFile = (name: SubgraphName) => join(SCHEMA_DIR, 'subgraphs', `${name}.graphql`);

/** Default routing URLs written into the committed supergraph; the gateway overrides them from configuration. */
const DEFAULT_URL: Record<SubgraphName, string> = {
  actors: 'http://127.0.0.1:4001/graphql',
  networks: 'http://127.0.0.1:4002/graphql',
  funding: 'http://127.0.0.1:4003/graphql',
  commitments: 'http://127.0.0.1:4004/graphql',
  insights: 'http://127.0.0.1:4005/graphql',
};

/** The SDL of every subgraph, built from the code. */
export async function buildSubgraphSdls(): Promise<Record<SubgraphName, string>> {
  const entries = await Promise.all(
    SUBGRAPHS.map(async (name) => [name, subgraphSdl(await SUBGRAPH_MODULES[name].buildSchema())] as const),
  );
  return Object.fromEntries(entries) as Record<SubgraphName, string>;
}

/** Composes subgraph SDLs into a Federation 2 supergraph at build time (no Rover, no network); throws on any error. */
export function composeSupergraph(sdls: Record<SubgraphName, string>): string {
  const result = composeServices(SUBGRAPHS.map((name) => ({ name, typeDefs: parse(sdls[name]), url: DEFAULT_URL[name] })));
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}

/** The committed supergraph the gateway serves. */
export const readSupergraph = (): string => readFileSync(SUPERGRAPH_FILE, 'utf8');
