import { random } from '../../../bench/generate';
import { firstInOrder } from '../first-in-order';

describe('firstInOrder', () => {
  const byValue = (a: number, b: number) => a - b;

  it('equals sorting everything and taking the first ones, for small and large inputs and counts', () => {
    const rnd = random(3);
    for (const size of [0, 1, 5, 40, 1000, 20_000]) {
      const items = Array.from({ length: size }, () => Math.floor(rnd() * 500)); // with ties
      for (const count of [0, 1, 3, 20, 250, size + 5]) {
        expect(firstInOrder(items, count, byValue)).toEqual([...items].sort(byValue).slice(0, count));
      }
    }
  });

  it('keeps ties in the order the comparison gives them', () => {
    const names = ['b', 'a', 'c', 'a', 'b'].flatMap((n, i) => Array.from({ length: 20 }, (_, k) => ({ n, id: `${i}-${k}` })));
    const compare = (x: { n: string; id: string }, y: { n: string; id: string }) => (x.n < y.n ? -1 : x.n > y.n ? 1 : x.id < y.id ? -1 : 1);
    expect(firstInOrder(names, 5, compare)).toEqual([...names].sort(compare).slice(0, 5));
  });
});
