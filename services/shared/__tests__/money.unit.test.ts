import { ExactSum, totalsByCurrency } from '../money';

describe('exact money', () => {
  it('sums 0.1 + 0.2 to 0.3, not 0.30000000000000004', () => {
    const sum = new ExactSum().add(0.1).add(0.2);
    expect(sum.exact).toBe('0.3');
    expect(sum.amount).toBe(0.3);
    expect(0.1 + 0.2).not.toBe(0.3); // the drift it guards against
  });

  it('keeps totals per currency and nets negative values', () => {
    expect(
      totalsByCurrency([
        { amount: 100.1, currency: 'USD' },
        { amount: 5, currency: 'EUR' },
        { amount: -100.2, currency: 'USD' },
      ]),
    ).toEqual([
      { amount: 5, currency: 'EUR', exact: '5' },
      { amount: -0.1, currency: 'USD', exact: '-0.1' },
    ]);
  });
});
