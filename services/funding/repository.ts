import DataLoader from 'dataloader';
import type { Database } from '../shared/database';
import { recordGraphChange } from '../shared/graph-changes';
import { appendCitation, nodeProjection, pageOf, readPage, type NeighbourSpec } from '../shared/cypher';
import { alreadyExists, checkCitation, namingProps, slugify } from '../shared/curation';
import { badInput, notFound } from '../shared/errors';
import { totalsByCurrency } from '../shared/money';
import type { Citation, CitationInput, NodeRow } from '../shared/graphql/common';
import type { Page } from '../shared/graphql/pagination';
import type { Prefetchable } from '../shared/prefetch';
import type { GrantFilter, GrantInput } from './types';

export const Rel = {
  // Participants are organizations the actors subgraph resolves: read as references.
  participants: { from: 'Grant', types: ['PARTICIPATES_IN_GRANT'], direction: 'in', to: ['Organization'], reference: true },
  results: { from: 'Grant', types: ['HAS_RESULT'], direction: 'out', to: ['Result'] },
  supported: { from: 'Grant', types: ['SUPPORTED'], direction: 'out', to: ['Event', 'Network', 'Initiative'] },
  orgGrants: { from: 'Organization', types: ['PARTICIPATES_IN_GRANT'], direction: 'out', to: ['Grant'] },
  fundedBy: { from: 'Organization', types: ['FUNDED'], direction: 'in', to: ['Organization'] },
  funded: { from: 'Organization', types: ['FUNDED'], direction: 'out', to: ['Organization'] },
  eventSupport: { from: 'Event', types: ['SUPPORTED'], direction: 'in', to: ['Grant'] },
  transactions: { from: 'Grant', types: ['HAS_TRANSACTION'], direction: 'out', to: ['Transaction'] },
  transactionProvider: { from: 'Transaction', types: ['PROVIDED'], direction: 'in', to: ['Organization'] },
  transactionReceiver: { from: 'Transaction', types: ['RECEIVED'], direction: 'out', to: ['Organization'] },
  fundsActivities: { from: 'Grant', types: ['FUNDS_ACTIVITY'], direction: 'out', to: ['Grant'] },
  fundedByActivities: { from: 'Grant', types: ['FUNDS_ACTIVITY'], direction: 'in', to: ['Grant'] },
  processParties: { from: 'ContractingProcess', types: ['PARTY_TO'], direction: 'in', to: ['Organization'] },
  orgProcesses: { from: 'Organization', types: ['PARTY_TO'], direction: 'out', to: ['ContractingProcess'] },
} as const satisfies Record<string, NeighbourSpec>;

/** The fields whose relationships are read in the statement that reads their node (shared/prefetch.ts). */
export const PREFETCHABLE: Prefetchable = {
  Grant: {
    participants: { spec: Rel.participants },
    funders: { spec: Rel.participants },
    recipients: { spec: Rel.participants },
    results: { spec: Rel.results },
    supported: { spec: Rel.supported },
    transactions: { spec: Rel.transactions, via: ['edges', 'node'], nodeType: 'Transaction' },
    fundsActivities: { spec: Rel.fundsActivities, via: ['activity'], nodeType: 'Grant' },
    fundedByActivities: { spec: Rel.fundedByActivities, via: ['activity'], nodeType: 'Grant' },
  },
  Transaction: {
    provider: { spec: Rel.transactionProvider },
    receiver: { spec: Rel.transactionReceiver },
  },
  Organization: {
    grantsGiven: { spec: Rel.orgGrants, nodeType: 'Grant' },
    grantsReceived: { spec: Rel.orgGrants, nodeType: 'Grant' },
    fundedBy: { spec: Rel.fundedBy },
    funded: { spec: Rel.funded },
    contractingProcesses: { spec: Rel.orgProcesses },
  },
  Event: { supportedBy: { spec: Rel.eventSupport, nodeType: 'Grant' } },
};

const ORDER = { signedDate: 'n.signedDate', amount: 'n.amount', name: 'n.name' } as const;

const LIST_GRANTS = (order: string, direction: 'ASC' | 'DESC') =>
  pageOf(
    `
MATCH (n:Grant)
WHERE ($currency IS NULL OR n.currency = $currency)
  AND ($minAmount IS NULL OR n.amount >= $minAmount) AND ($maxAmount IS NULL OR n.amount <= $maxAmount)
  AND ($signedFrom IS NULL OR n.signedDate >= $signedFrom) AND ($signedTo IS NULL OR n.signedDate <= $signedTo)
  AND ($funder IS NULL OR EXISTS { MATCH (:Organization {id: $funder})-[:PARTICIPATES_IN_GRANT {role: 'funding'}]->(n) })
  AND ($recipient IS NULL OR EXISTS { MATCH (:Organization {id: $recipient})-[p:PARTICIPATES_IN_GRANT]->(n) WHERE p.role IN ['recipient', 'implementing'] })`,
    `${order} ${direction}, n.id ASC`,
  );

export function listGrants(db: Database, filter: GrantFilter, sort: keyof typeof ORDER, direction: 'ASC' | 'DESC', page: Page) {
  return readPage(
    db,
    LIST_GRANTS(ORDER[sort], direction),
    {
      currency: filter.currency ?? null,
      minAmount: filter.minAmount ?? null,
      maxAmount: filter.maxAmount ?? null,
      signedFrom: filter.signedFrom ?? null,
      signedTo: filter.signedTo ?? null,
      funder: filter.funder ?? null,
      recipient: filter.recipient ?? null,
    },
    page,
  );
}

/** Money given (role funding) or received (recipient/implementing) per organization, one query per batch; summed exactly, per currency. */
const GRANT_AMOUNTS = `
UNWIND $ids AS id
MATCH (o:Organization {id: id})-[p:PARTICIPATES_IN_GRANT]->(g:Grant)
WHERE p.role IN $roles AND g.amount IS NOT NULL
WITH DISTINCT id, g
RETURN id, collect({amount: g.amount, currency: g.currency}) AS amounts`;

export function totalsLoader(db: Database, roles: string[]) {
  return new DataLoader<string, Array<{ amount: number; currency: string }>>(async (ids) => {
    const rows = await db.readRows<{ id: string; amounts: Array<{ amount: number; currency: string }> }>(GRANT_AMOUNTS, {
      ids: [...ids],
      roles,
    });
    const byId = new Map(rows.map((r) => [r.id, totalsByCurrency(r.amounts)]));
    return ids.map((id) => byId.get(id) ?? []);
  });
}

const CHECK_ORGS = 'UNWIND $ids AS id OPTIONAL MATCH (o:Organization {id: id}) RETURN id, o IS NOT NULL AS found';
const CREATE_GRANT = `
MATCH (funder:Organization {id: $funderId}) MATCH (recipient:Organization {id: $recipientId})
CREATE (n:Grant {id: $id}) SET n += $props, n.curatedAt = datetime(), ${appendCitation('n')}
MERGE (funder)-[f:PARTICIPATES_IN_GRANT {id: $funderId + '|PARTICIPATES_IN_GRANT|' + $id}]->(n) SET f.role = 'funding', ${appendCitation('f')}
MERGE (recipient)-[r:PARTICIPATES_IN_GRANT {id: $recipientId + '|PARTICIPATES_IN_GRANT|' + $id}]->(n) SET r.role = 'recipient', ${appendCitation('r')}
MERGE (funder)-[m:FUNDED {id: $funderId + '|FUNDED|' + $recipientId + '|' + $id}]->(recipient)
SET m.amount = n.amount, m.currency = n.currency, m.date = n.signedDate, m.grantId = $id, ${appendCitation('m')}
RETURN ${nodeProjection('n')} AS node`;
const UPDATE_GRANT = `
MATCH (n:Grant {id: $id}) SET n += $props, n.curatedAt = datetime(), ${appendCitation('n')}
// The curated flow, from the grant's funder (IATI flows are per transaction and keep their own amounts).
WITH n OPTIONAL MATCH (n)<-[:PARTICIPATES_IN_GRANT {role: 'funding'}]-(:Organization)-[m:FUNDED {grantId: $id}]->(:Organization)
WHERE m.transactionType IS NULL
SET m.amount = n.amount, m.currency = n.currency, m.date = n.signedDate
RETURN DISTINCT ${nodeProjection('n')} AS node`;
const GRANT_EXISTS =
  'MATCH (g:Grant {id: $id}) RETURN g.name AS name, coalesce(g.aliases, []) AS aliases, g.amount AS amount, g.currency AS currency';

function moneyProps(input: GrantInput, existing?: { amount: unknown; currency: unknown }) {
  const amount = input.amount ?? existing?.amount;
  const currency = input.currency ?? existing?.currency;
  if ((amount === undefined || amount === null) !== (currency === undefined || currency === null)) {
    throw badInput(
      input.amount === undefined ? 'input.amount' : 'input.currency',
      'an amount needs a currency and a currency needs an amount',
    );
  }
  return {
    ...(input.amount !== undefined ? { amount: input.amount } : {}),
    ...(input.currency !== undefined ? { currency: input.currency } : {}),
  };
}

/** Creates a grant with its funder, recipient and the FUNDED flow, in one transaction. */
export function createGrant(db: Database, input: GrantInput, citation: CitationInput, id?: string): Promise<NodeRow> {
  if (!input.funderId) throw badInput('input.funderId', 'is required');
  if (!input.recipientId) throw badInput('input.recipientId', 'is required');
  return db.write(async (tx) => {
    await checkCitation(db, tx, citation);
    const naming = namingProps(input.name, []);
    const money = moneyProps(input);
    const found = await db.run(tx, CHECK_ORGS, { ids: [input.funderId, input.recipientId] }, 'WRITE');
    for (const record of found.records) if (!record.get('found')) throw notFound('Organization', record.get('id'));
    const newId = id ?? slugify(naming.name);
    if ((await db.run(tx, GRANT_EXISTS, { id: newId }, 'WRITE')).records.length > 0) throw alreadyExists('Grant', newId);
    const props = { ...naming, ...money, signedDate: input.signedDate, purpose: input.purpose };
    const result = await db.run(
      tx,
      CREATE_GRANT,
      { id: newId, funderId: input.funderId, recipientId: input.recipientId, props: stripNulls(props), citation },
      'WRITE',
    );
    await recordGraphChange(db, tx, [newId, input.funderId!, input.recipientId!]);
    return result.records[0]!.get('node') as NodeRow;
  });
}

/** Updates the given fields of a grant (and the money flow it records), in one transaction. */
export function updateGrant(db: Database, id: string, input: GrantInput, citation: CitationInput): Promise<NodeRow> {
  if (input.funderId || input.recipientId)
    throw badInput('input.funderId', 'funder and recipient cannot be changed by update; create a new grant');
  return db.write(async (tx) => {
    await checkCitation(db, tx, citation);
    const existing = (await db.run(tx, GRANT_EXISTS, { id }, 'WRITE')).records[0];
    if (!existing) throw notFound('Grant', id);
    const naming = namingProps(input.name, undefined, { name: existing.get('name'), aliases: existing.get('aliases') });
    const money = moneyProps(input, { amount: existing.get('amount'), currency: existing.get('currency') });
    const props = { ...naming, ...money, signedDate: input.signedDate, purpose: input.purpose };
    const result = await db.run(tx, UPDATE_GRANT, { id, props: stripNulls(props), citation }, 'WRITE');
    return result.records[0]!.get('node') as NodeRow;
  });
}

const stripNulls = (props: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined && v !== null));

const LIST_PROCESSES = pageOf(
  `
MATCH (n:ContractingProcess)
WHERE $organization IS NULL OR EXISTS { MATCH (:Organization {id: $organization})-[:PARTY_TO]->(n) }`,
  `n.date DESC, n.id`,
);
export const listProcesses = (db: Database, organization: string | undefined, page: Page) =>
  readPage(db, LIST_PROCESSES, { organization: organization ?? null }, page);

/** One group of an organization's money: same side, type, currency, year, counterpart and source file. */
export interface FundingGroup {
  side: 'received' | 'given';
  type: string | null;
  typeName: string;
  currency: string;
  year: string | null;
  counterpart: string | null;
  /** The counterpart's name (the subgraph shares `Organization.name`: every organization it returns carries it). */
  counterpartName: string | null;
  amounts: number[];
  quotes: string[];
  source: Omit<Citation, 'quote'> | null;
}

/*
 * The amounts are collected, not summed: Cypher sums doubles, and the summary adds them exactly in TypeScript. A
 * stated grant (a FUNDED flow a source document gives, not an IATI transaction) counts once; IATI FUNDED flows are
 * left out because their transactions already count.
 */
const FUNDING_GROUPS = `
MATCH (o:Organization {id: $id})
CALL {
  WITH o MATCH (t:Transaction)-[:RECEIVED]->(o) OPTIONAL MATCH (c:Organization)-[:PROVIDED]->(t)
  RETURN 'received' AS side, t.type AS type, t.typeName AS typeName, t.currency AS currency, t.amount AS amount, t.date AS date,
         c.id AS counterpart, c.name AS counterpartName, t.sourceIds[0] AS sourceId, t.quotes[0] AS quote
  UNION ALL
  WITH o MATCH (o)-[:PROVIDED]->(t:Transaction) OPTIONAL MATCH (t)-[:RECEIVED]->(c:Organization)
  RETURN 'given' AS side, t.type AS type, t.typeName AS typeName, t.currency AS currency, t.amount AS amount, t.date AS date,
         c.id AS counterpart, c.name AS counterpartName, t.sourceIds[0] AS sourceId, t.quotes[0] AS quote
  UNION ALL
  WITH o MATCH (c:Organization)-[f:FUNDED]->(o) WHERE f.transactionType IS NULL AND f.amount IS NOT NULL AND f.currency IS NOT NULL
  RETURN 'received' AS side, null AS type, 'Grant' AS typeName, f.currency AS currency, f.amount AS amount, f.date AS date,
         c.id AS counterpart, c.name AS counterpartName, f.sourceIds[0] AS sourceId, f.quotes[0] AS quote
  UNION ALL
  WITH o MATCH (o)-[f:FUNDED]->(c:Organization) WHERE f.transactionType IS NULL AND f.amount IS NOT NULL AND f.currency IS NOT NULL
  RETURN 'given' AS side, null AS type, 'Grant' AS typeName, f.currency AS currency, f.amount AS amount, f.date AS date,
         c.id AS counterpart, c.name AS counterpartName, f.sourceIds[0] AS sourceId, f.quotes[0] AS quote
}
WITH side, type, typeName, currency, amount, date, counterpart, counterpartName, sourceId, quote
WHERE ($from IS NULL OR date >= $from) AND ($to IS NULL OR date <= $to + '~')
WITH side, type, typeName, currency, left(date, 4) AS year, counterpart, counterpartName, sourceId, collect(amount) AS amounts, collect(quote)[..$quotes] AS quotes
OPTIONAL MATCH (s:Source {id: sourceId})
RETURN side, type, typeName, currency, year, counterpart, counterpartName, amounts, quotes, s {.id, .title, .date, .author, .publisher, .kind, .url} AS source`;

/**
 * Every group of an organization's money between `from` and `to` (partial dates, inclusive). No rows for an id that
 * is no organization: the gateway asks only about organizations the actors subgraph found (an unknown id is its
 * NOT_FOUND).
 */
export function fundingGroups(
  db: Database,
  id: string,
  from: string | undefined,
  to: string | undefined,
  quotesPerGroup: number,
): Promise<FundingGroup[]> {
  return db.readRows<FundingGroup & Record<string, unknown>>(FUNDING_GROUPS, {
    id,
    from: from ?? null,
    to: to ?? null,
    quotes: quotesPerGroup,
  });
}
