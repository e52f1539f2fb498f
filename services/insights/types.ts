import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Citation, Money } from '../shared/graphql/common';
import { EntityReference } from '../shared/graphql/entity';
import { ConnectionType } from '../shared/graphql/pagination';
import { DateTime, JSONObject, PartialDate } from '../shared/graphql/scalars';
import { LINK_KINDS } from './links';

export enum LinkKindEnum {
  NETWORK = 'NETWORK',
  HUB = 'HUB',
  FUNDING = 'FUNDING',
  COMMITMENT = 'COMMITMENT',
  EVENT = 'EVENT',
  PARTNERSHIP = 'PARTNERSHIP',
  PERSON = 'PERSON',
  INITIATIVE = 'INITIATIVE',
  STRUCTURE = 'STRUCTURE',
  PROCUREMENT = 'PROCUREMENT',
}
registerEnumType(LinkKindEnum, {
  name: 'LinkKind',
  description: 'How two actors are linked.',
  valuesConfig: Object.fromEntries(
    Object.entries(LINK_KINDS).map(([k, v]) => [k, { description: `${v.description} (${v.types.join(', ')})` }]),
  ),
});

export enum CollaborationScope {
  ANY = 'ANY',
  OTHER_CITY = 'OTHER_CITY',
  OTHER_COUNTRY = 'OTHER_COUNTRY',
}
registerEnumType(CollaborationScope, {
  name: 'CollaborationScope',
  description:
    'Which collaborators to keep: all, only those in another city, or only those in another country (actors whose city or country is unknown are left out of the last two).',
});

export enum BrokerMeasure {
  NETWORKS = 'NETWORKS',
  CITIES = 'CITIES',
  COUNTRIES = 'COUNTRIES',
}
registerEnumType(BrokerMeasure, {
  name: 'BrokerMeasure',
  description:
    'What a broker bridges. NETWORKS: distinct networks the actor belongs to or is hub for. CITIES, COUNTRIES: distinct cities or countries among the actor and its direct (one-hop) collaborators. A broker scores at least 2.',
});

export enum TrailDirection {
  DOWNSTREAM = 'DOWNSTREAM',
  UPSTREAM = 'UPSTREAM',
}
registerEnumType(TrailDirection, {
  name: 'TrailDirection',
  description: 'DOWNSTREAM: where the money went; UPSTREAM: where it came from.',
});

@ObjectType({ description: 'A short description of an entity in an answer: enough to label and place it.' })
export class EntitySummary {
  @Field(() => ID, { description: 'Entity id.' }) id!: string;
  @Field({ description: 'Entity type (Organization, Person, Network, ...).' }) label!: string;
  @Field({ nullable: true, description: 'Kind within the type (government, cohort, city, ...).' }) kind?: string;
  @Field({ description: 'Display name.' }) name!: string;
  @Field(() => ID, { nullable: true, description: 'Id of its city, when known.' }) city?: string;
  @Field({ nullable: true, description: 'ISO 3166-1 alpha-2 code of its country, when known.' }) country?: string;
}

@ObjectType({ description: 'A node of a relationship view, ready for a graph-drawing library.' })
export class ViewNode {
  @Field(() => ID, { description: 'Entity id (use it with the entity queries for details).' })
  id!: string;

  @Field({ description: 'Entity type: Organization, Person, Place, Network, Event, Grant, ActionPlan, Commitment, Initiative, Result.' })
  label!: string;

  @Field({ nullable: true, description: 'Its kind within the type (e.g. government, cohort, city).' })
  kind?: string;

  @Field({ description: 'Display name.' })
  name!: string;

  @Field({ nullable: true, description: 'City it is based in or governs, when known.' })
  city?: string;

  @Field({ nullable: true, description: 'ISO 3166-1 alpha-2 code of its country, when known.' })
  country?: string;

  @Field({ description: 'Hops from the centre (0 for the centre itself).' })
  distance!: number;
}

@ObjectType({ description: 'An edge of a relationship view: one relationship between two nodes of the view.' })
export class ViewEdge {
  @Field(() => ID, { description: 'Stable id of the relationship.' })
  id!: string;

  @Field(() => ID, { description: 'Id of the node the relationship starts at.' })
  source!: string;

  @Field(() => ID, { description: 'Id of the node the relationship ends at.' })
  target!: string;

  @Field({ description: 'Relationship type (MEMBER_OF, WORKS_FOR, FUNDED, ...).' })
  kind!: string;

  @Field({ nullable: true, description: 'Role on the relationship, when it has one.' })
  role?: string;

  @Field(() => PartialDate, { nullable: true, description: 'Start of the relationship, when known.' })
  since?: string;

  @Field(() => PartialDate, { nullable: true, description: 'End of the relationship, when known.' })
  until?: string;

  @Field(() => [Citation], { description: 'Where the relationship is stated.' })
  sources!: Citation[];
}

@ObjectType({ description: 'The neighbourhood of an entity as nodes and edges. `truncated` says the node limit cut it short.' })
export class RelationshipView {
  @Field(() => ID, { description: 'Id of the centre entity.' })
  center!: string;

  @Field(() => [ViewNode], { description: 'Nodes, the centre first, then by distance.' })
  nodes!: ViewNode[];

  @Field(() => [ViewEdge], { description: 'Relationships among the nodes.' })
  edges!: ViewEdge[];

  @Field({ description: 'True when more nodes lay within the depth than the limit allowed.' })
  truncated!: boolean;
}

@ObjectType({ description: 'A node on a path.' })
export class PathNode {
  @Field(() => ID, { description: 'Entity id.' }) id!: string;
  @Field({ description: 'Entity type.' }) label!: string;
  @Field({ description: 'Display name.' }) name!: string;
}

@ObjectType({ description: 'One relationship of a path, explained: what it is, between whom, and who says so.' })
export class PathRelationship {
  @Field(() => ID, { description: 'Stable id of the relationship.' }) id!: string;
  @Field({ description: 'Relationship type (MEMBER_OF, HUB_FOR, FUNDED, ...).' }) type!: string;
  @Field(() => LinkKindEnum, { nullable: true, description: 'The kind of link it belongs to.' }) linkKind?: LinkKindEnum;
  @Field(() => ID, { description: 'Id of the start node.' }) from!: string;
  @Field(() => ID, { description: 'Id of the end node.' }) to!: string;
  @Field({ nullable: true, description: 'Role on the relationship.' }) role?: string;
  @Field(() => PartialDate, { nullable: true, description: 'When it started (or the date of a money flow).' }) since?: string;
  @Field(() => PartialDate, { nullable: true, description: 'When it ended.' }) until?: string;
  @Field(() => Money, { nullable: true, description: 'Amount of a money flow.' }) value?: Money;
  @Field(() => [Citation], { description: 'Where it is stated.' }) sources!: Citation[];
}

@ObjectType({ description: 'A path between two entities, every hop explained.' })
export class Path {
  @Field(() => [PathNode], { description: 'Nodes from start to end.' }) nodes!: PathNode[];
  @Field(() => [PathRelationship], { description: 'Relationships between consecutive nodes.' }) relationships!: PathRelationship[];
  @Field(() => Int, { description: 'Collaboration hops: a direct link or a shared context counts as one.' }) hops!: number;
}

@ObjectType({ description: 'An actor an entity collaborates with, how, and the path that shows it.' })
export class Collaborator {
  @Field(() => EntitySummary, { description: 'The collaborator.' }) actor!: EntitySummary;
  @Field(() => Int, { description: 'Collaboration hops away (1 = direct link or shared context).' }) hops!: number;
  @Field(() => [LinkKindEnum], { description: 'The kinds of link along the path.' }) linkKinds!: LinkKindEnum[];
  @Field(() => Path, { description: 'A shortest path to the collaborator, with sources for every relationship.' }) path!: Path;
}

export const CollaboratorConnection = ConnectionType('Collaborator', () => Collaborator, 'A page of collaborators, nearest first.');

@ObjectType({ description: 'A city in a city-to-city answer.' })
export class CityRef {
  @Field(() => ID, { description: 'Place id.' }) id!: string;
  @Field({ description: 'City name.' }) name!: string;
  @Field({ nullable: true, description: 'ISO 3166-1 alpha-2 country code.' }) country?: string;
}

@ObjectType({ description: 'Two actors in different cities that carry a city-to-city link.' })
export class CarrierPair {
  @Field(() => ID, { description: 'Actor in the first city.' }) a!: string;
  @Field(() => ID, { description: 'Actor in the second city.' }) b!: string;
  @Field(() => [LinkKindEnum], { description: 'How they are linked.' }) linkKinds!: LinkKindEnum[];
}

@ObjectType({
  description:
    'How current a whole-graph answer is. Such answers are computed once per state of the graph; after a write, the earlier answer is given while the new one is computed, rather than making the client wait.',
})
export class Freshness {
  @Field(() => DateTime, { description: 'When the answer was computed.' }) computedAt!: Date;
  @Field({
    description:
      'Whether it counts every write so far; false: computed before the latest writes, a new one is on its way (ask again shortly).',
  })
  current!: boolean;
}

@ObjectType({ description: 'Collaboration between two cities: how strong, of which kinds, and which actors carry it.' })
export class CityLink {
  @Field(() => CityRef, { description: 'One city (the one whose id sorts first).' }) a!: CityRef;
  @Field(() => CityRef, { description: 'The other city.' }) b!: CityRef;
  @Field(() => Int, { description: 'Distinct actor pairs linking the two cities (the strength).' }) actorPairs!: number;
  @Field(() => [LinkKindEnum], { description: 'Kinds of link used.' }) linkKinds!: LinkKindEnum[];
  @Field(() => [CarrierPair], { description: 'The actor pairs that carry the link.' }) carriers!: CarrierPair[];
  @Field(() => Freshness, { description: 'How current the count is.' }) freshness!: Freshness;
}

@ObjectType({ description: 'An actor bridging groups, with its score under the chosen measure.' })
export class Broker {
  @Field(() => EntitySummary, { description: 'The actor.' }) actor!: EntitySummary;
  @Field(() => Int, { description: 'How many distinct groups the actor bridges under the chosen measure.' }) score!: number;
  @Field(() => [String], { description: 'The groups bridged (ids of networks or cities, or country codes).' }) groups!: string[];
  @Field(() => Freshness, { description: 'How current the ranking is.' }) freshness!: Freshness;
}

@ObjectType({ description: 'An id and a name.' })
export class NamedRef {
  @Field(() => ID, { description: 'Id.' }) id!: string;
  @Field({ description: 'Name.' }) name!: string;
}

@ObjectType({ description: 'A money flow on a funding trail.' })
export class TrailFlow {
  @Field(() => ID, { description: 'Who gave.' }) from!: string;
  @Field(() => ID, { description: 'Who received.' }) to!: string;
  @Field(() => Money, { nullable: true, description: 'How much, when the source says.' }) value?: Money;
  @Field(() => PartialDate, { nullable: true, description: 'When.' }) date?: string;
  @Field(() => ID, { nullable: true, description: 'The grant the flow belongs to.' }) grantId?: string;
  @Field({ nullable: true, description: 'What for, as the source words it.' }) purpose?: string;
  @Field(() => [Citation], { description: 'Where the flow is stated.' }) sources!: Citation[];
}

@ObjectType({ description: 'A result of a grant on a trail.' })
export class TrailResult {
  @Field(() => ID, { description: 'Result id.' }) id!: string;
  @Field({ description: 'What the result is.' }) title!: string;
  @Field({ nullable: true, description: 'fulfilled, partly_fulfilled, not_fulfilled or unknown.' }) status?: string;
  @Field({ nullable: true, description: 'Note on the status.' }) note?: string;
}

@ObjectType({ description: 'Something a grant paid for (event, network, initiative).' })
export class TrailSupported {
  @Field(() => ID, { description: 'Id.' }) id!: string;
  @Field({ description: 'Entity type.' }) label!: string;
  @Field({ description: 'Name.' }) name!: string;
  @Field(() => PartialDate, { nullable: true, description: 'Date, for events.' }) date?: string;
  @Field({ nullable: true, description: 'Where it was held, for events.' }) place?: string;
}

@ObjectType({ description: 'A grant of an organization on a trail, with what it produced.' })
export class TrailGrant {
  @Field(() => ID, { description: 'Grant id.' }) id!: string;
  @Field({ description: 'Grant title.' }) name!: string;
  @Field(() => Money, { nullable: true, description: 'Amount.' }) value?: Money;
  @Field(() => PartialDate, { nullable: true, description: 'Signing date.' }) signedDate?: string;
  @Field({ description: "The organization's role in it." }) role!: string;
  @Field(() => [TrailResult], { description: 'Results (impact metrics).' }) results!: TrailResult[];
  @Field(() => [TrailSupported], { description: 'What it paid for.' }) supported!: TrailSupported[];
}

@ObjectType({ description: 'An event an organization on a trail took part in or organized.' })
export class TrailEvent {
  @Field(() => ID, { description: 'Event id.' }) id!: string;
  @Field({ description: 'Name.' }) name!: string;
  @Field(() => PartialDate, { nullable: true, description: 'Date.' }) date?: string;
  @Field({ nullable: true, description: 'Role (organized, participated_in, speaker...).' }) role?: string;
}

@ObjectType({ description: 'An organization on a funding trail and what it produced or joined.' })
export class TrailOrganization {
  @Field(() => EntitySummary, { description: 'The organization.' }) organization!: EntitySummary;
  @Field(() => [TrailGrant], { description: 'Its grants (given or received) with results.' }) grants!: TrailGrant[];
  @Field(() => [TrailEvent], { description: 'Events it took part in or organized.' }) events!: TrailEvent[];
  @Field(() => [NamedRef], { description: 'Commitments it is responsible for.' }) commitments!: NamedRef[];
  @Field(() => [NamedRef], { description: 'Networks it belongs to.' }) networks!: NamedRef[];
}

@ObjectType({ description: 'Where money went from a funder or grant (or came from, upstream), and what it produced.' })
export class FundingTrail {
  @Field(() => EntitySummary, { description: 'Where the trail starts.' }) start!: EntitySummary;
  @Field(() => TrailDirection, { description: 'Downstream or upstream.' }) direction!: TrailDirection;
  @Field(() => [TrailFlow], { description: 'Every money flow on the trail.' }) flows!: TrailFlow[];
  @Field(() => [Money], { description: 'Sum of the flows with amounts, one per currency.' }) totals!: Money[];
  @Field(() => [TrailOrganization], { description: 'Organizations on the trail and what they produced or joined.' })
  organizations!: TrailOrganization[];
}

@ObjectType({ description: 'Actors in both of two networks.' })
export class NetworkOverlap {
  @Field(() => Int, { description: 'How many actors are in both.' }) count!: number;
  @Field(() => [EntitySummary], { description: 'The actors in both, by name.' }) members!: EntitySummary[];
}

@ObjectType({ description: 'Two networks and how many members they share.' })
export class NetworkPairOverlap {
  @Field(() => NamedRef, { description: 'One network.' }) a!: NamedRef;
  @Field(() => NamedRef, { description: 'The other network.' }) b!: NamedRef;
  @Field(() => Int, { description: 'Members in both.' }) count!: number;
  @Field(() => [ID], { description: 'Up to 20 of the shared members.' }) sample!: string[];
}

@ObjectType({
  description:
    'The answer to a read-only Cypher query: its columns and rows as JSON (nodes and relationships with their element id, labels or type, and properties).',
})
export class CypherResult {
  @Field(() => [String], { description: 'The RETURN columns, in order.' }) columns!: string[];
  @Field(() => [JSONObject], { description: 'One object per row, keyed by column.' }) rows!: Array<Record<string, unknown>>;
  @Field({ description: 'True when the query had more rows than maxRows; only the first maxRows were read.' }) truncated!: boolean;
}

export enum CentralityMeasureEnum {
  DEGREE = 'DEGREE',
  BETWEENNESS = 'BETWEENNESS',
  CLOSENESS = 'CLOSENESS',
  EIGENVECTOR = 'EIGENVECTOR',
  PAGERANK = 'PAGERANK',
}
registerEnumType(CentralityMeasureEnum, {
  name: 'CentralityMeasure',
  description:
    'Centrality on the actor collaboration graph (undirected, unweighted; a tie is one hop as links.ts counts it), as networkx defines each: DEGREE (degree / (n - 1)), BETWEENNESS (normalized), CLOSENESS (Wasserman-Faust, for graphs in pieces), EIGENVECTOR (L2-normalized), PAGERANK (damping 0.85).',
});

export enum CommunityMethod {
  LOUVAIN = 'LOUVAIN',
}
registerEnumType(CommunityMethod, {
  name: 'CommunityMethod',
  description:
    "How communities are found. LOUVAIN: modularity optimization (graphology's implementation, seeded: the same graph gives the same answer).",
});

export enum BrokerageGrouping {
  CITY = 'CITY',
  COUNTRY = 'COUNTRY',
  KIND = 'KIND',
  NETWORK = 'NETWORK',
  SECTOR = 'SECTOR',
}
registerEnumType(BrokerageGrouping, {
  name: 'BrokerageGrouping',
  description:
    'The groups brokerage roles are counted between. Each actor has at most one group (the roles need a partition); an actor without one counts as a group of its own.',
  valuesConfig: {
    CITY: { description: 'The city an actor is based in, governs or works in.' },
    COUNTRY: { description: "The country of that place, or the actor's own." },
    KIND: {
      description:
        'The kind of organization (government, civil_society, funder...), or person: who brokers between governments and civil society.',
    },
    NETWORK: {
      description:
        'The most specific network the actor is linked to (the one with the fewest links, ties by id: a LOCI cohort before OGP Local before OGP): who brokers between networks.',
    },
    SECTOR: {
      description:
        "The DAC sector category (IATI sector vocabulary 1's first three digits, or vocabulary 2) most frequent among the grants the actor is linked to, ties by code; each grant counts its first DAC sector.",
    },
  },
});

@ObjectType({ description: "An actor's score under a measure, and its rank (equal scores share a rank)." })
export class ActorScore {
  @Field(() => EntitySummary, { description: 'The actor.' }) actor!: EntitySummary;
  @Field(() => Float, { description: 'The score.' }) score!: number;
  @Field(() => Int, { description: 'Its rank, from 1.' }) rank!: number;
}

@ObjectType({
  description:
    "How an estimated centrality was sampled. Betweenness and closeness are exact up to 5,000 actors; beyond that they are computed from a sample of sources (Brandes and Pich's pivots; Eppstein and Wang's per component for closeness), and every actor's score is within `errorBound` of the exact one with probability `confidence`.",
})
export class CentralityEstimate {
  @Field(() => Int, { description: 'Sources sampled.' }) samples!: number;
  @Field(() => Float, { description: "The most any actor's estimated score differs from its exact one (with probability `confidence`)." })
  errorBound!: number;
  @Field(() => Float, { description: 'The probability the bound holds for every actor at once.' }) confidence!: number;
}

@ObjectType({ description: "Actors ranked by a centrality measure, computed exactly over the scope's collaboration graph." })
export class CentralityRanking {
  @Field(() => CentralityMeasureEnum, { description: 'The measure.' }) measure!: CentralityMeasureEnum;
  @Field(() => Int, { description: "Actors in the scope's collaboration graph." }) actors!: number;
  @Field(() => Int, { description: 'Ties (pairs of actors one hop apart) in it.' }) ties!: number;
  @Field(() => [ActorScore], { description: 'The best `first` actors.' }) scores!: ActorScore[];
  @Field(() => CentralityEstimate, {
    nullable: true,
    description: 'How the scores were estimated, and their error bound; null when they are exact.',
  })
  estimate?: CentralityEstimate;
  @Field(() => Freshness, { description: 'How current the ranking is.' }) freshness!: Freshness;
}

@ObjectType({
  description:
    'How often an actor is the middle of a two-step path a -> actor -> c whose ends have no tie, by the Gould-Fernandez role the groups of the three give it.',
})
export class BrokerageRoleCounts {
  @Field(() => Int, { description: 'All three in one group.' }) coordinator!: number;
  @Field(() => Int, { description: 'The ends share a group the broker is not in (consultant).' }) itinerant!: number;
  @Field(() => Int, { description: "The broker shares the end's group and lets an outsider in." }) gatekeeper!: number;
  @Field(() => Int, { description: "The broker shares the start's group and reaches out of it." }) representative!: number;
  @Field(() => Int, { description: 'Three different groups.' }) liaison!: number;
  @Field(() => Int, { description: 'All of them.' }) total!: number;
}

export enum BrokerageRole {
  COORDINATOR = 'COORDINATOR',
  ITINERANT = 'ITINERANT',
  GATEKEEPER = 'GATEKEEPER',
  REPRESENTATIVE = 'REPRESENTATIVE',
  LIAISON = 'LIAISON',
}
registerEnumType(BrokerageRole, { name: 'BrokerageRole', description: 'A Gould-Fernandez brokerage role (see BrokerageRoleCounts).' });

@ObjectType({
  description:
    'One open two-step path through a broker, from -> broker -> to (the ends have no tie), with the role it gives the broker and the links that make each step.',
})
export class BrokerageTriad {
  @Field(() => BrokerageRole, { description: 'The role this path gives the broker.' }) role!: BrokerageRole;
  @Field(() => EntitySummary, { description: 'Where the path starts.' }) from!: EntitySummary;
  @Field(() => EntitySummary, { description: 'Where it ends.' }) to!: EntitySummary;
  @Field({ nullable: true, description: 'The group of `from` (null: it has none and is a group of its own).' }) fromGroup?: string;
  @Field({ nullable: true, description: 'The group of `to`.' }) toGroup?: string;
  @Field(() => Path, {
    description: 'The first step, from -> broker: one hop (a direct link or a shared context), with the sources of every relationship.',
  })
  toBroker!: Path;
  @Field(() => Path, { description: 'The second step, broker -> to.' }) fromBroker!: Path;
}

@ObjectType({ description: "An actor's brokerage roles between groups, explained by sample paths through it." })
export class BrokerageExplanation {
  @Field(() => BrokerageGrouping, { description: 'The groups the roles are counted between.' }) groupBy!: BrokerageGrouping;
  @Field({ nullable: true, description: "The actor's own group." }) group?: string;
  @Field(() => BrokerageRoleCounts, { description: "Its role counts over the scope's collaboration graph." }) roles!: BrokerageRoleCounts;
  @Field(() => [BrokerageTriad], { description: 'Sample paths through it, ordered by the ids of their ends.' }) triads!: BrokerageTriad[];
}

export const OrganizationReference = EntityReference('Organization', 'An organization (owned by the actors subgraph).');

@ObjectType({ description: "An actor's brokerage roles." })
export class BrokerageScore {
  @Field(() => EntitySummary, { description: 'The actor.' }) actor!: EntitySummary;
  @Field(() => BrokerageRoleCounts, { description: 'Its role counts.' }) roles!: BrokerageRoleCounts;
  @Field(() => Freshness, { description: 'How current the counts are.' }) freshness!: Freshness;
}

@ObjectType({ description: "A community of actors: more ties inside than the graph's density would give." })
export class Community {
  @Field(() => Int, { description: 'Its number in this answer (0 is the largest).' }) id!: number;
  @Field(() => Int, { description: 'How many actors it holds.' }) size!: number;
  @Field({ description: "A label from its best-connected members' names." }) label!: string;
  @Field(() => [ID], { description: 'Its most common cities (Place ids), most first.' }) dominantCities!: string[];
  @Field(() => [String], { description: 'Its most common countries (ISO 3166-1 alpha-2), most first.' }) dominantCountries!: string[];
  @Field(() => [EntitySummary], { description: 'Its best-connected members (ties inside the scope), at most `membersFirst`.' })
  members!: EntitySummary[];
}

@ObjectType({ description: "A partition of the scope's actors into communities." })
export class CommunityPartition {
  @Field(() => CommunityMethod, { description: 'How it was found.' }) method!: CommunityMethod;
  @Field(() => Float, { description: "Newman's modularity of the partition." }) modularity!: number;
  @Field(() => Int, { description: "Actors in the scope's collaboration graph." }) actors!: number;
  @Field(() => [Community], { description: 'The largest `first` communities.' }) communities!: Community[];
  @Field(() => Freshness, { description: 'How current the partition is.' }) freshness!: Freshness;
}

@ObjectType({
  description:
    "An actor's place across structural holes (Burt): low constraint and high effective size mean its contacts do not know each other, so it brokers between them.",
})
export class StructuralHoleScore {
  @Field(() => EntitySummary, { description: 'The actor.' }) actor!: EntitySummary;
  @Field(() => Int, { description: 'Its ties in the scope.' }) degree!: number;
  @Field(() => Float, {
    description:
      "Burt's constraint (networkx's definition, unweighted): from about 1/degree (contacts unconnected) up to over 1 (one closed group).",
  })
  constraint!: number;
  @Field(() => Float, { description: 'Effective size: its ties minus the redundancy among them (n - 2t/n).' }) effectiveSize!: number;
  @Field(() => Freshness, { description: 'How current the measure is.' }) freshness!: Freshness;
}

export enum TimeStep {
  YEAR = 'YEAR',
}
registerEnumType(TimeStep, { name: 'TimeStep', description: "The length of each period of a network's evolution." });

@ObjectType({
  description: 'The collaboration graph of a scope during one period: ties through relationships active in it (undated ones always count).',
})
export class NetworkPeriod {
  @Field(() => Int, { description: 'The year.' }) year!: number;
  @Field(() => Int, { description: 'Actors with at least one tie in the period.' }) actors!: number;
  @Field(() => Int, { description: 'Ties between them.' }) ties!: number;
  @Field(() => Float, { description: 'Ties over possible ties.' }) density!: number;
  @Field(() => Int, { description: 'Connected components.' }) components!: number;
  @Field(() => Float, { description: 'Modularity of its Louvain communities.' }) modularity!: number;
  @Field(() => [ActorScore], { description: 'The three actors of highest betweenness in the period.' }) topBrokers!: ActorScore[];
  @Field(() => Freshness, { description: 'How current the figures are.' }) freshness!: Freshness;
}
