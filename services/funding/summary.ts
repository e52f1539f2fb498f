import type { Citation } from '../shared/graphql/common';
import { ExactSum } from '../shared/money';
import type { FundingGroup } from './repository';
import type { CounterpartFunding, FundingFigure, FundingSide } from './types';

/*
 * An organization's funding summary, built from the groups the repository reads. Every figure is one transaction
 * type in one currency: commitments are never added to disbursements, nor euros to dollars. When a funder and its
 * grantee both publish the same money, the funder's disbursement and the grantee's incoming funds stay two figures of
 * two types, as the IATI Datastore keeps them.
 */

/** How many lines of a file a figure's citation quotes before it says "and N more". */
export const QUOTED_LINES = 5;

export interface RankBy {
  type: string;
  currency: string;
}

class FigureTotal {
  readonly sum = new ExactSum();
  private readonly files = new Map<string, { source: Omit<Citation, 'quote'>; count: number; quotes: string[] }>();

  constructor(readonly key: { year?: number; type?: string; typeName: string; currency: string }) {}

  add(group: FundingGroup): void {
    for (const amount of group.amounts) this.sum.add(amount);
    if (!group.source) return;
    let file = this.files.get(group.source.id);
    if (!file) this.files.set(group.source.id, (file = { source: group.source, count: 0, quotes: [] }));
    file.count += group.amounts.length;
    file.quotes.push(...group.quotes);
  }

  figure(): FundingFigure {
    const sources = [...this.files.values()].map(({ source, count, quotes }) => {
      const shown = [...new Set(quotes)].sort(byLineNumber).slice(0, QUOTED_LINES);
      const more = count - shown.length;
      const noun = this.key.type ? 'transaction' : 'stated grant';
      const quote = `${count} ${noun}${count === 1 ? '' : 's'}: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
      return { ...source, quote } as Citation;
    });
    return { ...this.key, amount: this.sum.amount, exact: this.sum.exact, transactions: this.sum.count, sources };
  }
}

const figureId = (key: { year?: number; type?: string; currency: string }) => `${key.year ?? ''}|${key.type ?? ''}|${key.currency}`;

/** Totals keyed by year, type and currency, kept in first-seen order until sorted. */
class FigureTable {
  private readonly totals = new Map<string, FigureTotal>();

  add(key: FigureTotal['key'], group: FundingGroup): void {
    const id = figureId(key);
    let total = this.totals.get(id);
    if (!total) this.totals.set(id, (total = new FigureTotal(key)));
    total.add(group);
  }

  get(type: string, currency: string): FigureTotal | undefined {
    return this.totals.get(figureId({ type, currency }));
  }

  figures(): FundingFigure[] {
    return [...this.totals.values()].map((t) => t.figure()).sort(byFigure);
  }
}

/** One side (received or given) of the summary: figures by type and by year, and the top `counterparts`. */
export function fundingSide(groups: FundingGroup[], counterparts: number, rankBy?: RankBy): FundingSide {
  const byType = new FigureTable();
  const byYear = new FigureTable();
  const byCounterpart = new Map<string | null, { name: string | null; table: FigureTable; count: number }>();
  let transactions = 0;
  for (const group of groups) {
    const key = { type: group.type ?? undefined, typeName: group.typeName, currency: group.currency };
    byType.add(key, group);
    byYear.add({ ...key, year: group.year ? Number(group.year) : undefined }, group);
    let counterpart = byCounterpart.get(group.counterpart);
    if (!counterpart)
      byCounterpart.set(group.counterpart, (counterpart = { name: group.counterpartName, table: new FigureTable(), count: 0 }));
    counterpart.table.add(key, group);
    counterpart.count += group.amounts.length;
    transactions += group.amounts.length;
  }
  const ranked = [...byCounterpart]
    .map(([id, { name, table, count }]) => ({
      id,
      name,
      count,
      table,
      rank: rankBy ? (table.get(rankBy.type, rankBy.currency)?.sum.amount ?? Number.NEGATIVE_INFINITY) : count,
    }))
    .sort((a, b) => b.rank - a.rank || b.count - a.count || (a.id ?? '\uffff').localeCompare(b.id ?? '\uffff'));
  return {
    transactions,
    byType: byType.figures(),
    byYear: byYear.figures(),
    counterpartCount: ranked.length,
    counterparts: ranked.slice(0, counterparts).map((c): CounterpartFunding => ({
      organization: c.id ? { id: c.id, name: c.name ?? undefined } : undefined,
      transactions: c.count,
      figures: c.table.figures(),
    })),
  };
}

const lineNumber = (quote: string) => Number(/^line (\d+)/.exec(quote)?.[1] ?? Number.MAX_SAFE_INTEGER);
const byLineNumber = (a: string, b: string) => lineNumber(a) - lineNumber(b) || a.localeCompare(b);

/** Oldest year first (undated last), then by type code as a number (stated grants last), then currency. */
function byFigure(a: FundingFigure, b: FundingFigure): number {
  return (
    (a.year ?? Infinity) - (b.year ?? Infinity) ||
    (a.type ? Number(a.type) : Infinity) - (b.type ? Number(b.type) : Infinity) ||
    a.currency.localeCompare(b.currency)
  );
}
