import { buildGraph } from '../../../bench/generate';
import { AppError } from '../../shared/errors';
import { CollaborationIndex } from '../collaboration-index';
import { ALL_LINK_KINDS, isActorLabel } from '../links';
import {
  brokerageRoles,
  centralityScores,
  groupOf,
  louvainCommunities,
  networkEvolution,
  project,
  rankScores,
  structuralHoles,
  unpackProjection,
  packProjection,
  yearlyProjections,
  type CentralityMeasure,
} from '../network-science';
import {
  brokerageInWorker,
  centralityInWorker,
  communitiesInWorker,
  evolutionInWorker,
  holesInWorker,
  stopScienceWorker,
} from '../science-worker';

/*
 * The whole-graph measures run in a worker thread (science-worker.ts): its answers must be exactly those computed in
 * this thread from the same projection, errors must come back with their codes, and a worker that dies must fail
 * its jobs and be replaced for the next one.
 */
const graph = buildGraph(
  {
    countries: 3,
    cities: 9,
    networks: 20,
    organizations: 200,
    people: 80,
    events: 12,
    membershipsPerOrg: 2,
    partnerships: 90,
    participantsPerEvent: 4,
    fundings: 40,
    hubNetworkMembers: 0,
  },
  11,
  'sw-',
);
const index = new CollaborationIndex();
for (const n of graph.nodes)
  index.addNode({ id: n.id, actor: isActorLabel(n.label), label: n.label, name: n.name, city: n.city ?? null, country: n.country ?? null });
graph.edges.forEach((e, rel) => index.addEdge({ rel, type: e.type, from: e.from, to: e.to, since: e.since ?? null }));
const projection = project(index, { kinds: ALL_LINK_KINDS });

afterAll(() => stopScienceWorker());

describe('the network-science worker thread', () => {
  it('packs a projection losslessly', () => {
    const unpacked = unpackProjection(packProjection(projection));
    expect(unpacked.ids).toEqual(projection.ids);
    expect(unpacked.out.map((s) => [...s].sort((a, b) => a - b))).toEqual(projection.out.map((s) => [...s].sort((a, b) => a - b)));
    expect(unpacked.graph.size).toBe(projection.graph.size);
  });

  it.each(['DEGREE', 'BETWEENNESS', 'CLOSENESS', 'EIGENVECTOR', 'PAGERANK'] as CentralityMeasure[])(
    'ranks by %s exactly as this thread does',
    async (measure) => {
      expect((await centralityInWorker(projection, measure)).ranked).toEqual(
        rankScores(centralityScores(projection.graph, measure).scores),
      );
    },
  );

  it('finds the same communities, structural holes, brokerage roles and yearly figures', async () => {
    expect(await communitiesInWorker(projection)).toEqual(louvainCommunities(projection.graph));
    const holes = await holesInWorker(projection);
    expect(new Map(holes.map((h) => [h.id, h]))).toEqual(new Map(structuralHoles(projection.graph).map((h) => [h.id, h])));
    const byCity = groupOf(index, 'CITY');
    expect(await brokerageInWorker(projection, byCity)).toEqual(brokerageRoles(projection, byCity));
    const years = await yearlyProjections(index, { kinds: ALL_LINK_KINDS }, 2012, 2015);
    expect(await evolutionInWorker(years)).toEqual(await networkEvolution(index, { kinds: ALL_LINK_KINDS }, 2012, 2015));
  });

  it('gives back a refusal with its code, and survives a worker that dies mid-job', async () => {
    // A star of 15,000 ties: 225 million pairs of ties for structural holes, refused in the worker, BAD_USER_INPUT here.
    const leaves = 15_000;
    const ids = Array.from({ length: leaves + 1 }, (_, i) => `a${i}`);
    const offsets = Int32Array.from({ length: leaves + 2 }, (_, i) => (i === 0 ? 0 : leaves + i - 1));
    const targets = Int32Array.from({ length: 2 * leaves }, (_, i) => (i < leaves ? i + 1 : 0));
    const star = unpackProjection({ ids, offsets, targets });
    expect(star.graph.size).toBe(leaves);
    const refused = await holesInWorker(star).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT' });
    const dying = centralityInWorker(projection, 'BETWEENNESS');
    await stopScienceWorker();
    await expect(dying).rejects.toThrow(/worker stopped/);
    expect((await centralityInWorker(projection, 'DEGREE')).ranked.length).toBe(projection.graph.order);
  });
});
