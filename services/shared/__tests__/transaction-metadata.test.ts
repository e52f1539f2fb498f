import { testDatabase } from '../../../test/support/database';
import { NO_KEYS, requestContext } from '../subgraph';

/* Every transaction says who sent it: `SHOW TRANSACTIONS YIELD metaData` is how an operator finds a slow request. */
const db = testDatabase();
afterAll(() => db.close());

const SHOW = 'SHOW TRANSACTIONS YIELD metaData WHERE metaData.operation = $operation RETURN metaData';

describe('transaction metadata', () => {
  it("names the app, the subgraph and the operation of a request's transactions, while they run", async () => {
    const operation = `metadata-probe-${Date.now()}`;
    const ctx = requestContext(db, {}, NO_KEYS, '{ organization(id: "x") { id } }', { subgraph: 'funding', operation });
    const seen = await ctx.db.read(async (tx) => {
      await ctx.db.run(tx, 'RETURN 1 AS one');
      return db.readRows<{ metaData: Record<string, string> }>(SHOW, { operation }); // from another session, while this one is open
    });
    expect(seen.map((r) => r.metaData)).toEqual([{ app: 'ogp-graph', subgraph: 'funding', operation }]);
    expect(await db.readRows(SHOW, { operation })).toEqual([]); // and gone once it ends
  });

  it('tags a view of the one database: same driver, same root for everything kept once per database', () => {
    const view = db.tagged({ subgraph: 'actors' }).tagged({ operation: 'Two' });
    expect(view.root).toBe(db);
    expect(view.driver).toBe(db.driver);
    expect(db.root).toBe(db);
  });
});
