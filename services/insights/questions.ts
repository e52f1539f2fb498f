import { anyEntityById, citations } from '../shared/cypher';

/*
 * The Cypher behind the network questions Neo4j answers itself (funding trails, overlaps, existence checks) and the
 * node summaries every answer shows. Each is one parameterized query; only validated integers (depths, which
 * Cypher cannot take as parameters) are spliced in.
 */

/** City of an actor or place: the city it is based in, governs or works in (or itself, for a city). */
export const cityOf = (v: string) =>
  `coalesce(CASE WHEN ${v}:Place AND ${v}.kind = 'city' THEN ${v}.id END, head([(${v})-[:BASED_IN|GOVERNS|WORKS_IN]->(cp:Place {kind: 'city'}) | cp.id]))`;

/** ISO country code of an actor or place, from its own property or up the place hierarchy. */
export const countryOf = (v: string) =>
  `coalesce(${v}.country, CASE WHEN ${v}:Place THEN head([(${v})-[:IN*0..4]->(cc:Place {kind: 'country'}) | cc.iso2]) END, ` +
  `head([(${v})-[:BASED_IN|GOVERNS|WORKS_IN]->(:Place)-[:IN*0..4]->(cc:Place {kind: 'country'}) | cc.iso2]))`;

/** A compact description of a node for results: enough to draw and label it. */
export const summary = (v: string) =>
  `${v} {.id, label: labels(${v})[0], kind: toString(${v}.kind), name: coalesce(${v}.name, ${v}.title, ${v}.id), city: ${cityOf(v)}, country: ${countryOf(v)}}`;

export const ENDPOINTS_EXIST = `
OPTIONAL CALL { ${anyEntityById('from', 'a')} RETURN a }
OPTIONAL CALL { ${anyEntityById('to', 'b')} RETURN b }
RETURN a IS NOT NULL AS fromFound, b IS NOT NULL AS toFound`;

/**
 * Brokers by networks in Cypher: the distinct networks an actor belongs to or is hub for, at least 2, within a
 * network's family or everywhere. The API answers this from the collaboration index (collaboration.ts); the bench
 * sends this text as the Cypher reference for the same answer.
 */
export const BROKERS_BY_NETWORKS = `
MATCH (x:Organization|Person)
WHERE ($network IS NULL OR EXISTS { MATCH (x)-[:MEMBER_OF|HUB_FOR]->(:Network)-[:PART_OF*0..2]->(:Network {id: $network}) })
  AND ($country IS NULL OR ${countryOf('x')} = $country)
MATCH (x)-[:MEMBER_OF|HUB_FOR]->(g:Network)
WHERE $network IS NULL OR EXISTS { MATCH (g)-[:PART_OF*0..2]->(:Network {id: $network}) }
WITH x, collect(DISTINCT g.id) AS groups WHERE size(groups) >= 2
RETURN ${summary('x')} AS actor, size(groups) AS score, groups
ORDER BY score DESC, actor.name, actor.id
LIMIT $limit`;

/**
 * Funding trail downstream (who received, and what they did with it) or upstream (who funded, directly and above).
 * Without `withOrganizations` the reached organizations' grants, events, commitments and networks are not read
 * (a hub funder's trail reaches thousands of grants; a client asking for flows and totals needs none of them).
 */
/** What a funding trail reads beyond its flows: the reached organizations' details, and each flow's sources. */
export interface TrailDetail {
  organizations: boolean;
  sources: boolean;
}
export const FULL_TRAIL: TrailDetail = { organizations: true, sources: true };

export const FUNDING_TRAIL = (direction: 'DOWNSTREAM' | 'UPSTREAM', maxDepth: number, detail: TrailDetail = FULL_TRAIL) => `
${anyEntityById('id', 'start')}
WITH start, CASE WHEN start:Grant
  THEN [(start)<-[p:PARTICIPATES_IN_GRANT]-(o:Organization) WHERE p.role IN ${direction === 'DOWNSTREAM' ? "['recipient', 'implementing']" : "['funding']"} | o]
  ELSE [start] END AS roots
UNWIND roots AS root
OPTIONAL MATCH p = (root)${direction === 'DOWNSTREAM' ? '-[:FUNDED]->' : '<-[:FUNDED]-'}{1,${maxDepth}}(o:Organization)
WITH start, roots, collect(DISTINCT p) AS paths
WITH start, roots, [p IN paths WHERE p IS NOT NULL | relationships(p)] AS relLists
WITH start, roots, reduce(acc = [], rs IN relLists | acc + [r IN rs WHERE NOT r IN acc]) AS flows
WITH start, flows, roots + [r IN flows | ${direction === 'DOWNSTREAM' ? 'endNode(r)' : 'startNode(r)'}] AS reached
UNWIND reached AS org
WITH start, flows, ${detail.organizations ? 'collect(DISTINCT org)' : '[]'} AS orgs
RETURN ${summary('start')} AS start,
  [r IN flows | {from: startNode(r).id, to: endNode(r).id, amount: r.amount, currency: r.currency, date: r.date, grantId: r.grantId,
                 purpose: coalesce(r.purpose, r.note)${detail.sources ? `, sources: ${citations('r')}` : ''}}] AS flows,
  [o IN orgs | {organization: ${summary('o')},
     grants: [(o)-[gp:PARTICIPATES_IN_GRANT]->(g:Grant) WHERE gp.role IN ['recipient', 'implementing', 'funding'] | g {.id, .name, .amount, .currency, .signedDate, role: gp.role,
       results: [(g)-[:HAS_RESULT]->(res:Result) | res {.id, .title, .status, .note}],
       supported: [(g)-[:SUPPORTED]->(s) | s {.id, label: labels(s)[0], name: coalesce(s.name, s.title), date: s.date,
                    place: head([(s)-[:HELD_IN]->(pl:Place) | pl.name])}]}],
     events: [(o)-[er:PARTICIPATED_IN|ORGANIZED]->(e:Event) | e {.id, .name, .date, role: coalesce(er.role, toLower(type(er)))}],
     commitments: [(o)-[:MADE_COMMITMENT]->(c:Commitment) | c {.id, .name}],
     networks: [(o)-[:MEMBER_OF]->(n:Network) | n {.id, .name}]}] AS recipients`;

/** Actors who are members of both networks (directly or through a cohort of either). */
/**
 * The actors in both networks (or their cohorts), once each, with whether each network exists: one statement. With
 * `members`, their summaries by name; without (only the count selected), the count alone, no summary read. (Only
 * aggregates in the subquery's RETURN: a plain value there would group, and no shared member would mean no row.)
 */
export const NETWORK_OVERLAP = (members: boolean) => `
OPTIONAL MATCH (n1:Network {id: $a})
OPTIONAL MATCH (n2:Network {id: $b})
CALL {
  WITH n1, n2
  MATCH (m:Organization|Person)-[:MEMBER_OF]->(:Network)-[:PART_OF*0..2]->(n1)
  MATCH (m)-[:MEMBER_OF]->(:Network)-[:PART_OF*0..2]->(n2)
  WITH DISTINCT m ${members ? `ORDER BY m.name, m.id RETURN count(m) AS count, collect(${summary('m')}) AS members` : 'RETURN count(m) AS count'}
}
RETURN n1 IS NOT NULL AS aFound, n2 IS NOT NULL AS bFound, count, ${members ? 'members' : '[] AS members'}`;

export const TOP_OVERLAPS = `
MATCH (n1:Network)<-[:MEMBER_OF]-(m:Organization|Person)-[:MEMBER_OF]->(n2:Network)
WHERE n1.id < n2.id
  AND ($within IS NULL OR (EXISTS { MATCH (n1)-[:PART_OF*0..2]->(:Network {id: $within}) } AND EXISTS { MATCH (n2)-[:PART_OF*0..2]->(:Network {id: $within}) }))
WITH n1, n2, collect(DISTINCT m.id) AS shared
RETURN n1 {.id, .name} AS a, n2 {.id, .name} AS b, size(shared) AS count, shared[0..20] AS sample
ORDER BY count DESC, a.id, b.id
LIMIT $limit`;

export const NETWORKS_EXIST = 'UNWIND $ids AS id OPTIONAL MATCH (n:Network {id: id}) RETURN id, n IS NOT NULL AS found';
