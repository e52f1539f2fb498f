import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGraph, deleteGraph, random, writeGraph } from '../../../bench/generate';
import { importIati } from '../../../importers/iati';
import { testDatabase } from '../../../test/support/database';
import { KEYS } from '../../../test/support/env';
import { startStack, type Stack } from '../../../test/support/stack';
import { ALL_LINK_KINDS } from '../links';
import * as collaboration from '../collaboration';
import type { IndexPath } from '../collaboration-index';
import { LiveIndex } from '../live-index';

/*
 * The collaboration index is kept current by the change journal, never rebuilt. Writes of every kind (IATI imports
 * and re-imports that drop participations, curator memberships, grants, new and renamed organizations) are
 * interleaved at random with questions, and every answer through the API is compared with the answer of an index
 * built from scratch at that moment (a new connection, so a new index loaded from Neo4j).
 */
const TAG = 'live-index-test';
const curator = { 'x-api-key': KEYS.curator };
const citation = '{ sourceId: "src-live-index", quote: "generated for the live index test" }';
const dir = mkdtempSync(join(tmpdir(), 'ogp-live-index-'));

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  await stack.db.writeRows("MERGE (s:Source {id: 'src-live-index'}) SET s.title = 'Live index test', s.testTag = $tag", { tag: TAG });
  const graph = buildGraph(
    {
      countries: 3,
      cities: 6,
      networks: 12,
      organizations: 150,
      people: 60,
      events: 6,
      membershipsPerOrg: 2,
      partnerships: 80,
      participantsPerEvent: 4,
      fundings: 30,
    },
    5,
    'li-',
  );
  await writeGraph(stack.db, graph, TAG);
}, 120_000);
afterAll(async () => {
  await stack.db
    .writeRows(`MATCH (n) WHERE n.id STARTS WITH 'li-' OR (n:Organization AND n.iatiRef STARTS WITH 'XL-') OR (n:Grant AND n.iatiIdentifier STARTS WITH 'XL-')
    OPTIONAL MATCH (n:Grant)-[:HAS_TRANSACTION|HAS_RESULT]->(child) DETACH DELETE child, n`);
  await deleteGraph(stack.db, TAG);
  await stack.close();
}, 120_000);

/** An IATI file whose activities fund the given recipients (refs XL-R{n}) from XL-F{funder}. */
function iatiFile(name: string, funder: number, recipients: number[]): string {
  const activities = recipients
    .map(
      (r, i) => `<iati-activity default-currency="EUR"><iati-identifier>XL-${name}-${i}</iati-identifier>
    <title><narrative>Live ${name} ${i}</narrative></title>
    <participating-org role="1" ref="XL-F${funder}"><narrative>Live Funder ${funder}</narrative></participating-org>
    <participating-org role="4" ref="XL-R${r}"><narrative>Live Recipient ${r}</narrative></participating-org>
    <transaction><transaction-type code="3"/><transaction-date iso-date="2020-01-0${(i % 9) + 1}"/><value>${1000 + r}</value>
      <provider-org ref="XL-F${funder}"><narrative>Live Funder ${funder}</narrative></provider-org>
      <receiver-org ref="XL-R${r}"><narrative>Live Recipient ${r}</narrative></receiver-org></transaction>
  </iati-activity>`,
    )
    .join('\n');
  const path = join(dir, `${name}.xml`);
  writeFileSync(path, `<iati-activities version="2.03">${activities}</iati-activities>`);
  return path;
}

async function apiCollaborators(id: string, maxHops: number): Promise<{ total: number; hops: Record<string, number> }> {
  const hops: Record<string, number> = {};
  let after: string | null = null;
  for (;;) {
    const { body }: { body: any } = await stack.query(
      'query($id: ID!, $h: Int, $after: String) { collaborators(id: $id, maxHops: $h, first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { actor { id } hops } } } }',
      { id, h: maxHops, after },
    );
    if (body.errors) throw new Error(body.errors[0].message);
    for (const e of body.data.collaborators.edges) hops[e.node.actor.id] = e.node.hops;
    if (!body.data.collaborators.pageInfo.hasNextPage) return { total: body.data.collaborators.totalCount, hops };
    after = body.data.collaborators.pageInfo.endCursor;
  }
}

/** The same question asked of an index loaded from scratch now. */
async function freshCollaborators(id: string, maxHops: number): Promise<{ total: number; hops: Record<string, number> }> {
  const db = testDatabase();
  try {
    const found = await collaboration.collaborators(db, {
      id,
      kinds: ALL_LINK_KINDS,
      maxHops,
      scope: 'ANY',
      offset: 0,
      limit: 100_000,
      needTotal: true,
    });
    return { total: found?.total ?? 0, hops: Object.fromEntries((found?.items ?? []).map((i) => [i.actor.id, i.hops])) };
  } finally {
    await db.close();
  }
}

it('answers after every write exactly as an index built from scratch would', async () => {
  const rnd = random(2026);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const org = () => `li-org-${Math.floor(rnd() * 150)}`;
  const iatiOrgs: string[] = [];
  let step = 0;
  const writes: Array<() => Promise<unknown>> = [
    async () => {
      const recipients = [Math.floor(rnd() * 6), Math.floor(rnd() * 6)];
      await importIati(stack.db, [iatiFile(`f${step}`, Math.floor(rnd() * 2), recipients)]);
      const rows = await stack.db.readRows<{ id: string }>(
        "MATCH (o:Organization) WHERE o.iatiRef STARTS WITH 'XL-' RETURN o.id AS id ORDER BY id",
      );
      iatiOrgs.splice(0, iatiOrgs.length, ...rows.map((r) => r.id));
    },
    // The same file again with other recipients: the old participations and flows are removed.
    async () => importIati(stack.db, [iatiFile('f-again', 0, [Math.floor(rnd() * 6)])]),
    async () =>
      stack.query(
        `mutation { upsertMembership(input: { memberId: "${org()}", networkId: "li-network-${Math.floor(rnd() * 12)}", since: "2019" }, citation: ${citation}) { id } }`,
        {},
        curator,
      ),
    async () =>
      stack.query(
        `mutation { createGrant(id: "li-grant-${step}", input: { name: "Live grant ${step}", funderId: "${org()}", recipientId: "${org()}", amount: 10, currency: "USD" }, citation: ${citation}) { id } }`,
        {},
        curator,
      ),
    async () =>
      stack.query(
        `mutation { updateOrganization(id: "${org()}", input: { name: "Renamed ${step}" }, citation: ${citation}) { id } }`,
        {},
        curator,
      ),
    async () => {
      await stack.query(
        `mutation { createOrganization(id: "li-new-${step}", input: { name: "New ${step}", kind: CIVIL_SOCIETY }, citation: ${citation}) { id } }`,
        {},
        curator,
      );
      await stack.query(
        `mutation { upsertMembership(input: { memberId: "li-new-${step}", networkId: "li-network-${Math.floor(rnd() * 12)}" }, citation: ${citation}) { id } }`,
        {},
        curator,
      );
    },
  ];
  for (step = 0; step < 14; step++) {
    const write = writes[step < writes.length ? step : Math.floor(rnd() * writes.length)]!;
    const answer = await write();
    expect((answer as { body?: { errors?: unknown } } | undefined)?.body?.errors).toBeUndefined();
    const starts = [org(), org(), ...(iatiOrgs.length ? [pick(iatiOrgs)] : []), ...(step >= 5 ? [`li-new-5`] : [])];
    for (const id of starts) {
      const maxHops = 1 + Math.floor(rnd() * 2);
      const [live, fresh] = [await apiCollaborators(id, maxHops), await freshCollaborators(id, maxHops)];
      expect({ step, id, maxHops, ...live }).toEqual({ step, id, maxHops, ...fresh });
    }
  }
}, 240_000);

it('catches up after the database was unreachable without reloading the graph, and sees what was written meanwhile', async () => {
  const db = testDatabase();
  const lines: string[] = [];
  try {
    const live = new LiveIndex(db, { transactionTimeoutMs: db.transactionTimeoutMs, log: (line) => lines.push(line) });
    const before = await live.current();
    expect(lines.filter((l) => l.includes('loaded'))).toHaveLength(1);
    // As the supervisor does when Neo4j dies: every call fails at once, so the journal cannot be read.
    db.markUnavailable('Neo4j is restarting (test)', 1);
    await expect(live.current()).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    // Written (through another connection) while this one could not look.
    await stack.query(
      `mutation { upsertMembership(input: { memberId: "li-org-7", networkId: "li-network-3", since: "2020" }, citation: ${citation}) { id } }`,
      {},
      curator,
    );
    db.markAvailable();
    const after = await live.current();
    expect(after).toBe(before);
    expect(lines.filter((l) => l.includes('loaded'))).toHaveLength(1);
    const network = after.indexOf('li-network-3')!;
    const members: string[] = [];
    after.forEachLink(network, (n) => members.push(after.ids[n]!));
    expect(members).toContain('li-org-7');
  } finally {
    await db.close();
  }
}, 120_000);

it('takes a relationship id Neo4j reused for the new relationship, not for the deleted one the index still knew', async () => {
  const db = testDatabase();
  try {
    // Tagged and cited like every test's graph: the seed test, running beside, checks every untagged fact's source.
    const cited = "sourceIds: ['src-live-index'], quotes: ['generated for the live index test']";
    await db.writeRows(
      `UNWIND [['li-reuse-old', 'Reuse old'], ['li-reuse-new', 'Reuse new']] AS row
       MERGE (o:Organization {id: row[0]}) SET o += {name: row[1], testTag: $tag, ${cited}}
       WITH count(*) AS done
       UNWIND [['li-reuse-net', 'Reuse network'], ['li-reuse-other', 'Reuse other network']] AS row
       MERGE (w:Network {id: row[0]}) SET w += {name: row[1], testTag: $tag, ${cited}}`,
      { tag: TAG },
    );
    const live = new LiveIndex(db, { transactionTimeoutMs: db.transactionTimeoutMs });
    const index = await live.current();
    // Two memberships written without journal entries. The index is told of them as it would have seen them: the
    // old organization's as it is, the new one's id as that of an earlier membership of the old organization in the
    // same network, deleted without a journal entry (Neo4j hands freed ids to new relationships, when it sees fit).
    const [{ rel, kept }] = (await db.writeRows<{ rel: number; kept: number }>(
      `MATCH (n {id: 'li-reuse-new'}), (o {id: 'li-reuse-old'}), (w {id: 'li-reuse-net'}), (v {id: 'li-reuse-other'})
       CREATE (n)-[r:MEMBER_OF {${cited}}]->(w), (o)-[k:MEMBER_OF {${cited}}]->(v) RETURN id(r) AS rel, id(k) AS kept`,
    )) as [{ rel: number; kept: number }];
    index.addEdge({ rel, type: 'MEMBER_OF', from: 'li-reuse-old', to: 'li-reuse-net' });
    index.addEdge({ rel: kept, type: 'MEMBER_OF', from: 'li-reuse-old', to: 'li-reuse-other' });
    const old = index.indexOf('li-reuse-old')!;
    const [stale, current] = ['li-reuse-net', 'li-reuse-other'].map((network) => {
      const path = { nodes: [old, index.indexOf(network)!], edges: [] as number[] };
      index.forEachLink(old, (n, e) => n === path.nodes[1] && path.edges.push(e));
      return path;
    }) as [IndexPath, IndexPath];
    // Explained now, the reused id names the new organization's membership: that is not the old one's path.
    const { toRaw } = await collaboration.explain(db, index, [stale, current]);
    expect(toRaw(stale)).toBeUndefined();
    expect(toRaw(current)?.nodes.map((n) => n.id)).toEqual(['li-reuse-old', 'li-reuse-other']);
    const answer = await stack.query(
      `mutation { updateOrganization(id: "li-reuse-new", input: { name: "Reuse new, renamed" }, citation: ${citation}) { id } }`,
      {},
      curator,
    );
    expect(answer.body.errors).toBeUndefined();
    const after = await live.current();
    expect(after).toBe(index);
    const members: string[] = [];
    after.forEachLink(after.indexOf('li-reuse-net')!, (n) => members.push(after.ids[n]!));
    expect(members).toEqual(['li-reuse-new']);
    expect(after.degree(old)).toBe(1);
  } finally {
    await db.close();
  }
}, 120_000);
