import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGraph, writeGraphCsv } from '../../bench/generate';
import { loadConfig } from '../../services/shared/config';
import { Database } from '../../services/shared/database';
import { PROJECT_DIR, TEST_BOLT_PORT, TEST_PASSWORD } from '../../test/support/env';
import { bulkImport } from '../bulk-import';
import { LauncherError, startEmbeddedNeo4j } from '../launcher';

const usingEmbedded = !process.env.NEO4J_TEST_URI;
const work = join(PROJECT_DIR, '.data', 'bulk-import-test');

const settingsFor = (store: string) =>
  loadConfig({
    NEO4J_DATA_DIR: join(work, store),
    NEO4J_BOLT_PORT: String(TEST_BOLT_PORT + 4),
    NEO4J_PASSWORD: TEST_PASSWORD,
    NEO4J_HEAP: '512m',
  });

const countBy = <T>(items: T[], key: (item: T) => string) => {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
};

(usingEmbedded ? describe : describe.skip)('the bulk path for a first load (neo4j-admin database import)', () => {
  beforeAll(() => rmSync(work, { recursive: true, force: true }));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('loads every generated node and relationship with its properties, then refuses a second load into the same store', async () => {
    const graph = buildGraph(
      {
        countries: 3,
        cities: 12,
        networks: 8,
        organizations: 300,
        people: 120,
        events: 6,
        membershipsPerOrg: 3,
        partnerships: 400,
        participantsPerEvent: 5,
        fundings: 90,
        grants: 40,
        hubNetworkMembers: 50,
      },
      11,
      'bulk-',
    );
    const csv = join(work, 'csv');
    writeGraphCsv(graph, csv, 'bulk-test');
    const settings = settingsFor('store');
    await bulkImport(settings.embedded, csv);

    const running = await startEmbeddedNeo4j(settings.embedded, settings.neo4j);
    const db = new Database({ ...settings.neo4j, uri: running.uri });
    try {
      // The expected counts come from the generated graph itself, not from the importer.
      const labels = await db.readRows<{ label: string; n: number }>('MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n');
      expect(Object.fromEntries(labels.map((r) => [r.label, r.n]))).toEqual(countBy(graph.nodes, (n) => n.label));
      const types = await db.readRows<{ type: string; n: number }>('MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n');
      expect(Object.fromEntries(types.map((r) => [r.type, r.n]))).toEqual(countBy(graph.edges, (e) => e.type));

      const funded = graph.edges.find((e) => e.type === 'FUNDED')!;
      const [edge] = await db.readRows<Record<string, unknown>>(
        'MATCH (:Organization {id: $from})-[r:FUNDED {id: $id}]->(:Organization {id: $to}) RETURN r {.*} AS r',
        { ...funded },
      );
      expect(edge!.r).toEqual({
        id: funded.id,
        amount: funded.amount,
        currency: funded.currency,
        date: funded.date,
        sourceIds: ['src-generated'],
        quotes: ['generated'],
      });
      const organization = graph.nodes.find((n) => n.label === 'Organization')!;
      const [node] = await db.readRows<Record<string, unknown>>('MATCH (n:Organization {id: $id}) RETURN n {.*} AS n', { ...organization });
      expect(node!.n).toEqual({
        id: organization.id,
        name: organization.name,
        kind: organization.kind,
        country: organization.country,
        testTag: 'bulk-test',
        sourceIds: ['src-generated'],
        quotes: ['generated'],
      });
    } finally {
      await db.close();
      await running.stop();
    }
    const again = await bulkImport(settings.embedded, csv).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(LauncherError);
    expect((again as Error).message).toMatch(/already holds a graph: the bulk path is for a first load only/);
  }, 180_000);

  it('stops on a relationship to a node the files do not have, leaves nothing half-written, and takes the corrected folder', async () => {
    const csv = join(work, 'broken');
    mkdirSync(join(csv, 'nodes'), { recursive: true });
    mkdirSync(join(csv, 'relationships'), { recursive: true });
    writeFileSync(join(csv, 'nodes', 'Organization.csv'), 'id:ID,:LABEL,name\na,Organization,"Fundación Ñandú, A.C."\n');
    writeFileSync(join(csv, 'relationships', 'PARTNERS_WITH.csv'), ':START_ID,:END_ID,:TYPE\na,nobody,PARTNERS_WITH\n');
    const settings = settingsFor('broken-store');
    const error = await bulkImport(settings.embedded, csv).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LauncherError);
    expect((error as Error).message).toMatch(/bulk import stopped .* and loaded nothing: .*nobody/s);
    // What it half wrote is gone: the same store takes a corrected folder.
    writeFileSync(
      join(csv, 'nodes', 'Organization.csv'),
      'id:ID,:LABEL,name\na,Organization,"Fundación Ñandú, A.C."\nnobody,Organization,Nadie\n',
    );
    await bulkImport(settings.embedded, csv);
    const running = await startEmbeddedNeo4j(settings.embedded, settings.neo4j);
    const db = new Database({ ...settings.neo4j, uri: running.uri });
    try {
      const rows = await db.readRows<{ name: string; partner: string }>(
        'MATCH (a:Organization {id: "a"})-[:PARTNERS_WITH]->(b) RETURN a.name AS name, b.name AS partner',
      );
      expect(rows).toEqual([{ name: 'Fundación Ñandú, A.C.', partner: 'Nadie' }]);
    } finally {
      await db.close();
      await running.stop();
    }
  }, 120_000);

  it('says what is missing when the folder has no node files', async () => {
    const empty = join(work, 'empty');
    mkdirSync(empty, { recursive: true });
    await expect(bulkImport(settingsFor('empty-store').embedded, empty)).rejects.toThrow(/has no nodes\/\*\.csv/);
  });
});
