import type { Database } from '../shared/database';
import { anyEntityById, citations } from '../shared/cypher';
import { relTypesFor, type LinkKind } from './links';

/*
 * The Cypher behind the network questions. Each question is one parameterized query; only validated integers
 * (hop bounds, which Cypher cannot take as parameters) and relationship types from links.ts are spliced in.
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

/** A path with every hop explained: its nodes, and each relationship with its type, role, dates and sources. */
export const explainPath = (p: string) =>
  `{nodes: [n IN nodes(${p}) | n {.id, label: labels(n)[0], name: coalesce(n.name, n.title, n.id)}], ` +
  `relationships: [r IN relationships(${p}) | {id: coalesce(r.id, elementId(r)), type: type(r), from: startNode(r).id, to: endNode(r).id, ` +
  `role: r.role, since: coalesce(r.since, r.date), until: r.until, amount: r.amount, currency: r.currency, sources: ${citations('r')}}]}`;

/** A relationship counts in a date window when it started before the window ends and did not end before it starts. */
const activeIn = (r: string) =>
  `(($toDate IS NULL OR coalesce(${r}.since, ${r}.date) IS NULL OR coalesce(${r}.since, ${r}.date) <= $toDate) AND ($fromDate IS NULL OR ${r}.until IS NULL OR ${r}.until >= $fromDate))`;

export type Scope = 'ANY' | 'OTHER_CITY' | 'OTHER_COUNTRY';

export const COLLABORATORS = (kinds: readonly LinkKind[], maxHops: number) => `
${anyEntityById('id', 'a')}
WITH a, ${cityOf('a')} AS aCity, ${countryOf('a')} AS aCountry
MATCH p = ANY SHORTEST (a)-[r:${relTypesFor(kinds)} WHERE ${activeIn('r')}]-{1,${2 * maxHops}}(b:Organization|Person)
WHERE b <> a
WITH aCity, aCountry, b, p, ${cityOf('b')} AS bCity, ${countryOf('b')} AS bCountry
WHERE $scope = 'ANY'
   OR ($scope = 'OTHER_CITY' AND aCity IS NOT NULL AND bCity IS NOT NULL AND aCity <> bCity)
   OR ($scope = 'OTHER_COUNTRY' AND aCountry IS NOT NULL AND bCountry IS NOT NULL AND aCountry <> bCountry)
WITH b, p ORDER BY length(p), b.name, b.id
WITH collect({b: b, p: p}) AS found
WITH size(found) AS total, found[$offset..($offset + $limit)] AS page
UNWIND (CASE WHEN size(page) = 0 THEN [null] ELSE page END) AS row
WITH total, row.b AS b, row.p AS p
RETURN total, CASE WHEN b IS NULL THEN null ELSE {actor: ${summary('b')}, relationships: length(p), path: ${explainPath('p')}} END AS item`;

export const SHORTEST_PATHS = (kinds: readonly LinkKind[], maxHops: number) => `
${anyEntityById('from', 'a')}
${anyEntityById('to', 'b')}
MATCH p = ALL SHORTEST (a)-[r:${relTypesFor(kinds)} WHERE ${activeIn('r')}]-{1,${2 * maxHops}}(b)
WITH DISTINCT [n IN nodes(p) | n.id] AS ids, p
WITH ids, head(collect(p)) AS p ORDER BY ids
LIMIT $limit
RETURN ${explainPath('p')} AS path`;

export const ENDPOINTS_EXIST = `
OPTIONAL CALL { ${anyEntityById('from', 'a')} RETURN a }
OPTIONAL CALL { ${anyEntityById('to', 'b')} RETURN b }
RETURN a IS NOT NULL AS fromFound, b IS NOT NULL AS toFound`;

/**
 * City-to-city collaboration: two actors in different cities linked within `maxHops` hops; per pair of cities,
 * the distinct actor pairs carrying the link and the link kinds used. Each pair of cities appears once (a < b).
 */
export const CITY_LINKS = (kinds: readonly LinkKind[], maxHops: number) => `
MATCH (a:Organization|Person)
WITH a, ${cityOf('a')} AS ca WHERE ca IS NOT NULL AND ($cities IS NULL OR ca IN $cities)
MATCH p = ANY SHORTEST (a)-[r:${relTypesFor(kinds)} WHERE ${activeIn('r')}]-{1,${2 * maxHops}}(b:Organization|Person)
WHERE a <> b
WITH ca, a, b, p, ${cityOf('b')} AS cb
WHERE cb IS NOT NULL AND ca < cb AND ($cities IS NULL OR cb IN $cities)
WITH ca, cb, a, b, [r IN relationships(p) | type(r)] AS types
WITH ca, cb, collect({a: a.id, b: b.id, types: types}) AS carriers
MATCH (pa:Place {id: ca}), (pb:Place {id: cb})
RETURN pa {.id, .name, country: ${countryOf('pa')}} AS a, pb {.id, .name, country: ${countryOf('pb')}} AS b, carriers
ORDER BY size(carriers) DESC, ca, cb`;

/**
 * Brokers, by a documented measure:
 * - NETWORKS: distinct networks the actor itself belongs to or is hub for (it bridges their members);
 * - CITIES / COUNTRIES: distinct cities (countries) among the actor and its direct collaborators (one hop).
 * An actor is a broker when the score is at least 2; ties are broken by name, then id. The scope keeps actors
 * that belong to one network (or its cohorts) or one country.
 */
export const BROKERS = (kinds: readonly LinkKind[], by: 'NETWORKS' | 'CITIES' | 'COUNTRIES') => `
MATCH (x:Organization|Person)
WHERE ($network IS NULL OR EXISTS { MATCH (x)-[:MEMBER_OF|HUB_FOR]->(:Network)-[:PART_OF*0..2]->(:Network {id: $network}) })
  AND ($country IS NULL OR ${countryOf('x')} = $country)
${by === 'NETWORKS'
    ? `MATCH (x)-[:MEMBER_OF|HUB_FOR]->(g:Network)
       WHERE $network IS NULL OR EXISTS { MATCH (g)-[:PART_OF*0..2]->(:Network {id: $network}) }
       WITH x, collect(DISTINCT g.id) AS groups`
    : `OPTIONAL MATCH (x)-[:${relTypesFor(kinds)}]-{1,2}(y:Organization|Person) WHERE y <> x
       WITH x, collect(DISTINCT ${by === 'CITIES' ? cityOf('y') : countryOf('y')}) AS others
       WITH x, others + [${by === 'CITIES' ? cityOf('x') : countryOf('x')}] AS all_groups
       WITH x, reduce(acc = [], c IN all_groups | CASE WHEN c IS NULL OR c IN acc THEN acc ELSE acc + c END) AS groups`}
WITH x, groups WHERE size(groups) >= 2
RETURN ${summary('x')} AS actor, size(groups) AS score, groups
ORDER BY score DESC, actor.name, actor.id
LIMIT $limit`;

/** Funding trail downstream (who received, and what they did with it) or upstream (who funded, directly and above). */
export const FUNDING_TRAIL = (direction: 'DOWNSTREAM' | 'UPSTREAM', maxDepth: number) => `
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
WITH start, flows, collect(DISTINCT org) AS orgs
RETURN ${summary('start')} AS start,
  [r IN flows | {from: startNode(r).id, to: endNode(r).id, amount: r.amount, currency: r.currency, date: r.date, grantId: r.grantId,
                 purpose: coalesce(r.purpose, r.note), sources: ${citations('r')}}] AS flows,
  [o IN orgs | {organization: ${summary('o')},
     grants: [(o)-[gp:PARTICIPATES_IN_GRANT]->(g:Grant) WHERE gp.role IN ['recipient', 'implementing', 'funding'] | g {.id, .name, .amount, .currency, .signedDate, role: gp.role,
       results: [(g)-[:HAS_RESULT]->(res:Result) | res {.id, .title, .status, .note}],
       supported: [(g)-[:SUPPORTED]->(s) | s {.id, label: labels(s)[0], name: coalesce(s.name, s.title), date: s.date,
                    place: head([(s)-[:HELD_IN]->(pl:Place) | pl.name])}]}],
     events: [(o)-[er:PARTICIPATED_IN|ORGANIZED]->(e:Event) | e {.id, .name, .date, role: coalesce(er.role, toLower(type(er)))}],
     commitments: [(o)-[:MADE_COMMITMENT]->(c:Commitment) | c {.id, .name}],
     networks: [(o)-[:MEMBER_OF]->(n:Network) | n {.id, .name}]}] AS recipients`;

/** Actors who are members of both networks (directly or through a cohort of either). */
export const NETWORK_OVERLAP = `
MATCH (n1:Network {id: $a}), (n2:Network {id: $b})
MATCH (m:Organization|Person)-[:MEMBER_OF]->(:Network)-[:PART_OF*0..2]->(n1)
MATCH (m)-[:MEMBER_OF]->(:Network)-[:PART_OF*0..2]->(n2)
WITH DISTINCT m ORDER BY m.name, m.id
RETURN collect(${summary('m')}) AS members`;

export const TOP_OVERLAPS = `
MATCH (n1:Network)<-[:MEMBER_OF]-(m:Organization|Person)-[:MEMBER_OF]->(n2:Network)
WHERE n1.id < n2.id
  AND ($within IS NULL OR (EXISTS { MATCH (n1)-[:PART_OF*0..2]->(:Network {id: $within}) } AND EXISTS { MATCH (n2)-[:PART_OF*0..2]->(:Network {id: $within}) }))
WITH n1, n2, collect(DISTINCT m.id) AS shared
RETURN n1 {.id, .name} AS a, n2 {.id, .name} AS b, size(shared) AS count, shared[0..20] AS sample
ORDER BY count DESC, a.id, b.id
LIMIT $limit`;

export const NETWORKS_EXIST = 'UNWIND $ids AS id OPTIONAL MATCH (n:Network {id: id}) RETURN id, n IS NOT NULL AS found';

export const ENTITY_EXISTS = `${anyEntityById('id', 'x')} RETURN x.id AS id`;

export async function entityExists(db: Database, id: string): Promise<boolean> {
  const rows = await db.readRows(ENTITY_EXISTS, { id });
  return rows.length > 0;
}
