import { Directive, Field, Float, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Currency, PartialDate, URL } from './scalars';

/*
 * Value types every subgraph shares. They are @shareable: Federation 2 lets several subgraphs resolve the same
 * value type when their definitions are identical, which holds because they come from this one module.
 */

@Directive('@shareable')
@ObjectType({
  description: 'Where a fact comes from: the source document or file, and the phrase (or location) in it that supports the fact.',
})
export class Citation {
  @Field(() => ID, { description: 'Id of the Source.' })
  id!: string;

  @Field({ description: 'Title of the source document or file.' })
  title!: string;

  @Field(() => PartialDate, { nullable: true, description: 'Publication date of the source, when known.' })
  date?: string;

  @Field({ nullable: true, description: 'Author of the source, when known.' })
  author?: string;

  @Field({ nullable: true, description: 'Publisher of the source, when known.' })
  publisher?: string;

  @Field({ description: 'What kind of source it is (web_page, blog_post, iati_file, ...).' })
  kind!: string;

  @Field(() => URL, { nullable: true, description: 'Web address of the source, when known.' })
  url?: string;

  @Field({ description: 'The short quote from the source (or the location in a file) that supports the fact.' })
  quote!: string;
}

@Directive('@shareable')
@ObjectType({ description: 'One side of a data-quality flag: a statement with its own source.' })
export class FlagStatement {
  @Field({ description: 'The statement.' })
  text!: string;

  @Field(() => ID, { description: 'Id of the Source the statement comes from.' })
  sourceId!: string;

  @Field({ description: 'The phrase of the source that supports the statement.' })
  quote!: string;
}

@Directive('@shareable')
@ObjectType({ description: 'A contradiction or doubt found in the sources about this entity, kept instead of silently resolved.' })
export class DataQualityFlag {
  @Field(() => ID, { description: 'Stable id of the flag.' })
  id!: string;

  @Field({
    description: 'Kind of problem: place_mismatch, name_mismatch, implausible_figure, copied_text, missing_content, uncertain_attribution.',
  })
  kind!: string;

  @Field({ description: 'How much the problem matters: info, warning or error.' })
  severity!: string;

  @Field({ description: 'What is wrong, in one sentence.' })
  what!: string;

  @Field({ description: 'Where in the source the problem is.' })
  where!: string;

  @Field({ description: 'Why it is a problem.' })
  why!: string;

  @Field(() => FlagStatement, { description: 'What the document says.' })
  documentSays!: FlagStatement;

  @Field(() => FlagStatement, { description: 'What the facts are, with their own source.' })
  factIs!: FlagStatement;
}

@Directive('@shareable')
@ObjectType({ description: 'An amount of money in one currency. Amounts are never given without their currency.' })
export class Money {
  @Field(() => Float, { description: 'The amount, in units of the currency (not cents).' })
  amount!: number;

  @Field(() => Currency, { description: 'ISO 4217 currency code.' })
  currency!: string;
}

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection', description: 'Ascending or descending order.' });

/** The shape every node projection has (see cypher.ts): properties plus resolved citations and flags. */
export interface NodeRow {
  id: string;
  __label: string;
  sources: Citation[];
  flags: DataQualityFlag[];
  [property: string]: unknown;
}

@InputType({ description: 'Where a curated fact comes from: an existing Source id and a short quote.' })
export class CitationInput {
  @Field(() => ID, { description: 'Id of an existing Source.' })
  sourceId!: string;

  @Field({ description: 'The phrase of the source that supports the fact (at most 400 characters).' })
  quote!: string;
}
