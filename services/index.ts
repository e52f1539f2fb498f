import { actors } from './actors/schema';
import { commitments } from './commitments/schema';
import { funding } from './funding/schema';
import { insights } from './insights/schema';
import { networks } from './networks/schema';
import type { SubgraphName } from './shared/config';
import type { SubgraphModule } from './shared/subgraph';

/** Every subgraph, by name, in composition order. */
export const SUBGRAPH_MODULES: Record<SubgraphName, SubgraphModule> = { actors, networks, funding, commitments, insights };

/** Community and centrality scores for the exports (the composition root hands them to the gateway's /export routes). */
export { actorMeasures } from './insights/science-questions';
