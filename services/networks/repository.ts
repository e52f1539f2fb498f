import type { Database } from '../shared/database';
import { recordGraphChange } from '../shared/graph-changes';
import { appendCitation, pageOf, readPage, relProjection, type NeighbourSpec, type NeighbourWindow } from '../shared/cypher';
import { checkCitation, definedOnly } from '../shared/curation';
import { badInput, notFound } from '../shared/errors';
import type { CitationInput } from '../shared/graphql/common';
import { toPage, type Page } from '../shared/page';
import type { ItemEnds, Prefetchable } from '../shared/prefetch';
import type { MembershipInput } from './types';

export const Rel = {
  // Members and hubs are organizations and people the actors subgraph resolves: read as references.
  members: { from: 'Network', types: ['MEMBER_OF'], direction: 'in', to: ['Organization', 'Person'], reference: true },
  parentNetwork: { from: 'Network', types: ['PART_OF'], direction: 'out', to: ['Network'] },
  cohorts: { from: 'Network', types: ['PART_OF'], direction: 'in', to: ['Network'] },
  hubs: { from: 'Network', types: ['HUB_FOR'], direction: 'in', to: ['Organization'], reference: true },
  networkPlaces: { from: 'Network', types: ['WORKS_IN'], direction: 'out', to: ['Place'] },
  networkEvents: { from: 'Network', types: ['ORGANIZED', 'PARTICIPATED_IN'], direction: 'out', to: ['Event'] },
  networkOrganizers: { from: 'Network', types: ['ORGANIZED'], direction: 'in', to: ['Organization'] },
  eventPlace: { from: 'Event', types: ['HELD_IN'], direction: 'out', to: ['Place'] },
  eventParticipants: { from: 'Event', types: ['PARTICIPATED_IN'], direction: 'in', to: ['Organization', 'Person', 'Network'] },
  eventOrganizers: { from: 'Event', types: ['ORGANIZED'], direction: 'in', to: ['Organization', 'Network'] },
  // Also the actors subgraph's: see OrganizationNetworksResolver.basedIn.
  orgBasedIn: { from: 'Organization', types: ['BASED_IN'], direction: 'out', to: ['Place'] },
  orgMemberships: { from: 'Organization', types: ['MEMBER_OF'], direction: 'out', to: ['Network'] },
  orgHubFor: { from: 'Organization', types: ['HUB_FOR'], direction: 'out', to: ['Network'] },
  orgEvents: { from: 'Organization', types: ['PARTICIPATED_IN', 'ORGANIZED'], direction: 'out', to: ['Event'] },
  personMemberships: { from: 'Person', types: ['MEMBER_OF'], direction: 'out', to: ['Network'] },
  personEvents: { from: 'Person', types: ['PARTICIPATED_IN', 'ORGANIZED'], direction: 'out', to: ['Event'] },
  placeEvents: { from: 'Place', types: ['HELD_IN'], direction: 'in', to: ['Event'] },
  placeNetworks: { from: 'Place', types: ['WORKS_IN'], direction: 'in', to: ['Network'] },
} as const satisfies Record<string, NeighbourSpec>;

/** A member in `Network.members`: edges, node (a Membership), whose `member` and `network` need no membership property. */
export const MEMBER_ENDS: ItemEnds = { path: ['edges', 'node'], ends: ['member', 'network'] };

/** The page of members `Network.members` asks for, from its arguments (the resolver and the prefetch agree on it). */
export const membersWindow = (args: { first?: number; after?: string; role?: string | null }, maxPageSize: number): NeighbourWindow => ({
  ...toPage(args, maxPageSize),
  role: args.role ?? null,
});

/** The fields whose relationships are read in the statement that reads their node (shared/prefetch.ts). */
export const PREFETCHABLE: Prefetchable = {
  Network: {
    members: { spec: Rel.members, window: membersWindow, item: MEMBER_ENDS },
    parent: { spec: Rel.parentNetwork, nodeType: 'Network' },
    cohorts: { spec: Rel.cohorts, nodeType: 'Network' },
    hubs: { spec: Rel.hubs },
    places: { spec: Rel.networkPlaces, nodeType: 'Place' },
    events: { spec: Rel.networkEvents, nodeType: 'Event' },
    organizers: { spec: Rel.networkOrganizers, nodeType: 'Organization' },
  },
  Event: {
    place: { spec: Rel.eventPlace, nodeType: 'Place' },
    participants: { spec: Rel.eventParticipants },
    organizers: { spec: Rel.eventOrganizers },
  },
  Organization: {
    basedIn: { spec: Rel.orgBasedIn, nodeType: 'Place' },
    memberships: { spec: Rel.orgMemberships, via: ['network'], nodeType: 'Network' },
    networks: { spec: Rel.orgMemberships, nodeType: 'Network', lean: true },
    hubFor: { spec: Rel.orgHubFor, nodeType: 'Network' },
    events: { spec: Rel.orgEvents, via: ['event'], nodeType: 'Event' },
  },
  Person: {
    memberships: { spec: Rel.personMemberships, via: ['network'], nodeType: 'Network' },
    networks: { spec: Rel.personMemberships, nodeType: 'Network', lean: true },
    events: { spec: Rel.personEvents, via: ['event'], nodeType: 'Event' },
  },
  Place: {
    events: { spec: Rel.placeEvents, nodeType: 'Event' },
    networks: { spec: Rel.placeNetworks, nodeType: 'Network' },
  },
};

const LIST_NETWORKS = pageOf(
  `
MATCH (n:Network) WHERE $kinds IS NULL OR n.kind IN $kinds`,
  `n.name, n.id`,
);
export const listNetworks = (db: Database, kinds: string[] | undefined, page: Page) =>
  readPage(db, LIST_NETWORKS, { kinds: kinds ?? null }, page);

const LIST_EVENTS = pageOf(
  `
MATCH (n:Event)
WHERE ($from IS NULL OR n.date >= $from) AND ($to IS NULL OR n.date <= $to)
  AND ($place IS NULL OR EXISTS { MATCH (n)-[:HELD_IN]->(:Place)-[:IN*0..6]->(:Place {id: $place}) })`,
  `n.date, n.id`,
);
export const listEvents = (db: Database, filter: { from?: string; to?: string; place?: string }, page: Page) =>
  readPage(db, LIST_EVENTS, { from: filter.from ?? null, to: filter.to ?? null, place: filter.place ?? null }, page);

const ENDPOINTS = `
OPTIONAL MATCH (m:Organization|Person {id: $memberId})
OPTIONAL MATCH (net:Network {id: $networkId})
OPTIONAL MATCH (m)-[old:MEMBER_OF]->(net) WHERE coalesce(old.role, '') = coalesce($role, '')
RETURN m IS NOT NULL AS memberFound, net IS NOT NULL AS networkFound, head(collect(old.id)) AS existingId`;

const UPSERT_MEMBERSHIP = `
MATCH (m:Organization|Person {id: $memberId}) MATCH (net:Network {id: $networkId})
MERGE (m)-[r:MEMBER_OF {id: $id}]->(net)
SET r += $props, r.curatedAt = datetime(), ${appendCitation('r')}
RETURN ${relProjection('r')} AS rel, labels(m)[0] AS memberLabel, m.name AS memberName`;

/** Creates or updates one membership (keyed by member, network and role) in one transaction. */
export function upsertMembership(db: Database, input: MembershipInput, citation: CitationInput) {
  if (input.since && input.until && input.until < input.since) throw badInput('input.until', 'must not be before input.since');
  return db.write(async (tx) => {
    await checkCitation(db, tx, citation);
    const found = (await db.run(tx, ENDPOINTS, { memberId: input.memberId, networkId: input.networkId, role: input.role ?? null }, 'WRITE'))
      .records[0]!;
    if (!found.get('memberFound')) throw notFound('Organization or Person', input.memberId);
    if (!found.get('networkFound')) throw notFound('Network', input.networkId);
    // The same member, network and role is the same membership: update it rather than add a twin.
    const id =
      (found.get('existingId') as string | null) ?? [input.memberId, 'MEMBER_OF', input.networkId, input.role].filter(Boolean).join('|');
    const { memberId: _m, networkId: _n, ...props } = definedOnly(input);
    const record = (await db.run(tx, UPSERT_MEMBERSHIP, { ...input, id, props, citation }, 'WRITE')).records[0]!;
    await recordGraphChange(db, tx, [input.memberId, input.networkId]);
    return {
      rel: record.get('rel') as Record<string, unknown>,
      memberLabel: record.get('memberLabel') as string,
      memberName: record.get('memberName') as string,
    };
  });
}
