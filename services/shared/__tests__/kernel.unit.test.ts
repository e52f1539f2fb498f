import { Neo4jError } from 'neo4j-driver';
import { mapActivity, type Rejection } from '../../../importers/iati/map';
import { parseIatiFile, type XmlElement } from '../../../importers/iati/parse';
import { translateError } from '../database';
import { AppError } from '../errors';
import { connectionFrom, encodeCursor, toPage } from '../graphql/pagination';
import { toLuceneQuery } from '../search';

/* The kernel's pure pieces, without a database: cursors, the search query, error translation, the IATI mapper. */

describe('cursors', () => {
  it('continue after the item a cursor names, and refuse one this API did not make', () => {
    expect(toPage({ first: 10 }, 100)).toEqual({ offset: 0, limit: 10 });
    expect(toPage({ first: 10, after: encodeCursor(9) }, 100)).toEqual({ offset: 10, limit: 10 });
    const page = connectionFrom(['k', 'l'], { offset: 10, limit: 2 }, 30);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, endCursor: encodeCursor(11) });
    expect(() => toPage({ first: 5, after: 'bm90LWEtY3Vyc29y' }, 100)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' }) }),
    );
    expect(() => toPage({ first: 101 }, 100)).toThrow(/at most 100/);
  });
});

describe('search query', () => {
  it('folds accents and case, escapes Lucene syntax, and boosts the whole phrase', () => {
    const query = toLuceneQuery('Asociación  IGUALDAD')!;
    expect(query.startsWith('"asociacion igualdad"^4')).toBe(true);
    expect(query).toContain('(asociacion* AND igualdad*)^2');
    // Lucene's syntax is escaped, never interpreted: a field prefix and a group stay plain text.
    expect(toLuceneQuery('a:b (c)')).toBe('"a b c"^4 OR "a\\:b \\(c\\)"^4 OR (a AND b AND c)^2 OR (a AND b AND c)');
    expect(toLuceneQuery('  ¿? ')).toBeUndefined();
  });
});

describe('error translation', () => {
  const translate = (code: string, message = 'x') =>
    translateError(new Neo4jError(message, code, '50N42', 'error: general processing exception'), 'bolt://db', 15_000) as AppError;
  it('gives each database failure its stable code', () => {
    expect(translate('ServiceUnavailable').code).toBe('DATABASE_UNAVAILABLE');
    expect(translate('Neo.ClientError.Security.Unauthorized').code).toBe('DATABASE_UNAVAILABLE');
    expect(translate('Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration')).toMatchObject({
      code: 'QUERY_TIMEOUT',
      extensions: expect.objectContaining({ budgetMs: 15_000 }),
    });
    expect(translate('Neo.ClientError.General.TransactionOutOfMemoryError').code).toBe('QUERY_TOO_LARGE');
    expect(translate('Neo.ClientError.Schema.ConstraintValidationFailed').code).toBe('CONFLICT');
    expect(translate('Neo.ClientError.Statement.SyntaxError')).toBeInstanceOf(Neo4jError); // a fault of ours: masked later
  });
});

describe('IATI mapper', () => {
  async function activityOf(xml: string) {
    const elements: XmlElement[] = [];
    await parseIatiFile({ name: 'unit.xml', bytes: Buffer.from(xml) }, (e) => {
      elements.push(e);
    });
    const rejections: Rejection[] = [];
    return { activity: mapActivity(elements[0]!, 'unit.xml', rejections), rejections };
  }

  it('keeps a negative value, maps a 1.0x letter code, and reads a 1.0x date from the element text', async () => {
    const { activity, rejections } = await activityOf(`<iati-activities version="1.03"><iati-activity default-currency="usd">
      <iati-identifier>XU-UNIT-1</iati-identifier><title>Unidad</title>
      <activity-date type="start-actual">2004-01-01</activity-date>
      <transaction><transaction-type code="D"/><transaction-date iso-date="2005-03-01"/><value>-1250.50</value></transaction>
    </iati-activity></iati-activities>`);
    expect(rejections).toEqual([]);
    expect(activity!.dates).toMatchObject({ actualStart: '2004-01-01' });
    expect(activity!.transactions).toEqual([expect.objectContaining({ type: '3', amount: -1250.5, currency: 'USD', date: '2005-03-01' })]);
  });

  it('rejects what cannot be represented, saying file, line and why', async () => {
    const { activity, rejections } = await activityOf(`<iati-activities version="2.03"><iati-activity>
      <iati-identifier>XU-UNIT-2</iati-identifier>
      <transaction><transaction-type code="3"/><transaction-date iso-date="2005-03-01"/><value></value></transaction>
    </iati-activity></iati-activities>`);
    expect(activity!.transactions).toEqual([]);
    expect(rejections).toEqual([
      expect.objectContaining({ file: 'unit.xml', line: 3, identifier: 'XU-UNIT-2', reason: expect.stringMatching(/value/) }),
    ]);
  });
});
