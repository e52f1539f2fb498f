import Decimal from 'decimal.js';
import type { Money } from './graphql/common';

/*
 * Sums of money, exact. Amounts are stored as doubles, and a double prints back as the shortest decimal that reads
 * as the same double: the published text for any value of up to 15 significant digits (all real money). Adding
 * doubles loses cents on long lists (0.1 + 0.2 is 0.30000000000000004); adding those decimals loses nothing, and
 * the sum is rounded to a double only once, at the end.
 */

/** An exact running total: `add` amounts, read the decimal text or its nearest double. */
export class ExactSum {
  private total = new Decimal(0);
  count = 0;

  add(amount: number): this {
    this.total = this.total.plus(amount);
    this.count += 1;
    return this;
  }

  /** The sum as decimal text, without exponent (e.g. "-1250.5"). */
  get exact(): string {
    return this.total.toFixed();
  }

  /** The sum rounded once to the nearest double. */
  get amount(): number {
    return this.total.toNumber();
  }
}

/** Net totals per currency (never summed across currencies), sorted by currency code. */
export function totalsByCurrency(
  items: Iterable<{ amount: number; currency: string }>,
): Array<{ amount: number; currency: string; exact: string }> {
  const sums = new Map<string, ExactSum>();
  for (const { amount, currency } of items) {
    let sum = sums.get(currency);
    if (!sum) sums.set(currency, (sum = new ExactSum()));
    sum.add(amount);
  }
  return [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([currency, sum]) => ({ amount: sum.amount, currency, exact: sum.exact }));
}

/** A stored amount and currency as the API's Money, or undefined unless both are there (never an amount alone). */
export const moneyOf = (amount: unknown, currency: unknown): Money | undefined =>
  typeof amount === 'number' && typeof currency === 'string' ? { amount, currency } : undefined;
