import { CollaborationIndex, dateNumber } from '../collaboration-index';
import { ALL_LINK_KINDS, hopsAlong } from '../links';

/** A small programme: two cohorts of one programme, a hub for both, members, a partnership and a funding flow. */
function programme(): CollaborationIndex {
  const index = new CollaborationIndex();
  for (const id of ['a1', 'a2', 'b1', 'hub', 'funder', 'partner']) index.addNode({ id, actor: true, name: id.toUpperCase() });
  for (const id of ['cohort-a', 'cohort-b', 'programme']) index.addNode({ id, actor: false });
  let rel = 0;
  const link = (type: string, from: string, to: string, since?: string, until?: string) => index.addEdge({ rel: rel++, type, from, to, since, until });
  link('MEMBER_OF', 'a1', 'cohort-a', '2015');
  link('MEMBER_OF', 'a2', 'cohort-a', '2019', '2020');
  link('MEMBER_OF', 'b1', 'cohort-b');
  link('PART_OF', 'cohort-a', 'programme');
  link('PART_OF', 'cohort-b', 'programme');
  link('HUB_FOR', 'hub', 'cohort-a');
  link('HUB_FOR', 'hub', 'cohort-b');
  link('FUNDED', 'funder', 'a1');
  link('PARTNERS_WITH', 'a1', 'partner');
  return index;
}

function hopsFrom(index: CollaborationIndex, id: string, maxHops: number, window: { from?: string; to?: string } = {}) {
  const found: Record<string, number> = {};
  index.search(index.indexOf(id)!, { kinds: ALL_LINK_KINDS, maxHops, actorsOnly: true, ...window }, ({ node, hops }) => {
    if (index.isActor[node]) found[index.ids[node]!] = hops;
  });
  return found;
}

describe('collaboration index (no database)', () => {
  it('counts a shared cohort as one hop, a direct link as one, and a context-to-context step as a hop of its own', () => {
    expect(hopsFrom(programme(), 'a1', 3)).toEqual({ a2: 1, hub: 1, funder: 1, partner: 1, b1: 2 });
    // funder -> a1 -> partner: two direct links, two hops.
    expect(hopsFrom(programme(), 'funder', 2)).toMatchObject({ a1: 1, partner: 2, a2: 2, hub: 2 });
  });

  it('lists every cheapest path, ordered by ids, and counts their hops as links.ts does', () => {
    const index = programme();
    const paths = index.cheapestPaths(index.indexOf('a1')!, index.indexOf('b1')!, { kinds: ALL_LINK_KINDS, maxHops: 3 }, 10);
    expect(paths.map((p) => p.nodes.map((n) => index.ids[n]))).toEqual([['a1', 'cohort-a', 'hub', 'cohort-b', 'b1']]);
    const viaProgramme = index.cheapestPaths(index.indexOf('a1')!, index.indexOf('b1')!, { kinds: ['NETWORK', 'STRUCTURE'], maxHops: 3 }, 10);
    expect(viaProgramme.map((p) => p.nodes.map((n) => index.ids[n]))).toEqual([['a1', 'cohort-a', 'programme', 'cohort-b', 'b1']]);
    expect(hopsAlong(['Organization', 'Network', 'Network', 'Network', 'Organization'])).toBe(3);
    expect(hopsAlong(['Organization', 'Organization', 'Organization'])).toBe(2);
    expect(hopsAlong(['Network', 'Organization'])).toBe(1);
    expect(index.cheapestPaths(index.indexOf('a1')!, index.indexOf('b1')!, { kinds: ['NETWORK', 'STRUCTURE'], maxHops: 2 }, 10)).toEqual([]);
  });

  it('applies date windows as the Cypher did: begun by `to`, not ended before `from`', () => {
    expect(hopsFrom(programme(), 'a1', 1, { to: '2018' })).not.toHaveProperty('a2');
    expect(hopsFrom(programme(), 'a1', 1, { from: '2021' })).not.toHaveProperty('a2');
    expect(hopsFrom(programme(), 'a1', 1, { from: '2020', to: '2020-12' })).toHaveProperty('a2', 1);
    // As strings compare: an end year "2020" sorts before "2020-06", so it has ended by then.
    expect(hopsFrom(programme(), 'a1', 1, { from: '2020-06' })).not.toHaveProperty('a2');
    expect(dateNumber('2012') < dateNumber('2012-03')).toBe(true);
    expect(dateNumber('2012-03-12T10:00:00Z')).toBe(20120312);
  });

  it('forgets relationships when a node is re-read, and a deleted node is no collaborator', () => {
    const index = programme();
    index.dropEdgesOf('hub');
    expect(hopsFrom(index, 'a1', 2)).not.toHaveProperty('hub');
    expect(hopsFrom(index, 'a1', 3)).toHaveProperty('b1', 3); // now only through the programme
    index.forget('a2');
    expect(hopsFrom(index, 'a1', 3)).not.toHaveProperty('a2');
    expect(index.edgeCount).toBe(6);
  });
});
