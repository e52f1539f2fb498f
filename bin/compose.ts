import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { buildSubgraphSdls, composeSupergraph, SUPERGRAPH_FILE, subgraphFile } from '../gateway/compose';
import { SUBGRAPHS } from '../services/shared/config';
import { runMain } from './cli';

/** `npm run compose`: writes each subgraph's SDL and the composed supergraph under schema/. */
runMain('compose', async () => {
  const sdls = await buildSubgraphSdls();
  const supergraph = composeSupergraph(sdls);
  for (const name of SUBGRAPHS) writeFileSync(subgraphFile(name), sdls[name]);
  writeFileSync(SUPERGRAPH_FILE, supergraph);
  console.log(`[compose] wrote ${SUBGRAPHS.length} subgraph SDLs and schema/supergraph.graphql`);
});
