import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importIati } from '../../../importers/iati';
import { KEYS, PROJECT_DIR, TS_REGISTER } from '../../../test/support/env';
import { startStack, type Stack } from '../../../test/support/stack';

/*
 * Entity resolution end to end: candidates scored and explained, judgements stored with who and why, SAME merging
 * into one entity that old ids still reach, re-imports joining the merged entity, and every judgement undone.
 * All test entities have ids starting "dd-", so other test files sharing the database never see them.
 */
const curator = { 'x-api-key': KEYS.curator };
const researcher = { 'x-api-key': KEYS.researcher };
let stack: Stack;

const ORG = (id: string, name: string, country: string, extra = '') =>
  `CREATE (:Organization {id: '${id}', name: '${name}', kind: 'civil_society', country: '${country}', ${extra} sourceIds: ['src-dd'], quotes: ['test']})`;

beforeAll(async () => {
  stack = await startStack();
  await stack.db.writeRows(`
    MERGE (s:Source {id: 'src-dd'}) SET s.title = 'Duplicates test', s.kind = 'test'
    ${ORG('dd-a', 'Fundación Dedupe Prueba', 'MX', "normName: 'fundacion dedupe prueba', normNames: ['fundacion dedupe prueba'], aliases: [], searchText: 'Fundación Dedupe Prueba',")}
    ${ORG('dd-b', 'Fundación Dedupe Prueba A.C.', 'MX', "normName: 'fundacion dedupe prueba a c', normNames: ['fundacion dedupe prueba a c', 'fundacion dedupe prueba'], aliases: ['Fundacion Dedupe Prueba'], searchText: 'Fundación Dedupe Prueba A.C. | Fundacion Dedupe Prueba',")}
    ${ORG('dd-c', 'FDP', 'MX', "normName: 'fdp', normNames: ['fdp'], aliases: [], searchText: 'FDP',")}
    ${ORG('dd-d', 'Fundación Dedupe Prueba', 'AR', "normName: 'fundacion dedupe prueba', normNames: ['fundacion dedupe prueba'], aliases: [], searchText: 'Fundación Dedupe Prueba',")}
    ${ORG('dd-e', 'Cuerpo Registrado Dd', 'CL', "normName: 'cuerpo registrado dd', normNames: ['cuerpo registrado dd'], aliases: [], searchText: 'Cuerpo Registrado Dd', orgIdentifier: 'XI-IATI-DDTEST',")}
    ${ORG('dd-f', 'Otro Nombre Dd', 'CL', "normName: 'otro nombre dd', normNames: ['otro nombre dd'], aliases: [], searchText: 'Otro Nombre Dd', orgIdentifier: 'XI-IATI-DDTEST',")}
    ${ORG('dd-x', 'Financiador Dd', 'US', "normName: 'financiador dd', normNames: ['financiador dd'], aliases: [], searchText: 'Financiador Dd',")}
    ${ORG('dd-y', 'Socio Dd', 'MX', "normName: 'socio dd', normNames: ['socio dd'], aliases: [], searchText: 'Socio Dd',")}
    CREATE (:Network {id: 'dd-net', name: 'Red Dd', kind: 'partnership', sourceIds: ['src-dd'], quotes: ['Red Dd']})
    CREATE (:Person {id: 'dd-p1', name: 'María José Pérez Dd', normName: 'maria jose perez dd', normNames: ['maria jose perez dd'], aliases: [], searchText: 'María José Pérez Dd', sourceIds: ['src-dd'], quotes: ['María José Pérez Dd']})
    CREATE (:Person {id: 'dd-p2', name: 'Maria Jose Perez Dd', normName: 'maria jose perez dd', normNames: ['maria jose perez dd'], aliases: [], searchText: 'Maria Jose Perez Dd', sourceIds: ['src-dd'], quotes: ['Maria Jose Perez Dd']})
    WITH 1 AS one
    MATCH (a:Organization {id: 'dd-a'}), (b:Organization {id: 'dd-b'}), (x:Organization {id: 'dd-x'}), (y:Organization {id: 'dd-y'}), (net:Network {id: 'dd-net'})
    CREATE (x)-[:FUNDED {id: 'dd-f1', amount: 100.0, currency: 'USD', sourceIds: ['src-dd'], quotes: ['x funds a']}]->(a)
    CREATE (x)-[:FUNDED {id: 'dd-f2', amount: 50.0, currency: 'USD', sourceIds: ['src-dd'], quotes: ['x funds b']}]->(b)
    CREATE (b)-[:PARTNERS_WITH {id: 'dd-p1', sourceIds: ['src-dd'], quotes: ['b partners with y']}]->(y)
    CREATE (b)-[:MEMBER_OF {id: 'dd-m1', sourceIds: ['src-dd'], quotes: ['b is a member']}]->(net)`);
}, 120_000);

afterAll(async () => {
  await stack.db.writeRows(`MATCH (n) WHERE n.id STARTS WITH 'dd-' OR (n:Judgement AND n.a STARTS WITH 'dd-') OR n.id = 'src-dd'
    OPTIONAL MATCH (n:Grant)-[:HAS_TRANSACTION|HAS_RESULT]->(child) DETACH DELETE child, n`);
  await stack.db.writeRows(
    `MATCH (g:Grant) WHERE g.iatiIdentifier STARTS WITH 'XI-IATI-DDGRANT' OPTIONAL MATCH (g)-[:HAS_TRANSACTION|HAS_RESULT]->(c) DETACH DELETE c, g`,
  );
  await stack.close();
}, 60_000);

async function gql(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const { body } = await stack.query(query, variables, headers);
  if (body.errors) throw Object.assign(new Error(body.errors[0]!.message), { code: body.errors[0]!.extensions?.code });
  return body.data;
}
const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'no error',
    (e: { code?: string }) => e.code,
  );

const DUPLICATES = `query ($id: ID!) { organization(id: $id) { id possibleDuplicates(minScore: 0) {
  a { ... on Organization { id } } b { ... on Organization { id } } score reasons { feature detail weight } judgement { verdict } } } }`;
type Candidate = {
  a: { id: string };
  b: { id: string };
  score: number;
  reasons: Array<{ feature: string; weight: number }>;
  judgement: { verdict: string } | null;
};
async function possibleDuplicates(id: string): Promise<Map<string, Candidate>> {
  const data = await gql(DUPLICATES, { id });
  return new Map((data.organization.possibleDuplicates as Candidate[]).map((c) => [c.a.id === id ? c.b.id : c.a.id, c]));
}
const JUDGE = `mutation ($a: ID!, $b: ID!, $verdict: DuplicateVerdict!, $reason: String!, $keep: ID) {
  judgeDuplicate(a: $a, b: $b, verdict: $verdict, reason: $reason, keep: $keep) { id verdict reason by at kept undone } }`;
const UNDO = 'mutation ($id: ID!, $reason: String!) { undoJudgement(id: $id, reason: $reason) { id undone undoneBy undoReason } }';

describe('duplicate candidates', () => {
  it('proposes, scores and explains: an alias in the same country with a shared funder, an acronym, a namesake abroad, a shared identifier', async () => {
    const found = await possibleDuplicates('dd-a');
    expect(found.get('dd-b')).toMatchObject({
      score: 0.75,
      reasons: [
        { feature: 'ALIAS', weight: 0.6 },
        { feature: 'SAME_COUNTRY', weight: 0.1 },
        { feature: 'SHARED_COUNTERPARTS', weight: 0.05 },
      ],
    });
    expect(found.get('dd-c')).toMatchObject({ score: 0.55, reasons: [{ feature: 'ACRONYM' }, { feature: 'SAME_COUNTRY' }] });
    expect(found.get('dd-d')).toMatchObject({ score: 0.35, reasons: [{ feature: 'NAME' }, { feature: 'OTHER_COUNTRY' }] });
    expect(found.has('dd-x')).toBe(false);
    expect((await possibleDuplicates('dd-e')).get('dd-f')).toMatchObject({
      score: 1,
      reasons: [{ feature: 'IDENTIFIER' }, { feature: 'SAME_COUNTRY' }],
    });
  });

  it('finds people too: the same name with and without accents', async () => {
    const data = await gql(
      '{ person(id: "dd-p1") { possibleDuplicates { a { ... on Person { id } } b { ... on Person { id name } } score reasons { feature } } } }',
    );
    expect(data.person.possibleDuplicates).toEqual([
      { a: { id: 'dd-p1' }, b: { id: 'dd-p2', name: 'Maria Jose Perez Dd' }, score: 0.7, reasons: [{ feature: 'NAME' }] },
    ]);
  });

  it("lists the whole graph's candidates above a score for a researcher, and refuses without a key", async () => {
    const data = await gql(
      '{ duplicateCandidates(minScore: 0.7, first: 500) { a { ... on Organization { id } } b { ... on Organization { id } } score } }',
      {},
      researcher,
    );
    const pairs = (data.duplicateCandidates as Array<{ a: { id: string }; b: { id: string }; score: number }>).filter((c) =>
      c.a.id.startsWith('dd-'),
    );
    expect(pairs.map((c) => [c.a.id, c.b.id, c.score])).toEqual([
      ['dd-e', 'dd-f', 1],
      ['dd-a', 'dd-b', 0.75],
    ]);
    expect(data.duplicateCandidates.every((c: { score: number }) => c.score >= 0.7)).toBe(true);
    expect(await codeOf(gql('{ duplicateCandidates { score } }'))).toBe('UNAUTHENTICATED');
  });
});

describe('npm run dedupe -- candidates', () => {
  const dedupe = (...args: string[]) =>
    spawnSync(process.execPath, ['-r', TS_REGISTER, 'bin/dedupe.ts', ...args], {
      cwd: PROJECT_DIR,
      env: process.env,
      encoding: 'utf8',
      timeout: 120_000,
    });

  it('lists the candidates above --min-score with their names and reasons, as JSON or as text', () => {
    const json = dedupe('candidates', '--min-score', '0.9', '--first', '10000', '--json');
    expect(json.status).toBe(0);
    const pair = (
      JSON.parse(json.stdout) as Array<{ a: string; b: string; score: number; names: string[]; reasons: Array<{ feature: string }> }>
    ).find((c) => c.a === 'dd-e');
    expect(pair).toMatchObject({
      b: 'dd-f',
      score: 1,
      names: ['Cuerpo Registrado Dd', 'Otro Nombre Dd'],
      reasons: [{ feature: 'IDENTIFIER' }, { feature: 'SAME_COUNTRY' }],
    });
    const text = dedupe('candidates', '--min-score', '0.9', '--first', '10000');
    expect(text.stdout).toMatch(/^1\.00 {2}dd-e "Cuerpo Registrado Dd" {2}~ {2}dd-f "Otro Nombre Dd"$/m);
  }, 240_000);

  it('says how to call it when the arguments are wrong, and exits 1', () => {
    const run = dedupe('candidates', '--min-score', '2');
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      '[dedupe] usage: npm run dedupe -- candidates [--kind organization|person] [--min-score 0-1] [--first N] [--json] (--min-score is a number from 0 to 1, got "2")',
    );
  }, 120_000);
});

describe('judgements', () => {
  it('NOT_SAME keeps a pair from coming back until undone; UNSURE stays beside it; each records who, when and why', async () => {
    const refused = (
      await gql(JUDGE, { a: 'dd-a', b: 'dd-d', verdict: 'NOT_SAME', reason: 'Two foundations: Mexico and Argentina' }, curator)
    ).judgeDuplicate;
    expect(refused).toMatchObject({
      verdict: 'NOT_SAME',
      reason: 'Two foundations: Mexico and Argentina',
      by: expect.stringMatching(/^key [0-9a-f]{8}$/),
      undone: false,
    });
    expect(Date.parse(refused.at)).toBeGreaterThan(Date.now() - 60_000);
    expect((await possibleDuplicates('dd-a')).has('dd-d')).toBe(false);
    const unsure = (await gql(JUDGE, { a: 'dd-c', b: 'dd-a', verdict: 'UNSURE', reason: 'FDP could be another body' }, curator))
      .judgeDuplicate;
    expect((await possibleDuplicates('dd-a')).get('dd-c')?.judgement).toEqual({ verdict: 'UNSURE' });
    const history = (await gql('query { judgements(entity: "dd-a") { id verdict } }')).judgements;
    expect(history.map((j: { id: string }) => j.id)).toEqual([unsure.id, refused.id]);
    expect((await gql(UNDO, { id: refused.id, reason: 'Checked again' }, curator)).undoJudgement).toMatchObject({
      undone: true,
      undoReason: 'Checked again',
    });
    expect((await possibleDuplicates('dd-a')).has('dd-d')).toBe(true);
    expect(await codeOf(gql(UNDO, { id: refused.id, reason: 'twice' }, curator))).toBe('CONFLICT');
  });

  it('refuses what cannot be judged: a reader, an entity with itself, an unknown id, a keep outside the pair', async () => {
    expect(await codeOf(gql(JUDGE, { a: 'dd-a', b: 'dd-b', verdict: 'SAME', reason: 'x' }, { 'x-api-key': KEYS.reader }))).toBe(
      'FORBIDDEN',
    );
    expect(await codeOf(gql(JUDGE, { a: 'dd-a', b: 'dd-a', verdict: 'SAME', reason: 'x' }, curator))).toBe('BAD_USER_INPUT');
    expect(await codeOf(gql(JUDGE, { a: 'dd-a', b: 'dd-nobody', verdict: 'SAME', reason: 'x' }, curator))).toBe('NOT_FOUND');
    expect(await codeOf(gql(JUDGE, { a: 'dd-a', b: 'dd-b', verdict: 'SAME', reason: 'x', keep: 'dd-c' }, curator))).toBe('BAD_USER_INPUT');
    expect(await codeOf(gql(JUDGE, { a: 'dd-a', b: 'dd-b', verdict: 'SAME', reason: '  ' }, curator))).toBe('BAD_USER_INPUT');
  });

  it('SAME merges into one entity old ids still reach, re-imports join it, and undo restores both with all their relationships', async () => {
    const ORG_VIEW = `query ($id: ID!) { organization(id: $id) { id name aliases mergedFrom partners { partner { id } } networks { id } fundedBy { organization { id } } } }`;
    const merged = (
      await gql(JUDGE, { a: 'dd-a', b: 'dd-b', verdict: 'SAME', reason: 'The A.C. is its legal form', keep: 'dd-a' }, curator)
    ).judgeDuplicate;
    expect(merged).toMatchObject({ verdict: 'SAME', kept: 'dd-a' });

    const viaOldId = (await gql(ORG_VIEW, { id: 'dd-b' })).organization;
    expect(viaOldId).toMatchObject({ id: 'dd-a', name: 'Fundación Dedupe Prueba', mergedFrom: ['dd-b'] });
    expect(viaOldId.aliases).toEqual(expect.arrayContaining(['Fundación Dedupe Prueba A.C.', 'Fundacion Dedupe Prueba']));
    expect(viaOldId.partners.map((p: { partner: { id: string } }) => p.partner.id)).toEqual(['dd-y']);
    expect(viaOldId.networks.map((m: { id: string }) => m.id)).toEqual(['dd-net']);
    expect(viaOldId.fundedBy.map((f: { organization: { id: string } }) => f.organization.id)).toEqual(['dd-x', 'dd-x']);
    expect((await possibleDuplicates('dd-a')).has('dd-b')).toBe(false);
    expect(await codeOf(gql(JUDGE, { a: 'dd-b', b: 'dd-d', verdict: 'SAME', reason: 'x' }, curator))).toBe('CONFLICT');

    // A file naming the merged-away organization by its own name joins the merged one: the merge is not split.
    const file = join(mkdtempSync(join(tmpdir(), 'ogp-dd-')), 'dd-reimport.xml');
    writeFileSync(
      file,
      `<iati-activities version="2.03"><iati-activity default-currency="MXN"><iati-identifier>XI-IATI-DDGRANT-1</iati-identifier>
      <reporting-org ref="XI-IATI-DDFUNDER" type="60"><narrative>Financiador Dd Reporta</narrative></reporting-org>
      <title><narrative>Donación de prueba</narrative></title>
      <participating-org role="4"><narrative>Fundación Dedupe Prueba A.C.</narrative></participating-org></iati-activity></iati-activities>`,
    );
    expect((await importIati(stack.db, [file])).files[0]).toMatchObject({ status: 'imported' });
    const participants = await stack.db.readRows<{ id: string }>(
      `MATCH (o)-[:PARTICIPATES_IN_GRANT {role: 'implementing'}]->(:Grant {iatiIdentifier: 'XI-IATI-DDGRANT-1'}) RETURN o.id AS id`,
    );
    expect(participants).toEqual([{ id: 'dd-a' }]);

    const undone = (await gql(UNDO, { id: merged.id, reason: 'The A.C. is a separate body after all' }, curator)).undoJudgement;
    expect(undone).toMatchObject({ undone: true, undoneBy: expect.stringMatching(/^key /) });
    const restored = (await gql(ORG_VIEW, { id: 'dd-b' })).organization;
    expect(restored).toMatchObject({
      id: 'dd-b',
      name: 'Fundación Dedupe Prueba A.C.',
      mergedFrom: [],
      aliases: ['Fundacion Dedupe Prueba'],
    });
    expect(restored.partners.map((p: { partner: { id: string } }) => p.partner.id)).toEqual(['dd-y']);
    expect(restored.networks.map((m: { id: string }) => m.id)).toEqual(['dd-net']);
    expect(restored.fundedBy.map((f: { organization: { id: string } }) => f.organization.id)).toEqual(['dd-x']);
    const kept = (await gql(ORG_VIEW, { id: 'dd-a' })).organization;
    expect(kept).toMatchObject({ id: 'dd-a', aliases: [], mergedFrom: [], partners: [], networks: [] });
    expect(kept.fundedBy).toHaveLength(1);
    // The moved relationships came back as they were: no merge marks left on them.
    expect(
      await stack.db.readRows(
        "MATCH (:Organization {id: 'dd-b'})-[r]-() WHERE r.mergeTrail IS NOT NULL OR r.mergedFrom IS NOT NULL RETURN r",
      ),
    ).toEqual([]);
    expect((await possibleDuplicates('dd-a')).has('dd-b')).toBe(true);
  });
});
