import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSeedData, seedFromFiles, SEED_DIR, SeedValidationError } from '../load';
import { judgePair } from '../../services/actors/repository';
import { SEARCH_ENTITIES_CYPHER, searchParams } from '../../services/shared/search';
import { testDatabase } from '../../test/support/database';
import { SHARED_DIR } from '../../test/support/env';
import { itWithShared } from '../../test/support/shared-data';

const db = testDatabase();
afterAll(() => db.close());

const SHARED_SOURCES = join(SHARED_DIR ?? '', 'sources');

/**
 * Everything the seed wrote, as one comparable fingerprint: counts of its nodes, relationships and their
 * properties. Only ids from the seed files count, so other test files writing in parallel cannot disturb it.
 */
async function fingerprint() {
  const data = readSeedData();
  const nodeIds = Object.values(data)
    .flatMap((entries) =>
      (entries as Array<{ id?: string; results?: Array<{ id: string }> }>).flatMap((e) => [e.id, ...(e.results ?? []).map((r) => r.id)]),
    )
    .filter(Boolean);
  const quotes = JSON.stringify(data)
    .match(/"quote":"(?:[^"\\]|\\.)*"/g)!
    .map((q) => JSON.parse(q.slice(8)) as string);
  const [row] = await db.readRows<{ nodes: number; nodeProps: number; rels: number; relProps: number }>(
    `
    MATCH (n) WHERE n.id IN $nodeIds
    // Importers running in parallel may add an IATI ref or identifier to a seed organization they matched: not a seed property.
    WITH count(n) AS nodes, sum(size([k IN keys(n) WHERE NOT k IN ['iatiRef', 'ocdsRef', 'orgIdentifier']])) AS nodeProps
    MATCH (a)-[r]->(b) WHERE a.id IN $nodeIds AND b.id IN $nodeIds AND size(r.quotes) > 0 AND all(q IN r.quotes WHERE q IN $quotes)
    RETURN nodes, nodeProps, count(r) AS rels, sum(size(keys(r))) AS relProps`,
    { nodeIds, quotes },
  );
  return row!;
}

async function findByName(text: string): Promise<string[]> {
  const rows = await db.readRows<{ id: string }>(`${SEARCH_ENTITIES_CYPHER} LIMIT 5`, searchParams(text));
  return rows.map((r) => r.id);
}

describe('seed graph of the five source documents', () => {
  it('changes nothing when loaded a second time', async () => {
    const before = await fingerprint();
    expect(before.nodes).toBeGreaterThan(100);
    const report = await seedFromFiles(db);
    expect(report).toMatchObject({ nodesCreated: 0, relationshipsCreated: 0 });
    expect(await fingerprint()).toEqual(before);
  });

  it('records the Omidyar Network grant with its amount, currency and signing date', async () => {
    const rows = await db.readRows(`
      MATCH (f:Organization)-[:PARTICIPATES_IN_GRANT {role: 'funding'}]->(g:Grant {id: 'omidyar-imco-ogp-convening-2012'})<-[:PARTICIPATES_IN_GRANT {role: 'recipient'}]-(r:Organization)
      RETURN f.name AS funder, r.name AS recipient, g.amount AS amount, g.currency AS currency, g.signedDate AS signed`);
    expect(rows).toEqual([
      {
        funder: 'Omidyar Network',
        recipient: 'Mexican Institute for Competitiveness',
        amount: 25000,
        currency: 'USD',
        signed: '2012-03-12',
      },
    ]);
  });

  it('names the eight founding OGP governments', async () => {
    const rows = await db.readRows<{ country: string }>(`
      MATCH (g:Organization)-[m:MEMBER_OF {role: 'founding government'}]->(:Network {id: 'open-government-partnership'})
      MATCH (g)-[:GOVERNS]->(c:Place {kind: 'country'})
      RETURN c.name AS country ORDER BY country`);
    expect(rows.map((r) => r.country)).toEqual([
      'Brazil',
      'Indonesia',
      'Mexico',
      'Norway',
      'Philippines',
      'South Africa',
      'United Kingdom',
      'United States',
    ]);
  });

  it('finds the one person who is the Hivos hub participant for both Buenos Aires and Cali', async () => {
    const rows = await db.readRows<{ name: string; hub: string }>(`
      MATCH (p:Person)-[:MEMBER_OF {role: 'Hivos hub participant'}]->(:Network {id: 'loci-buenos-aires'})
      MATCH (p)-[:MEMBER_OF {role: 'Hivos hub participant'}]->(:Network {id: 'loci-cali'})
      MATCH (p)-[:WORKS_FOR]->(hub:Organization {kind: 'network_hub'})
      RETURN p.name AS name, hub.name AS hub`);
    expect(rows).toEqual([{ name: 'Ana Gabriel Zuniga', hub: 'Hivos Latin America' }]);
  });

  it('keeps each contradiction as a sourced data-quality flag', async () => {
    const rows = await db.readRows<{ id: string; kind: string; concerns: string[]; docSource: string; factSource: string }>(`
      MATCH (f:DataQualityFlag)-[:FLAGS]->(x)
      RETURN f.id AS id, f.kind AS kind, collect(x.id) AS concerns, f.documentSourceId AS docSource, f.factSourceId AS factSource`);
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId['loci-jalisco-section-lists-semarang']).toMatchObject({ kind: 'place_mismatch', docSource: 'src-loci-latin-america' });
    expect(byId['loci-jalisco-section-lists-semarang']!.concerns).toEqual(
      expect.arrayContaining(['jalisco', 'semarang', 'pattiro-semarang']),
    );
    expect(byId['loci-mexico-city-section-lists-legazpi']!.concerns).toEqual(
      expect.arrayContaining(['legazpi-city-government', 'layertech-software-labs']),
    );
    expect(byId['loci-introduction-names-caldas-not-cali']!.concerns).toEqual(expect.arrayContaining(['caldas', 'cali']));
    expect(byId['ecuador-portal-implausible-award-total']!.kind).toBe('implausible_figure');
  });

  it('keeps what the document says apart from what the facts are', async () => {
    // The document puts Semarang's participants in the Jalisco section; the graph bases them in Semarang, Indonesia.
    const [row] = await db.readRows(`
      MATCH (o:Organization {id: 'pattiro-semarang'})-[:MEMBER_OF]->(cohort:Network)-[:WORKS_IN]->(stated:Place)
      MATCH (o)-[:BASED_IN]->(:Place)-[:IN*]->(country:Place {kind: 'country'})
      RETURN cohort.id AS cohort, stated.name AS statedPlace, country.name AS actualCountry`);
    expect(row).toEqual({ cohort: 'loci-jalisco', statedPlace: 'Jalisco', actualCountry: 'Indonesia' });
  });

  it.each([
    ['IMCO', 'imco'],
    ['Mexican Institute for Competitiveness', 'imco'],
    ['Instituto Mexicano para la Competitividad', 'imco'],
    ['ACIJ', 'acij'],
    ['Asociacion Civil por la Igualdad', 'acij'],
    ['Luminate', 'luminate'],
    ['Governance and Citizen Engagement team', 'luminate'],
    ['Servicio Nacional de Contratacion Publica', 'sercop'],
    ['brasilia', 'brasilia'],
    ['luz adriana vasquez', 'luz-adriana-vasquez-trujillo'],
  ])('finds one entity by any of its names: %s', async (text, id) => {
    expect((await findByName(text))[0]).toBe(id);
  });

  // Names as they are written in the documents (not as the seed spells them): each must find an entity.
  it.each([
    'Municipal Government of Buenos Aires',
    'Asociacion Civil por la Igualdad y la Justicia',
    'Hivos Latin America',
    'Division of Semarang City Regional Secretariat',
    'PATTIRO Semarang',
    'Hivos Southeast Asia',
    'Municipal Government of Legazpi City',
    'Layertech Software Labs',
    'Departamento Administrativo de Contratación Pública',
    'Alcaldía de Santiago de Cali',
    'Datasketch',
    'Omidyar Network',
    'Mexican Institute for Competitiveness',
    'Open Government Partnership',
    'OGP Networking Mechanism',
    'Citivox',
    'Gobierno Abierto América Latina',
    'Hewlett Foundation',
    'INAI',
    'ORFIS',
    'Global Integrity',
    'Luminate',
    'OSF',
    'GESOC',
    'IMCO',
    'EITI',
    'OGP local program',
    'CAF',
    'Open Contracting Partnership',
    'MINTEL',
    'SERCOP',
    'SNCP',
    'SOCE',
    'Maricel Alejandra Lonati',
    'Joaquin Caprarulo',
    'Ana Gabriel Zuniga',
    'Yudi Hardianto Wibowo',
    'Widi Nugroho',
    'Octrina Nanda Sihombing',
    'Chito Ante',
    'Frei Sangil',
    'Vivien Enrique Suerte',
    'Luz Adriana Vásquez Trujillo',
    'Juan Pablo Marín Díaz',
    'Harlan Yu',
    'David G. Robinson',
    'Emilene Martinez',
    'Jorge Soto',
    'Michael Moses',
    'David Sasaki',
    'Alex Howard',
    'Jorge Florez',
    'Alan Hudson',
    'Ricardo Valencia',
    'Camilo Cetina',
    'Buenos Aires',
    'Jalisco',
    'Mexico City',
    'Caldas',
    'Cali',
    'Veracruz',
    'Austin',
    'Brasília',
    'Ecuador',
    'Norway',
    'South Africa',
    'Independent review mechanism',
    'Open Government Cities Alliance',
    'OCDex.net',
    'UN Convention against Corruption',
    'Inter-American Convention against Corruption',
    'Open Government Declaration',
    'National Open Government Action Plan 2019-2022',
    'Open Government: Co-creation from the local',
  ])('covers "%s" from the documents', async (name) => {
    expect(await findByName(name)).not.toHaveLength(0);
  });

  it('gives every seeded node and relationship a source and a quote', async () => {
    const [row] = await db.readRows<{ nodes: number; rels: number }>(`
      // The whole shared database: other test files' graphs are tagged, and a curator's Judgement carries its own
      // provenance (by, at, reason) rather than a source.
      CALL { MATCH (n) WHERE NOT n:Source AND NOT n:SchemaMigration AND NOT n:GraphChange AND NOT n:Judgement AND n.testTag IS NULL
             AND (n.sourceIds IS NULL OR size(n.sourceIds) = 0 OR size(n.sourceIds) <> size(n.quotes)) RETURN count(n) AS nodes }
      CALL { MATCH ()-[r]->() WHERE r.sourceIds IS NULL OR size(r.sourceIds) <> size(r.quotes) RETURN count(r) AS rels }
      RETURN nodes, rels`);
    expect(row).toEqual({ nodes: 0, rels: 0 });
  });

  itWithShared('quotes every source document verbatim', () => {
    const data = readSeedData();
    const texts = new Map(
      data.sources.filter((s) => s.file).map((s) => [s.id, squash(readFileSync(join(SHARED_SOURCES, s.file!), 'utf8'))]),
    );
    const missing: string[] = [];
    const check = (source: string, quote: string) => {
      const text = texts.get(source);
      if (text !== undefined && !text.includes(squash(quote))) missing.push(`${source}: ${quote}`);
    };
    for (const entries of Object.values(data) as Array<Array<Record<string, unknown>>>) {
      for (const entry of entries) {
        for (const p of (entry.sources as Array<{ source: string; quote: string }>) ?? []) check(p.source, p.quote);
        for (const r of (entry.results as Array<{ sources: Array<{ source: string; quote: string }> }>) ?? [])
          for (const p of r.sources) check(p.source, p.quote);
        for (const s of [entry.documentSays, entry.factIs] as Array<{ source: string; quote: string } | undefined>)
          if (s) check(s.source, s.quote);
      }
    }
    expect(missing).toEqual([]);
  });
});

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('seed validation', () => {
  function brokenCopy(file: string, edit: (text: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), 'ogp-seed-'));
    cpSync(SEED_DIR, dir, { recursive: true });
    writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
    return dir;
  }
  const NEW_ORG =
    '\n- { id: brand-new-org, name: Brand New Org, kind: business, sources: [{ source: src-loci-latin-america, quote: "Datasketch" }] }\n';

  async function expectRejected(dir: string, file: string, reason: RegExp) {
    const error = await seedFromFiles(db, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SeedValidationError);
    const problems = (error as SeedValidationError).problems;
    expect(problems).toEqual(expect.arrayContaining([expect.objectContaining({ file, reason: expect.stringMatching(reason) })]));
    // Nothing from the run is written, not even the valid new entity in the same data.
    expect(await db.readRows("MATCH (o:Organization {id: 'brand-new-org'}) RETURN o")).toEqual([]);
    return problems;
  }

  it('reports a malformed file with its name and line, and writes nothing', async () => {
    const dir = brokenCopy('organizations.yaml', (t) => t + NEW_ORG + '- { id: broken, name: [unclosed\n');
    await expectRejected(dir, 'organizations.yaml', /.+/);
  });

  it('reports a relationship to an unknown id with file, entry and reason', async () => {
    const dir = brokenCopy(
      'relationships.yaml',
      (t) => t + '\n- { type: MEMBER_OF, from: acij, to: no-such-network, sources: [{ source: src-loci-latin-america, quote: "ACIJ" }] }\n',
    );
    writeFileSync(join(dir, 'organizations.yaml'), readFileSync(join(dir, 'organizations.yaml'), 'utf8') + NEW_ORG);
    const problems = await expectRejected(dir, 'relationships.yaml', /to "no-such-network" does not exist/);
    expect(problems.find((p) => p.file === 'relationships.yaml')!.entry).toMatch(/acij -MEMBER_OF-> no-such-network/);
  });

  it('reports a fact whose source does not exist', async () => {
    const dir = brokenCopy(
      'organizations.yaml',
      (t) => t + NEW_ORG + '- { id: unsourced-org, name: X, kind: business, sources: [{ source: src-nowhere, quote: "xyz" }] }\n',
    );
    await expectRejected(dir, 'organizations.yaml', /source "src-nowhere" does not exist/);
  });

  it('reports a fact with no source at all', async () => {
    const dir = brokenCopy('organizations.yaml', (t) => t + NEW_ORG + '- { id: no-sources-org, name: X, kind: business, sources: [] }\n');
    await expectRejected(dir, 'organizations.yaml', /every fact needs at least one source/);
  });

  it('reports a value outside the model, naming the field', async () => {
    const dir = brokenCopy(
      'organizations.yaml',
      (t) => t + NEW_ORG + '- { id: odd-kind, name: X, kind: alien, sources: [{ source: src-loci-latin-america, quote: "ACIJ" }] }\n',
    );
    await expectRejected(dir, 'organizations.yaml', /^kind: /);
  });
});

describe('seed identifiers and merges', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ogp-seed-merge-'));
  for (const file of ['places', 'people', 'networks', 'events', 'grants', 'action-plans', 'commitments', 'initiatives', 'flags'])
    writeFileSync(join(dir, `${file}.yaml`), '[]\n');
  writeFileSync(join(dir, 'sources.yaml'), '- { id: src-seedmerge, title: "Seed merge test", kind: web_page }\n');
  writeFileSync(
    join(dir, 'organizations.yaml'),
    [
      '- { id: seedmerge-a, name: Fondo Semilla, kind: funder, orgIdentifier: " xm-dac-99001 ", sources: [{ source: src-seedmerge, quote: "Fondo Semilla" }] }',
      '- { id: seedmerge-b, name: Fondo Semilla A.C., kind: funder, sources: [{ source: src-seedmerge, quote: "Fondo Semilla A.C." }] }',
      '- { id: seedmerge-c, name: Socio Semilla, kind: civil_society, sources: [{ source: src-seedmerge, quote: "Socio Semilla" }] }',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'relationships.yaml'),
    '- { type: PARTNERS_WITH, from: seedmerge-b, to: seedmerge-c, sources: [{ source: src-seedmerge, quote: "b and c" }] }\n',
  );
  afterAll(() =>
    db.writeRows(
      "MATCH (n) WHERE n.id STARTS WITH 'seedmerge-' OR n.id = 'src-seedmerge' OR (n:Judgement AND n.a STARTS WITH 'seedmerge-') DETACH DELETE n",
    ),
  );

  it("folds a seed organization's identifier as every importer does, and re-seeding never splits a curator's merge", async () => {
    await seedFromFiles(db, dir);
    expect(await db.readRows("MATCH (o:Organization {id: 'seedmerge-a'}) RETURN o.orgIdentifier AS id")).toEqual([{ id: 'XM-DAC-99001' }]);
    await judgePair(db, {
      a: 'seedmerge-a',
      b: 'seedmerge-b',
      verdict: 'SAME',
      reason: 'legal form',
      keep: 'seedmerge-a',
      by: 'seed test',
    });
    await seedFromFiles(db, dir);
    expect(await db.readRows("MATCH (o:Organization {id: 'seedmerge-b'}) RETURN o")).toEqual([]);
    expect(await db.readRows("MATCH (:Organization {id: 'seedmerge-a'})-[r:PARTNERS_WITH]->(c) RETURN c.id AS id")).toEqual([
      { id: 'seedmerge-c' },
    ]);
  });
});
