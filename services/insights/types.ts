import { Field, ID, ObjectType } from 'type-graphql';
import { Citation } from '../shared/graphql/common';
import { PartialDate } from '../shared/graphql/scalars';

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
