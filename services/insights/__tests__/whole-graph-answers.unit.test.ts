import { CollaborationIndex } from '../collaboration-index';
import { refreshAskedAnswers, sharedOrEarlier } from '../collaboration';

/** A computation that finishes when the test says so. */
function held<T>() {
  let finish!: (value: T) => void;
  const result = new Promise<T>((resolve) => (finish = resolve));
  return { compute: () => result, finish };
}

describe('whole-graph answers while the graph changes (stale-while-revalidate)', () => {
  it('gives the earlier answer, marked not current, while the answer for the changed graph is computed', async () => {
    const index = new CollaborationIndex();
    index.addNode({ id: 'a', actor: true });
    const first = await sharedOrEarlier(index, 'count', 5_000, 'Counting', async () => 1);
    expect(first).toMatchObject({ value: 1, current: true });

    index.addNode({ id: 'b', actor: true }); // a write: a new version of the graph
    const recount = held<number>();
    const during = await sharedOrEarlier(index, 'count', 5_000, 'Counting', recount.compute);
    expect(during).toEqual({ value: 1, current: false, computedAt: first.computedAt });
    // Asked again meanwhile: the same computation goes on (not a second one), the earlier answer still given.
    const again = await sharedOrEarlier(index, 'count', 5_000, 'Counting', async () => {
      throw new Error('a second computation started');
    });
    expect(again.value).toBe(1);

    recount.finish(2);
    await new Promise((resume) => setImmediate(resume));
    const after = await sharedOrEarlier(index, 'count', 5_000, 'Counting', async () => 3);
    expect(after).toMatchObject({ value: 2, current: true });
    expect(after.computedAt.getTime()).toBeGreaterThanOrEqual(first.computedAt.getTime());
  });

  it('waits for the answer within the budget when there is no earlier one, and says QUERY_TIMEOUT past it', async () => {
    const index = new CollaborationIndex();
    const quick = held<string>();
    setTimeout(() => quick.finish('ready'), 150); // later than an earlier answer would be given, within the budget
    expect(await sharedOrEarlier(index, 'quick', 5_000, 'Counting', quick.compute)).toMatchObject({ value: 'ready', current: true });
    const slow = held<string>();
    await expect(sharedOrEarlier(index, 'slow', 50, 'Counting', slow.compute)).rejects.toMatchObject({
      extensions: { code: 'QUERY_TIMEOUT' },
    });
    slow.finish('late');
  });

  it('computes the answers clients asked for again after a write, in the background, once per change', async () => {
    const index = new CollaborationIndex();
    index.addNode({ id: 'a', actor: true });
    let computed = 0;
    const count = async () => ++computed;
    await sharedOrEarlier(index, 'count', 5_000, 'Counting', count);
    await refreshAskedAnswers(index, 0);
    expect(computed).toBe(1); // unchanged graph: nothing to do

    index.addNode({ id: 'b', actor: true });
    await refreshAskedAnswers(index, 0);
    expect(computed).toBe(2);
    // The next client gets the current answer at once, without a computation of its own.
    const after = await sharedOrEarlier(index, 'count', 5_000, 'Counting', async () => {
      throw new Error('computed again on request');
    });
    expect(after).toMatchObject({ value: 2, current: true });
  });
});
