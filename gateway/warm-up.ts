/*
 * Operations the gateway runs once at start-up, before it serves anyone, with ids that match nothing: each goes
 * through query planning, every subgraph it touches and their Cypher, so the code on those paths is compiled and
 * warm when the first real request of a shape arrives (the plans of the insights Cypher are warmed by the insights
 * subgraph itself). Answers are NOT_FOUND or empty; nothing is written.
 */
const NONE = '(gateway warm-up)';

/** The client the warm-up operations run as (logged at debug level, left out of the metrics). */
export const WARM_UP_CLIENT = 'warm-up';

export const WARM_UP_OPERATIONS: readonly string[] = [
  `query WarmUpEntities { organization(id: "${NONE}") { id name basedIn { id name } networks { id name } partners { partner { id name } } } }`,
  `query WarmUpLists { organizations(first: 1, sort: NAME) { totalCount edges { node { id name basedIn { id name } } } } }`,
  `query WarmUpNetwork { network(id: "${NONE}") { id name members(first: 1) { totalCount edges { node { member { ... on Organization { id name } } } } } } }`,
  `query WarmUpGrant { grant(id: "${NONE}") { id name participants { role organization { id name } } } }`,
  `query WarmUpCollaborators { collaborators(id: "${NONE}", first: 1) { totalCount edges { node { actor { id name } hops } } } }`,
  `query WarmUpPaths { shortestPaths(from: "${NONE}", to: "${NONE}-too") { hops nodes { id } } }`,
  `query WarmUpCities { cityCollaboration(cities: ["${NONE}"], maxHops: 1) { actorPairs } }`,
  `query WarmUpBrokers { brokers(by: CITIES, country: "${NONE}", limit: 1) { score actor { id } } }`,
  `query WarmUpTrail { fundingTrail(id: "${NONE}") { totals { amount currency } } }`,
  `query WarmUpView { relationshipView(id: "${NONE}") { truncated nodes { id } } }`,
];
