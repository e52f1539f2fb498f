import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
export {
  JSONObjectResolver as JSONObject,
  CountryCodeResolver as CountryCode,
  CurrencyResolver as Currency,
  URLResolver as URL,
  NonNegativeFloatResolver as NonNegativeFloat,
  DateTimeResolver as DateTime,
} from 'graphql-scalars';

const PARTIAL_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

function parsePartialDate(value: unknown): string {
  if (typeof value !== 'string' || !PARTIAL_DATE.test(value)) {
    throw new GraphQLError(`PartialDate: expected YYYY, YYYY-MM or YYYY-MM-DD, got ${JSON.stringify(value)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return value;
}

/**
 * A calendar date that may be known only to the year or month, as sources often give it ("2015", "2012-04",
 * "2012-03-12"). Sorts correctly as a string; LocalDate (graphql-scalars) would force us to invent a day.
 */
export const PartialDate = new GraphQLScalarType({
  name: 'PartialDate',
  description: 'An ISO 8601 calendar date, possibly partial: YYYY, YYYY-MM or YYYY-MM-DD.',
  serialize: (value) => String(value),
  parseValue: parsePartialDate,
  parseLiteral: (ast) => parsePartialDate(ast.kind === Kind.STRING ? ast.value : undefined),
});
