import { PACKING, packRows, unpackRows, type FieldSpec } from '../packed-rows';
import { testDatabase } from '../../../test/support/database';

const db = testDatabase();
afterAll(() => db.close());

const SPEC = [
  ['id', 'string'],
  ['name', 'string'],
  ['amount', 'float'],
  ['funding', 'bool'],
  ['tags', 'strings'],
  ['shares', 'floats'],
] as const satisfies FieldSpec;

describe('packed rows', () => {
  it('come back from Cypher as the values that were packed: nulls, empty lists, accents, numbers, booleans', async () => {
    const rows = [
      { id: 'a', name: 'Secretaría de Hacienda — “ÑANDÚ” 道路', amount: 1234.5, funding: true, tags: ['x', 'y z'], shares: [60, 40] },
      { id: 'b', name: null, amount: null, funding: false, tags: [], shares: [] },
      { id: 'c', name: '', amount: 0, funding: null, tags: ['only'], shares: [0.25] },
    ];
    const back = await db.readRows<{ row: Record<string, unknown> }>(`${unpackRows('rows', SPEC)} RETURN row`, {
      ...PACKING,
      rows: packRows(SPEC, rows),
    });
    expect(back.map((r) => r.row)).toEqual(rows);
  });

  it('never lets a value shift the fields after it', async () => {
    const rows = [{ id: 'd', name: 'before\u001fafter\u001eend\u0018', amount: 1, funding: true, tags: ['a\u001eb'], shares: [] }];
    const [back] = await db.readRows<{ row: Record<string, unknown> }>(`${unpackRows('rows', SPEC)} RETURN row`, {
      ...PACKING,
      rows: packRows(SPEC, rows),
    });
    expect(back!.row).toEqual({ id: 'd', name: 'before after end ', amount: 1, funding: true, tags: ['a b'], shares: [] });
  });
});
