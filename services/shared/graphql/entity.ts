import { Directive, Field, ID, ObjectType, type ClassType } from 'type-graphql';
import { Citation, DataQualityFlag } from './common';

/** Fields every sourced entity has, whichever subgraph owns it (never emitted itself: nothing returns it). */
@ObjectType()
export abstract class SourcedEntity {
  @Field(() => ID, { description: 'Stable id (a slug such as "open-government-partnership").' })
  id!: string;

  @Field(() => [Citation], { description: 'Where the facts about this entity come from.' })
  sources!: Citation[];

  @Field(() => [DataQualityFlag], {
    name: 'dataQualityFlags',
    description: 'Contradictions or doubts the sources raise about this entity.',
  })
  flags!: DataQualityFlag[];
}

/** A sourced entity known by a name and aliases. */
@ObjectType()
export abstract class NamedEntity extends SourcedEntity {
  // Shareable: subgraphs that return an actor as a reference may give its name too (the same property).
  @Directive('@shareable')
  @Field({ description: 'The name as the sources give it, accents kept.' })
  name!: string;

  @Field(() => [String], { description: 'Every other name this entity is known by (acronyms, translations, former names).' })
  aliases!: string[];
}

/**
 * A reference to an entity owned by another subgraph: only its key. The gateway fetches every other field from
 * the owner, so a subgraph can return or extend the type without knowing it. Each call makes a new class, so
 * every subgraph has its own (type-graphql metadata is global).
 */
export function EntityReference(typeName: string, description: string): ClassType<{ id: string }> {
  @Directive('@key(fields: "id")')
  @ObjectType(typeName, { description })
  class Reference {
    @Field(() => ID, { description: 'Stable id.' })
    id!: string;
  }
  return Reference;
}

/**
 * A reference that also gives the entity's name (shared with the owner): for a subgraph that lists actors, so a
 * client asking for their names needs no second fetch. Every value of the type this subgraph returns must then
 * carry `name` (reference projections read it; see shared/cypher.ts).
 */
export function NamedEntityReference(typeName: string, description: string): ClassType<{ id: string; name: string }> {
  @Directive('@key(fields: "id")')
  @ObjectType(typeName, { description })
  class Reference {
    @Field(() => ID, { description: 'Stable id.' })
    id!: string;

    @Directive('@shareable')
    @Field({ description: 'The name as the sources give it, accents kept.' })
    name!: string;
  }
  return Reference;
}
