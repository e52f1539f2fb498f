import { createUnionType, Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Citation } from '../shared/graphql/common';
import { NamedEntity, NamedEntityReference } from '../shared/graphql/entity';
import { ConnectionType } from '../shared/graphql/pagination';
import { PartialDate } from '../shared/graphql/scalars';

export enum NetworkKind {
  PARTNERSHIP = 'partnership',
  PROGRAMME = 'programme',
  COHORT = 'cohort',
  REGIONAL_NETWORK = 'regional_network',
  MECHANISM = 'mechanism',
}
registerEnumType(NetworkKind, {
  name: 'NetworkKind',
  description:
    'What kind of network: a partnership (OGP), a programme (OGP Local, LOCI), a city cohort, a regional network or a mechanism.',
});

export const OrganizationReference = NamedEntityReference('Organization', 'An organization (owned by the actors subgraph).');
export const PersonReference = NamedEntityReference('Person', 'A person (owned by the actors subgraph).');
export const PlaceReference = NamedEntityReference('Place', 'A place (owned by the actors subgraph).');

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A network, partnership, programme or cohort that organizations and people belong to.' })
export class Network extends NamedEntity {
  @Field(() => NetworkKind, { description: 'What kind of network it is.' })
  kind!: NetworkKind;

  @Field(() => PartialDate, { nullable: true, description: 'When it was founded or launched.' })
  founded?: string;

  @Field({ nullable: true, description: 'What it is, in a sentence.' })
  description?: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A meeting, convening, launch or summit.' })
export class Event extends NamedEntity {
  @Field(() => PartialDate, { description: 'When it took place (start).' })
  date!: string;

  @Field(() => PartialDate, { nullable: true, description: 'When it ended, for events of several days.' })
  endDate?: string;

  @Field({ description: 'meeting, convening, launch or summit.' })
  kind!: string;

  @Field({ nullable: true, description: 'What happened, in a sentence.' })
  description?: string;
}

export const Member = createUnionType({
  name: 'Member',
  description: 'A member of a network: an organization or a person.',
  types: () => [OrganizationReference, PersonReference] as const,
  resolveType: (value) => (value as unknown as { __label: string }).__label,
});

export const Participant = createUnionType({
  name: 'Participant',
  description: 'Who took part in an event: an organization, a person or a whole network.',
  types: () => [OrganizationReference, PersonReference, Network] as const,
  resolveType: (value) => (value as unknown as { __label: string }).__label,
});

@ObjectType({ description: 'Membership of an organization or person in a network, with role, dates and status.' })
export class Membership {
  @Field(() => ID, { description: 'Stable id of the membership.' })
  id!: string;

  @Field(() => Member, { description: 'The member.' })
  member!: typeof Member;

  @Field(() => Network, { description: 'The network.' })
  network!: Network;

  @Field({ nullable: true, description: 'The role (e.g. founding government, civil society, hivos hub, LOCI participant).' })
  role?: string;

  @Field(() => PartialDate, { nullable: true, description: 'Member since.' })
  since?: string;

  @Field(() => PartialDate, { nullable: true, description: 'Member until (empty while the membership lasts).' })
  until?: string;

  @Field({ nullable: true, description: 'Status as the source gives it (e.g. "Active: Looking for support or collaboration").' })
  status?: string;

  @Field(() => [Citation], { description: 'Where the membership is stated.' })
  sources!: Citation[];
}

@ObjectType({ description: 'Participation of an organization, person or network in an event.' })
export class Participation {
  @Field(() => Participant, { description: 'Who took part.' })
  participant!: typeof Participant;

  @Field(() => Event, { description: 'The event.' })
  event!: Event;

  @Field({ nullable: true, description: 'Their role at the event (e.g. speaker).' })
  role?: string;

  @Field(() => [Citation], { description: 'Where the participation is stated.' })
  sources!: Citation[];
}

export const MembershipConnection = ConnectionType('Membership', () => Membership, 'A page of memberships.');
export const NetworkConnection = ConnectionType('Network', () => Network, 'A page of networks.');
export const EventConnection = ConnectionType('Event', () => Event, 'A page of events.');

@InputType({ description: 'A membership a curator records or corrects.' })
export class MembershipInput {
  @Field(() => ID, { description: 'Id of the member (an Organization or a Person).' })
  memberId!: string;

  @Field(() => ID, { description: 'Id of the Network.' })
  networkId!: string;

  @Field({ nullable: true, description: 'The role in the network.' })
  role?: string;

  @Field(() => PartialDate, { nullable: true, description: 'Member since.' })
  since?: string;

  @Field(() => PartialDate, { nullable: true, description: 'Member until.' })
  until?: string;

  @Field({ nullable: true, description: 'Status.' })
  status?: string;
}
