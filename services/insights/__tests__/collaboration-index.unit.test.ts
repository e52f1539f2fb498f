import { random as seeded } from '../../../bench/generate';
import { CollaborationIndex, dateNumber } from '../collaboration-index';
import { countCityPairs, findPage } from '../collaboration';
import { ALL_LINK_KINDS, hopsAlong } from '../links';

/** A small programme: two cohorts of one programme, a hub for both, members, a partnership and a funding flow. */
function programme(): CollaborationIndex {
  const index = new CollaborationIndex();
  for (const id of ['a1', 'a2', 'b1', 'hub', 'funder', 'partner']) index.addNode({ id, actor: true, name: id.toUpperCase() });
  for (const id of ['cohort-a', 'cohort-b', 'programme']) index.addNode({ id, actor: false });
  let rel = 0;
  const link = (type: string, from: string, to: string, since?: string, until?: string) =>
    index.addEdge({ rel: rel++, type, from, to, since, until });
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
    const viaProgramme = index.cheapestPaths(
      index.indexOf('a1')!,
      index.indexOf('b1')!,
      { kinds: ['NETWORK', 'STRUCTURE'], maxHops: 3 },
      10,
    );
    expect(viaProgramme.map((p) => p.nodes.map((n) => index.ids[n]))).toEqual([['a1', 'cohort-a', 'programme', 'cohort-b', 'b1']]);
    expect(hopsAlong(['Organization', 'Network', 'Network', 'Network', 'Organization'])).toBe(3);
    expect(hopsAlong(['Organization', 'Organization', 'Organization'])).toBe(2);
    expect(hopsAlong(['Network', 'Organization'])).toBe(1);
    expect(index.cheapestPaths(index.indexOf('a1')!, index.indexOf('b1')!, { kinds: ['NETWORK', 'STRUCTURE'], maxHops: 2 }, 10)).toEqual(
      [],
    );
  });

  it('applies date windows: begun by `to`, not ended before `from`, a partial date spanning its whole year or month', () => {
    expect(hopsFrom(programme(), 'a1', 1, { to: '2018' })).not.toHaveProperty('a2');
    expect(hopsFrom(programme(), 'a1', 1, { from: '2021' })).not.toHaveProperty('a2');
    expect(hopsFrom(programme(), 'a1', 1, { from: '2020', to: '2020-12' })).toHaveProperty('a2', 1);
    // A membership that ends in "2020" lasts through 2020: it is still active in June 2020, and ended by 2021-01.
    expect(hopsFrom(programme(), 'a1', 1, { from: '2020-06' })).toHaveProperty('a2', 1);
    expect(hopsFrom(programme(), 'a1', 1, { from: '2021-01' })).not.toHaveProperty('a2');
    expect(dateNumber('2012') < dateNumber('2012-03')).toBe(true);
    expect(dateNumber('2012', 'end') > dateNumber('2012-12-31')).toBe(true);
    expect(dateNumber('2012-03-12T10:00:00Z')).toBe(20120312);
  });

  it('narrows a search when told nothing beyond a hop is wanted, and still reaches every actor up to it', () => {
    const random = seeded(5);
    const types = ['MEMBER_OF', 'PARTNERS_WITH', 'FUNDED', 'PART_OF', 'PARTICIPATES_IN_GRANT', 'WORKS_FOR'];
    for (let graph = 0; graph < 20; graph++) {
      const index = new CollaborationIndex();
      for (let i = 0; i < 60; i++) index.addNode({ id: `n${i}`, actor: random() < 0.6 });
      for (let rel = 0; rel < 150; rel++)
        index.addEdge({
          rel,
          type: types[Math.floor(random() * types.length)]!,
          from: `n${Math.floor(random() * 60)}`,
          to: `n${Math.floor(random() * 60)}`,
        });
      const full: string[] = [];
      index.search(0, { kinds: ALL_LINK_KINDS, maxHops: 3, actorsOnly: true }, ({ node, hops }) => {
        if (hops <= 1 && index.isActor[node]) full.push(`${node}:${hops}`);
      });
      const narrowed: string[] = [];
      let deepest = 0;
      const complete = index.search(0, { kinds: ALL_LINK_KINDS, maxHops: 3, actorsOnly: true }, ({ node, hops }) => {
        deepest = Math.max(deepest, hops);
        if (index.isActor[node]) narrowed.push(`${node}:${hops}`);
        return 1;
      });
      expect(deepest).toBeLessThanOrEqual(1);
      expect(narrowed.sort()).toEqual(full.sort());
      if (full.length > 0) expect(complete).toBe(false);
    }
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

  it('knows each relationship once by its Neo4j id, small or very large, through adding, re-adding and dropping', () => {
    const index = new CollaborationIndex();
    for (const id of ['x', 'y', 'z']) index.addNode({ id, actor: true });
    const ids = [0, 70_000, 2 ** 26 + 5, 2 ** 40];
    ids.forEach((rel, i) => index.addEdge({ rel, type: 'PARTNERS_WITH', from: i % 2 ? 'x' : 'y', to: 'z' }));
    ids.forEach((rel, i) => index.addEdge({ rel, type: 'PARTNERS_WITH', from: i % 2 ? 'x' : 'y', to: 'z' })); // known: once
    expect(index.edgeCount).toBe(4);
    expect(index.degree(index.indexOf('z')!)).toBe(4);
    index.dropEdgesOf('z');
    expect(index.edgeCount).toBe(0);
    index.addEdge({ rel: 2 ** 40, type: 'PARTNERS_WITH', from: 'x', to: 'y' }); // an id freed by a drop comes back
    expect(index.edgeCount).toBe(1);
    expect(hopsFrom(index, 'x', 1)).toEqual({ y: 1 });
  });

  it('takes an id Neo4j gave to a new relationship from the deleted one the index still knows under it', () => {
    // Neo4j hands a deleted relationship's id to the next one it creates; a delete that kept no journal entry
    // leaves the old relationship in the index until then.
    const index = programme();
    const versionBefore = index.version;
    index.addEdge({ rel: 0, type: 'MEMBER_OF', from: 'a1', to: 'cohort-a', since: '2015' }); // the same: nothing to do
    expect(index.version).toBe(versionBefore);
    index.addEdge({ rel: 0, type: 'MEMBER_OF', from: 'a1', to: 'cohort-a', since: '2017' }); // the same, new dates
    expect(hopsFrom(index, 'a1', 1, { to: '2016' })).not.toHaveProperty('hub');
    expect(index.edgeCount).toBe(9);
    index.addEdge({ rel: 0, type: 'MEMBER_OF', from: 'partner', to: 'cohort-b' }); // rel 0 was a1 in cohort-a
    expect(index.edgeCount).toBe(9);
    expect(hopsFrom(index, 'partner', 1)).toEqual({ a1: 1, b1: 1, hub: 1 });
    expect(hopsFrom(index, 'a1', 1)).toEqual({ funder: 1, partner: 1 }); // no longer in cohort-a
    expect(hopsFrom(index, 'a2', 1)).toEqual({ hub: 1 });
    index.addEdge({ rel: 7, type: 'PARTNERS_WITH', from: 'funder', to: 'a1' }); // rel 7 was FUNDED, same ends
    const types: string[] = [];
    index.forEachLink(index.indexOf('funder')!, (_, e) => types.push(index.edgeTypeName(e)));
    expect(types).toEqual(['PARTNERS_WITH']);
    expect(index.edgeCount).toBe(9);
  });

  it('numbers cities and countries so that equal numbers mean the same place, through updates, growth and deletes', () => {
    const index = new CollaborationIndex();
    const places = ['São Paulo', 'Bogotá', 'São Paulo', null, 'Sao Paulo'];
    // Past the typed array's first size, so its growth is covered too.
    for (let i = 0; i < 3000; i++)
      index.addNode({ id: `a${i}`, actor: true, city: places[i % places.length], country: i % 2 ? 'BR' : 'CO' });
    const city = (id: string) => index.cityCode[index.indexOf(id)!];
    expect(city('a0')).toBe(city('a2'));
    expect(city('a2995')).toBe(city('a2'));
    expect(city('a0')).not.toBe(city('a1'));
    expect(city('a0')).not.toBe(city('a4')); // no accent folding here: the place is what the document says
    expect(city('a3')).toBe(0);
    expect(index.countryCode[index.indexOf('a1')!]).not.toBe(index.countryCode[index.indexOf('a2')!]);
    index.addNode({ id: 'a1', actor: true, city: 'São Paulo' }); // moved
    expect(city('a1')).toBe(city('a0'));
    expect(index.countryCode[index.indexOf('a1')!]).toBe(0);
    index.forget('a0');
    expect(city('a0')).toBe(0);
  });
});

describe('cheapest paths against brute force (no database)', () => {
  /** Every simple path within the hop budget, the cheapest kept (fewest hops, then relationships), in id order. */
  function bruteForce(index: CollaborationIndex, from: number, to: number, maxHops: number): string[][] {
    let best: [number, number] | undefined;
    let found: string[][] = [];
    const walk = (node: number, nodes: number[], hops: number) => {
      if (hops > maxHops) return;
      if (node === to) {
        const cost: [number, number] = [hops, nodes.length - 1];
        const ids = nodes.map((n) => index.ids[n]!);
        if (!best || cost[0] < best[0] || (cost[0] === best[0] && cost[1] < best[1])) {
          best = cost;
          found = [ids];
        } else if (cost[0] === best[0] && cost[1] === best[1] && !found.some((f) => f.join('>') === ids.join('>'))) found.push(ids);
        return;
      }
      index.forEachLink(node, (next) => {
        if (nodes.includes(next)) return;
        const entersContext = index.isActor[node]! && !index.isActor[next]!;
        walk(next, [...nodes, next], hops + (entersContext ? 0 : 1));
      });
    };
    walk(from, [from], 0);
    const compare = (a: string[], b: string[]) => {
      for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
      return a.length - b.length;
    };
    return found.sort(compare);
  }

  it('finds exactly the cheapest paths, in id order, on random graphs with contexts linked to contexts', () => {
    const random = seeded(7);
    const types = ['MEMBER_OF', 'PARTNERS_WITH', 'FUNDED', 'PART_OF', 'PARTICIPATES_IN_GRANT', 'WORKS_FOR'];
    for (let graph = 0; graph < 30; graph++) {
      const index = new CollaborationIndex();
      const size = 14 + Math.floor(random() * 10);
      for (let i = 0; i < size; i++) index.addNode({ id: `n${String(i).padStart(2, '0')}`, actor: random() < 0.6 });
      for (let rel = 0; rel < size * 1.6; rel++) {
        const a = Math.floor(random() * size);
        const b = Math.floor(random() * size);
        index.addEdge({ rel, type: types[Math.floor(random() * types.length)]!, from: index.ids[a]!, to: index.ids[b]! });
      }
      for (let pair = 0; pair < 12; pair++) {
        const from = Math.floor(random() * size);
        const to = Math.floor(random() * size);
        if (from === to) continue;
        const maxHops = 1 + Math.floor(random() * 3);
        const limit = 1 + Math.floor(random() * 6);
        const expected = bruteForce(index, from, to, maxHops).slice(0, limit);
        const paths = index
          .cheapestPaths(from, to, { kinds: ALL_LINK_KINDS, maxHops }, limit)
          .map((p) => p.nodes.map((n) => index.ids[n]!));
        expect({ graph, from, to, maxHops, paths }).toEqual({ graph, from, to, maxHops, paths: expected });
      }
    }
  });

  it('counts the actors within reach, anywhere or in other cities or countries, as brute force finds them', () => {
    const random = seeded(9);
    const types = ['MEMBER_OF', 'PARTNERS_WITH', 'FUNDED', 'PART_OF', 'PARTICIPATES_IN_GRANT'];
    const cities = ['Quito', 'Bogotá', 'Medellín', null];
    for (let graph = 0; graph < 25; graph++) {
      const index = new CollaborationIndex();
      const size = 14 + Math.floor(random() * 8);
      for (let i = 0; i < size; i++) {
        const city = cities[Math.floor(random() * cities.length)];
        const country = city === 'Quito' ? 'EC' : city ? 'CO' : null;
        index.addNode({ id: `n${String(i).padStart(2, '0')}`, actor: random() < 0.6, city, country });
      }
      for (let rel = 0; rel < size * 1.6; rel++) {
        const [a, b] = [Math.floor(random() * size), Math.floor(random() * size)];
        index.addEdge({ rel, type: types[Math.floor(random() * types.length)]!, from: index.ids[a]!, to: index.ids[b]! });
      }
      for (let start = 0; start < size; start++) {
        const maxHops = 1 + Math.floor(random() * 3);
        const within = [...Array(size).keys()].filter(
          (n) => n !== start && index.isActor[n] && bruteForce(index, start, n, maxHops).length > 0,
        );
        const elsewhere = (codes: Int32Array) =>
          within.filter((n) => codes[start] !== 0 && codes[n] !== 0 && codes[n] !== codes[start]).length;
        const options = { kinds: ALL_LINK_KINDS, maxHops, actorsOnly: true };
        const scoped = (groups: Int32Array) => index.countActors(start, options, { groups, mine: groups[start]! });
        expect({
          graph,
          start,
          maxHops,
          any: index.countActors(start, options),
          city: scoped(index.cityCode),
          country: scoped(index.countryCode),
        }).toEqual({
          graph,
          start,
          maxHops,
          any: within.length,
          city: elsewhere(index.cityCode),
          country: elsewhere(index.countryCode),
        });
        // Some kinds only: the count walks levels, the search its cost queue; both follow the same relationships.
        const some = { kinds: ['NETWORK', 'FUNDING'] as const, maxHops, actorsOnly: true };
        let searched = 0;
        index.search(start, some, ({ node }) => {
          if (index.isActor[node]) searched++;
        });
        expect({ graph, start, maxHops, some: index.countActors(start, some) }).toEqual({ graph, start, maxHops, some: searched });
      }
    }
  });
});

describe('one hop within some cities (no database)', () => {
  it('reaches the actors, and by the relationships, that a one-hop search does, reading large contexts by city', () => {
    const random = seeded(11);
    const types = ['MEMBER_OF', 'PARTNERS_WITH', 'FUNDED', 'PARTICIPATES_IN_GRANT', 'PART_OF', 'HUB_FOR'];
    for (let graph = 0; graph < 20; graph++) {
      const index = new CollaborationIndex();
      const size = 40;
      for (let i = 0; i < size; i++) {
        const actor = random() < 0.7;
        index.addNode({
          id: `n${String(i).padStart(2, '0')}`,
          actor,
          city: actor && random() < 0.9 ? `c${Math.floor(random() * 5)}` : null,
        });
      }
      for (let rel = 0; rel < size * 3; rel++) {
        index.addEdge({
          rel,
          type: types[Math.floor(random() * types.length)]!,
          from: index.ids[Math.floor(random() * size)]!,
          to: index.ids[Math.floor(random() * size)]!,
        });
      }
      const kinds = random() < 0.5 ? ALL_LINK_KINDS : (['NETWORK', 'FUNDING'] as const);
      const cities = new Set(['c0', 'c2', 'c3']);
      for (let a = 0; a < size; a++) {
        if (!index.isActor[a]) continue;
        const bySearch: string[] = [];
        index.search(a, { kinds, maxHops: 1, actorsOnly: true }, ({ node }) => {
          if (index.isActor[node] && cities.has(index.cities[node] ?? ''))
            bySearch.push(`${index.ids[node]} ${index.pathTo(node).edges.join(',')}`);
        });
        for (const largeAt of [2, 256]) {
          const byCities: string[] = [];
          index.forEachOneHopInCities(
            a,
            index.kindFilter(kinds),
            cities,
            (b, edges) => byCities.push(`${index.ids[b]} ${edges.join(',')}`),
            largeAt,
          );
          expect({ graph, a, largeAt, reached: byCities.sort() }).toEqual({ graph, a, largeAt, reached: [...bySearch].sort() });
        }
      }
    }
  });
});

describe('one-hop actor pairs per pair of groups (no database)', () => {
  it('counts each pair of actors one hop apart once, as one-hop searches from every actor do, whatever counts as a large context', async () => {
    const random = seeded(23);
    const types = ['MEMBER_OF', 'PARTNERS_WITH', 'FUNDED', 'PARTICIPATES_IN_GRANT', 'PART_OF', 'HUB_FOR', 'WORKS_FOR'];
    for (let graph = 0; graph < 25; graph++) {
      const index = new CollaborationIndex();
      const size = 30 + Math.floor(random() * 30);
      for (let i = 0; i < size; i++) {
        const actor = random() < 0.7;
        index.addNode({
          id: `n${String(i).padStart(2, '0')}`,
          actor,
          city: actor && random() < 0.85 ? `c${Math.floor(random() * 6)}` : null,
        });
      }
      // Dense enough that actors share several contexts and sit in more than one large one.
      for (let rel = 0; rel < size * 4; rel++) {
        index.addEdge({
          rel,
          type: types[Math.floor(random() * types.length)]!,
          from: index.ids[Math.floor(random() * size)]!,
          to: index.ids[Math.floor(random() * size)]!,
        });
      }
      const kinds = random() < 0.5 ? ALL_LINK_KINDS : (['NETWORK', 'FUNDING', 'PARTNERSHIP'] as const);
      const groups = ['c0', 'c1', 'c2', 'c3', 'c4', 'c5'];
      const groupOf = new Int32Array(index.nodeCount).map((_, n) =>
        index.isActor[n] && index.cities[n] ? groups.indexOf(index.cities[n]!) : -1,
      );
      const expected = new Map<string, number>();
      for (let a = 0; a < index.nodeCount; a++) {
        if (!index.isActor[a] || groupOf[a]! < 0) continue;
        index.search(a, { kinds, maxHops: 1, actorsOnly: true }, ({ node }) => {
          if (!index.isActor[node] || groupOf[node]! <= groupOf[a]!) return;
          const key = `${groupOf[a]}-${groupOf[node]}`;
          expected.set(key, (expected.get(key) ?? 0) + 1);
        });
      }
      for (const largeAt of [1, 3, 6, 256]) {
        const counted = new Map<string, number>();
        await index.countOneHopPairsByGroup(
          index.kindFilter(kinds),
          groupOf,
          (ga, gb, times) => {
            expect(gb).toBeGreaterThan(ga);
            counted.set(`${ga}-${gb}`, (counted.get(`${ga}-${gb}`) ?? 0) + times);
          },
          { largeAt },
        );
        const sorted = (m: Map<string, number>) => [...m].filter(([, n]) => n > 0).sort();
        expect({ graph, largeAt, pairs: sorted(counted) }).toEqual({ graph, largeAt, pairs: sorted(expected) });
      }
    }
  });
});

describe('the strongest city pairs (no database)', () => {
  it('keeps the strongest pairs in order however few are kept, whether counted for some cities or all', async () => {
    const random = seeded(31);
    const index = new CollaborationIndex();
    for (let i = 0; i < 400; i++)
      index.addNode({ id: `a${i}`, actor: true, city: `c${String(Math.floor(random() * 30)).padStart(2, '0')}` });
    for (let i = 0; i < 12; i++) index.addNode({ id: `net${i}`, actor: false });
    let rel = 0;
    for (let i = 0; i < 400; i++) {
      index.addEdge({ rel: rel++, type: 'MEMBER_OF', from: `a${i}`, to: `net${Math.floor(random() * 12)}` });
      index.addEdge({ rel: rel++, type: 'PARTNERS_WITH', from: `a${i}`, to: `a${Math.floor(random() * 400)}` });
    }
    const all = (await countCityPairs(index, undefined, ALL_LINK_KINDS, 1, 1_000_000)).pairs;
    expect(all.length).toBeGreaterThan(300);
    for (let i = 1; i < all.length; i++) {
      const [x, y] = [all[i - 1]!, all[i]!];
      expect(x.actorPairs > y.actorPairs || (x.actorPairs === y.actorPairs && (x.a < y.a || (x.a === y.a && x.b < y.b)))).toBe(true);
    }
    for (const kept of [1, 7, 50, 299])
      expect((await countCityPairs(index, undefined, ALL_LINK_KINDS, 1, kept)).pairs).toEqual(all.slice(0, kept));
    const cities = new Set(all.flatMap((p) => [p.a, p.b]));
    expect((await countCityPairs(index, cities, ALL_LINK_KINDS, 1, 1_000_000)).pairs).toEqual(all);
  });
});

describe('name order (no database)', () => {
  it('orders nodes by name, then id, in code-point order, through renames and nodes added after ranking', () => {
    const random = seeded(13);
    const names = ['Árbol', 'Arbol', 'arbol', 'Zeta', 'Ñandú', 'Nandu', 'Ōtautahi', 'São Paulo', 'Sao Paulo', ''];
    const pick = () => names[Math.floor(random() * names.length)]!;
    const index = new CollaborationIndex();
    const sorted = () => [...index.ids.keys()].sort((x, y) => index.compareByName(x, y)).map((n) => index.ids[n]!);
    // What Cypher's ORDER BY name, id gives: code points, no folding of accents or case.
    const expected = () =>
      index.ids
        .map((id, n) => ({ id, name: index.names[n]! }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((x) => x.id);
    for (let i = 0; i < 60; i++) index.addNode({ id: `n${String(i).padStart(2, '0')}`, actor: true, name: pick() || null });
    index.rankNames();
    expect(sorted()).toEqual(expected());
    for (let round = 0; round < 5; round++) {
      for (let k = 0; k < 8; k++) {
        const id = random() < 0.5 ? `n${String(Math.floor(random() * 60)).padStart(2, '0')}` : `m${round}-${k}`;
        index.addNode({ id, actor: true, name: pick() || null });
      }
      expect({ round, order: sorted() }).toEqual({ round, order: expected() });
    }
  });
});

describe('one-hop levels kept in name order (no database)', () => {
  it('gives the pages and paths a search gives, at hubs, through renames, new links and deletes', () => {
    const random = seeded(17);
    const names = ['Árbol', 'Arbol', 'Zeta', 'Ñandú', 'Nandu', 'São Paulo', 'Sao Paulo', 'Quito'];
    const cities = ['Quito', 'Bogotá', 'Medellín', null];
    const types = ['MEMBER_OF', 'PARTNERS_WITH', 'FUNDED', 'PART_OF', 'PARTICIPATES_IN_GRANT', 'WORKS_FOR'];
    const index = new CollaborationIndex();
    const size = 120;
    const addNode = (i: number) => {
      const city = cities[Math.floor(random() * cities.length)];
      index.addNode({
        id: `n${String(i).padStart(3, '0')}`,
        actor: i < 3 || random() < 0.6,
        name: names[Math.floor(random() * names.length)],
        city,
        country: city === 'Quito' ? 'EC' : city ? 'CO' : null,
      });
    };
    for (let i = 0; i < size; i++) addNode(i);
    let rel = 0;
    const link = () => {
      // Three hubs (n000-n002) take a third of the links: their first hop holds most of the graph.
      const a = random() < 0.33 ? Math.floor(random() * 3) : Math.floor(random() * size);
      const b = Math.floor(random() * size);
      index.addEdge({ rel: rel++, type: types[Math.floor(random() * types.length)]!, from: index.ids[a]!, to: index.ids[b]! });
    };
    for (let i = 0; i < size * 2.5; i++) link();
    index.rankNames();
    const scopes = ['ANY', 'OTHER_CITY', 'OTHER_COUNTRY'] as const;
    const described = (page: ReturnType<typeof findPage>) =>
      page && {
        nodes: page.nodes.map((n) => index.ids[n]),
        hops: page.hops,
        paths: page.paths.map((p) => ({ nodes: p.nodes.map((n) => index.ids[n]), edges: p.edges.map((e) => index.edgeEnds(e)) })),
      };
    let fromLevel = 0;
    for (let round = 0; round < 6; round++) {
      for (let asked = 0; asked < 120; asked++) {
        const start = random() < 0.7 ? Math.floor(random() * 3) : Math.floor(random() * size);
        const q = {
          id: index.ids[start]!,
          kinds: ALL_LINK_KINDS,
          maxHops: 1 + Math.floor(random() * 3),
          scope: scopes[Math.floor(random() * scopes.length)]!,
          offset: Math.floor(random() * 20),
          limit: 1 + Math.floor(random() * 10),
          needTotal: true,
        };
        const searched = findPage(index, q, Number.POSITIVE_INFINITY);
        const kept = findPage(index, q, 0);
        expect({ round, q, page: described(kept), total: kept?.total }).toEqual({
          round,
          q,
          page: described(searched),
          total: searched?.total,
        });
        // Served from the level: one item past the page lies within the first hop.
        if (searched && searched.nodes.length === q.limit && searched.hops.every((h) => h === 1)) {
          const inScopeAtOneHop = index.oneHopInNameOrder(start).nodes.filter((n) => {
            const groups = q.scope === 'OTHER_CITY' ? index.cityCode : index.countryCode;
            return q.scope === 'ANY' || (groups[start] !== 0 && groups[n] !== 0 && groups[n] !== groups[start]);
          }).length;
          if (inScopeAtOneHop > q.offset + q.limit) fromLevel++;
        }
      }
      // Changes between rounds: renames (the level is ordered again), new links, a node's links dropped.
      for (let k = 0; k < 10; k++)
        index.addNode({ id: index.ids[Math.floor(random() * size)]!, actor: true, name: names[Math.floor(random() * names.length)] });
      for (let k = 0; k < 15; k++) link();
      index.dropEdgesOf(index.ids[3 + Math.floor(random() * (size - 3))]!);
    }
    expect(fromLevel).toBeGreaterThan(200);
  });
});
