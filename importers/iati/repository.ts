import type { ManagedTransaction } from 'neo4j-driver';
import type { Database } from '../../services/shared/database';
import { recordGraphChange } from '../../services/shared/graph-changes';
import { ExactSum } from '../../services/shared/money';
import { canonicalOrgId } from '../../services/shared/org-identifiers';
import { normalizedNames, normalizeName, searchText } from '../../services/shared/text';
import { FUNDING_TRANSACTION_TYPES, INCOMING_TRANSACTION_TYPES } from './codes';
import type { IatiActivity, OrgMention } from './map';
import { organizationLookup } from '../shared/organizations';
import { PACKING, packRows, unpackRows, type FieldSpec } from '../shared/packed-rows';

/*
 * The Cypher of the IATI importer. Children of a changed activity (transactions, results, its links) are written
 * with CREATE: they never exist at that point, because the activity is new or its children were cleared first.
 * Every write is a batch (UNWIND $rows); ids are stable (grant `iati-<identifier>`,
 * transaction `<grant>#t<n>`, organization its IATI ref or an existing entity), so importing a file twice changes
 * nothing, and a newer version of an activity replaces its children instead of adding to them.
 */

export const grantId = (identifier: string) => `iati-${identifier}`;

/** IATI mentions join existing organizations by canonical identifier (from any source), folded name, then any alias. */
const LOOKUP = { aliases: true } as const;

/**
 * Import queries keep their cached plan for the whole run (`replan=skip`). The import itself moves the statistics
 * Neo4j replans on (a fresh database grows from nothing), and replanning the batch query costs about a second each
 * time, every ten seconds or so. The plans are index seeks by id; the statistics cannot improve them.
 */
const keepPlan = (cypher: string) => `CYPHER replan=skip ${cypher}`;

const EXISTING_ACTIVITIES = 'UNWIND $ids AS id MATCH (g:Grant {id: id}) RETURN g.id AS id, g.contentHash AS hash';

const CLEAR_CHILDREN = `
UNWIND $ids AS id MATCH (g:Grant {id: id})
// A transaction's FUNDED flow runs from its provider to its receiver: found between those two, never by a scan.
OPTIONAL MATCH (g)-[:HAS_TRANSACTION]->(t:Transaction)<-[:PROVIDED]-(:Organization)-[f:FUNDED {id: t.id + '|funded'}]->(:Organization)<-[:RECEIVED]-(t)
DELETE f
WITH DISTINCT g
OPTIONAL MATCH (g)-[:HAS_TRANSACTION|HAS_RESULT]->(child) DETACH DELETE child
WITH DISTINCT g
OPTIONAL MATCH (g)<-[p:PARTICIPATES_IN_GRANT]-() DELETE p
WITH DISTINCT g
OPTIONAL MATCH (g)-[link:FUNDS_ACTIVITY|RELATED_ACTIVITY]-() WHERE link.definedBy = g.id DELETE link`;

const WRITE_SOURCE = `
MERGE (s:Source {id: $source.id}) SET s += $source`;

/**
 * Every organization a batch refers to, by its decided id. Batches run concurrently, so each one writes the
 * organizations it needs (MERGE by id) instead of trusting an earlier batch to have committed them, and an
 * organization is only touched (locked) when this file adds something to it: a ref, a name, its source.
 */
const ORGANIZATION_FIELDS = [
  ['id', 'string'],
  ['name', 'string'],
  ['kind', 'string'],
  ['ref', 'string'],
  ['identifier', 'string'],
  ['norm', 'string'],
  ['quote', 'string'],
] as const satisfies FieldSpec;

const WRITE_ORGANIZATIONS = `
${unpackRows('orgs', ORGANIZATION_FIELDS)}
WITH row AS o
MERGE (n:Organization {id: o.id})
ON CREATE SET n.name = o.name, n.kind = o.kind, n.aliases = [], n.normName = o.norm, n.iatiRef = o.ref, n.orgIdentifier = o.identifier
WITH n, o WHERE (n.iatiRef IS NULL AND o.ref IS NOT NULL) OR (n.orgIdentifier IS NULL AND o.identifier IS NOT NULL)
             OR NOT (o.name = n.name OR o.name IN n.aliases)
             OR NOT o.norm IN coalesce(n.normNames, []) OR NOT $sourceId IN coalesce(n.sourceIds, [])
SET n.iatiRef = coalesce(n.iatiRef, o.ref), n.orgIdentifier = coalesce(n.orgIdentifier, o.identifier),
    n.aliases = CASE WHEN o.name = n.name OR o.name IN n.aliases THEN n.aliases ELSE n.aliases + o.name END
SET n.normNames = CASE WHEN o.norm IN coalesce(n.normNames, []) THEN n.normNames ELSE coalesce(n.normNames, [n.normName]) + o.norm END,
    n.searchText = reduce(t = n.name, a IN n.aliases | t + ' | ' + a)
WITH n, o WHERE NOT $sourceId IN coalesce(n.sourceIds, [])
SET n.sourceIds = coalesce(n.sourceIds, []) + $sourceId, n.quotes = coalesce(n.quotes, []) + o.quote`;

/** The packed row layouts of the batch write (see importers/shared/packed-rows.ts for why rows travel as strings). */
const GRANT_FIELDS = [
  ['id', 'string'],
  ['quote', 'string'],
  ['name', 'string'],
  ['aliases', 'strings'],
  ['normName', 'string'],
  ['normNames', 'strings'],
  ['searchText', 'string'],
  ['iatiIdentifier', 'string'],
  ['contentHash', 'string'],
  ['language', 'string'],
  ['titleLangs', 'strings'],
  ['titleTexts', 'strings'],
  ['descriptionLangs', 'strings'],
  ['descriptionTexts', 'strings'],
  ['purpose', 'string'],
  ['status', 'string'],
  ['hierarchy', 'string'],
  ['lastUpdated', 'string'],
  ['defaultCurrency', 'string'],
  ['plannedStart', 'string'],
  ['actualStart', 'string'],
  ['plannedEnd', 'string'],
  ['actualEnd', 'string'],
  ['recipientCountries', 'strings'],
  ['recipientCountryPercentages', 'floats'],
  ['recipientRegions', 'strings'],
  ['sectors', 'strings'],
  ['sectorVocabularies', 'strings'],
  ['budgets', 'strings'],
  ['amount', 'float'],
  ['currency', 'string'],
] as const satisfies FieldSpec;
const GRANT_PROPERTIES = GRANT_FIELDS.map(([name]) => name).filter((name) => name !== 'quote');

const PARTICIPANT_FIELDS = [
  ['grantId', 'string'],
  ['orgId', 'string'],
  ['role', 'string'],
  ['namedAs', 'string'],
  ['quote', 'string'],
] as const satisfies FieldSpec;

const TRANSACTION_FIELDS = [
  ['id', 'string'],
  ['grantId', 'string'],
  ['quote', 'string'],
  ['type', 'string'],
  ['typeName', 'string'],
  ['date', 'string'],
  ['amount', 'float'],
  ['currency', 'string'],
  ['description', 'string'],
  ['providerId', 'string'],
  ['receiverId', 'string'],
  ['providerKey', 'string'],
  ['receiverKey', 'string'],
  ['funding', 'bool'],
] as const satisfies FieldSpec;

const RESULT_FIELDS = [
  ['id', 'string'],
  ['grantId', 'string'],
  ['quote', 'string'],
  ['title', 'string'],
  ['type', 'string'],
  ['indicators', 'strings'],
] as const satisfies FieldSpec;

/**
 * Everything a batch of changed activities writes besides organizations, in ONE query (one round trip instead of
 * six): each part is a unit subquery over its own list of packed rows.
 */
const WRITE_ACTIVITY_BATCH = `
CALL {
  ${unpackRows('grants', GRANT_FIELDS)}
  MERGE (g:Grant {id: row.id})
  SET g += row {${GRANT_PROPERTIES.map((name) => `.${name}`).join(', ')}, stub: false, sourceIds: [$sourceId], quotes: [row.quote]}
}
CALL {
  ${unpackRows('participants', PARTICIPANT_FIELDS)}
  MATCH (g:Grant {id: row.grantId})
  MATCH (o:Organization {id: row.orgId})
  CREATE (o)-[:PARTICIPATES_IN_GRANT {id: row.orgId + '|PARTICIPATES_IN_GRANT|' + row.grantId + '|' + row.role, role: row.role, namedAs: row.namedAs,
                                      sourceIds: [$sourceId], quotes: [row.quote]}]->(g)
}
CALL {
  ${unpackRows('transactions', TRANSACTION_FIELDS)}
  MATCH (g:Grant {id: row.grantId})
  CREATE (tx:Transaction {id: row.id, type: row.type, typeName: row.typeName, date: row.date, amount: row.amount, currency: row.currency,
                          description: row.description, sourceIds: [$sourceId], quotes: [row.quote]})
  CREATE (g)-[:HAS_TRANSACTION {id: row.id, sourceIds: [$sourceId], quotes: [row.quote]}]->(tx)
  WITH row, tx
  // Who gave and who received, and the FUNDED flow between them: conditional CREATEs in the same pass.
  OPTIONAL MATCH (p:Organization {id: row.providerId})
  OPTIONAL MATCH (r:Organization {id: row.receiverId})
  FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END |
    CREATE (p)-[:PROVIDED {id: row.id + '|provider', namedAs: row.providerKey, sourceIds: [$sourceId], quotes: [row.quote]}]->(tx))
  FOREACH (_ IN CASE WHEN r IS NULL THEN [] ELSE [1] END |
    CREATE (tx)-[:RECEIVED {id: row.id + '|receiver', namedAs: row.receiverKey, sourceIds: [$sourceId], quotes: [row.quote]}]->(r))
  FOREACH (_ IN CASE WHEN row.funding AND p IS NOT NULL AND r IS NOT NULL AND p <> r THEN [1] ELSE [] END |
    CREATE (p)-[:FUNDED {id: row.id + '|funded', amount: row.amount, currency: row.currency, date: row.date, grantId: row.grantId,
                         transactionType: row.typeName, sourceIds: [$sourceId], quotes: [row.quote]}]->(r))
}
CALL {
  UNWIND $activityLinks AS t
  MATCH (g:Grant {id: t.grantId})
  MERGE (other:Grant {id: t.otherActivityId})
  ON CREATE SET other.stub = true, other.iatiIdentifier = t.otherActivityIdentifier, other.name = t.otherActivityIdentifier,
                other.sourceIds = [$sourceId], other.quotes = [t.quote]
  WITH t, CASE WHEN t.incoming THEN other ELSE g END AS a, CASE WHEN t.incoming THEN g ELSE other END AS b
  CREATE (a)-[l:FUNDS_ACTIVITY {id: t.id + '|activity'}]->(b)
  SET l.amount = t.amount, l.currency = t.currency, l.date = t.date, l.definedBy = t.grantId,
      l.sourceIds = [$sourceId], l.quotes = [t.quote]
}
CALL {
  ${unpackRows('results', RESULT_FIELDS)}
  MATCH (g:Grant {id: row.grantId})
  CREATE (res:Result {id: row.id, title: row.title, type: row.type, status: 'unknown', indicators: row.indicators, sourceIds: [$sourceId], quotes: [row.quote]})
  CREATE (g)-[:HAS_RESULT {id: row.id, sourceIds: [$sourceId], quotes: [row.quote]}]->(res)
}
CALL {
  UNWIND $related AS r
  MATCH (g:Grant {id: r.grantId})
  MERGE (other:Grant {id: r.otherId})
  ON CREATE SET other.stub = true, other.iatiIdentifier = r.otherIdentifier, other.name = r.otherIdentifier, other.sourceIds = [$sourceId], other.quotes = [r.quote]
  MERGE (g)-[l:RELATED_ACTIVITY {id: r.id}]->(other) SET l.type = r.type, l.definedBy = g.id, l.sourceIds = [$sourceId], l.quotes = [r.quote]
}`;

/**
 * Asks Neo4j to plan every batch query (EXPLAIN fills its plan cache) while the file is still being checked: the
 * batch query alone takes a second or more to plan on a fresh server. Failures are ignored; the real run reports.
 */
export function planBatchQueries(db: Database): Promise<void> {
  const queries = [
    EXISTING_ACTIVITIES,
    CLEAR_CHILDREN,
    organizationLookup([], LOOKUP).cypher,
    WRITE_ORGANIZATIONS,
    WRITE_ACTIVITY_BATCH,
  ].map(keepPlan);
  return db
    .read(async (tx) => {
      for (const query of queries) await tx.run(`EXPLAIN ${query}`);
    })
    .catch(() => undefined);
}

export interface BatchCounts {
  created: number;
  updated: number;
  unchanged: number;
  organizationsCreated: number;
  transactions: number;
}

/** What the batches of one file share. */
export interface FileState {
  sourceId: string;
  path: string;
  name: string;
  /** Set once the Source node of the file is written (by the first batch that writes anything). */
  sourceWritten?: boolean;
  /** Whether the graph held merged-away organizations when the file began: if not, look-ups skip them. */
  mergedOrganizations?: boolean;
  /**
   * The organization each mention (`key|name`) was resolved to. Decided once per file, batch by batch in file order
   * (as one writer would), before the deciding batch commits: ids are deterministic and every batch MERGEs the
   * organizations it uses, so a batch running beside the deciding one (or retried) reuses the decision.
   */
  organizations: Map<string, string>;
  /**
   * Every organization this file resolved, by folded name: a later mention of that name joins it, as the lookup would
   * once the deciding batch has committed (joined by name or by the alias that batch adds).
   */
  resolvedByName: Map<string, string>;
  /** Organization rows (id, name, ref) a committed batch of this file has written: later batches need not send them. */
  organizationRowsWritten: Set<string>;
  /** Settles when every batch handed to writeBatch so far has made its organization decisions (or given up). */
  decided: Promise<void>;
}

/** What WRITE_ORGANIZATIONS takes from a row: sending the same row again changes nothing. */
const organizationRowKey = (row: { id: string; name: string; ref: string | null }) => `${row.id}\u0000${row.name}\u0000${row.ref ?? ''}`;

export const newFileState = (sourceId: string, path: string, name: string): FileState => ({
  sourceId,
  path,
  name,
  organizations: new Map(),
  resolvedByName: new Map(),
  organizationRowsWritten: new Set(),
  decided: Promise.resolve(),
});

/**
 * Writes one batch of activities of one file in ONE transaction: organizations resolved against the existing
 * graph (IATI ref, then folded name, then any alias), unchanged activities skipped, changed ones replaced.
 * Several batches of a file may be written at once (see importIati); deadlocks between them are retried.
 */
export async function writeBatch(
  db: Database,
  file: FileState,
  activities: IatiActivity[],
): Promise<BatchCounts & { deadlockRetries: number }> {
  // Batches decide their organizations in the order they were handed over (file order), whatever order their
  // transactions reach Neo4j in: the same file always yields the same organizations and ids.
  const previousDecided = file.decided;
  let decide!: () => void;
  const ownDecisions = new Promise<void>((resolve) => {
    decide = resolve;
  });
  // The next batch waits for this one AND every earlier one (a batch with nothing to write decides nothing).
  file.decided = Promise.all([previousDecided, ownDecisions]).then(() => undefined);
  let deadlockRetries = 0;
  let sentRows: string[] = [];
  try {
    const counts = await db.writeContended(writeInTransaction, () => deadlockRetries++);
    if (counts.created + counts.updated > 0) file.sourceWritten = true;
    for (const key of sentRows) file.organizationRowsWritten.add(key);
    return { ...counts, deadlockRetries };
  } finally {
    decide();
  }

  async function writeInTransaction(tx: ManagedTransaction): Promise<BatchCounts> {
    sentRows = [];
    const counts: BatchCounts = { created: 0, updated: 0, unchanged: 0, organizationsCreated: 0, transactions: 0 };
    const existing = new Map(
      (await db.run(tx, keepPlan(EXISTING_ACTIVITIES), { ids: activities.map((a) => grantId(a.identifier)) }, 'WRITE')).records.map((r) => [
        r.get('id') as string,
        r.get('hash') as string | null,
      ]),
    );
    const changed = activities.filter((a) => existing.get(grantId(a.identifier)) !== a.hash);
    counts.unchanged = activities.length - changed.length;
    counts.updated = changed.filter((a) => existing.has(grantId(a.identifier))).length;
    counts.created = changed.length - counts.updated;
    if (changed.length === 0) return counts;

    // Organizations: every mention in the batch, resolved to an existing entity or a new one (once per file, in
    // file order). Nothing is written before the wait: a batch waiting here holds no lock an earlier one needs.
    await previousDecided;
    const cacheKey = (m: OrgMention) => `${m.key}|${m.name}`;
    const used = new Map<string, OrgMention>();
    const use = (m: OrgMention | undefined) => {
      if (m && !used.has(cacheKey(m))) used.set(cacheKey(m), m);
    };
    for (const a of changed) {
      use(a.reportingOrg);
      a.participants.forEach((p) => use(p.org));
      a.transactions.forEach((t) => {
        use(t.provider);
        use(t.receiver);
      });
    }
    // Mentions by key: one lookup per key, its answer shared by every name the key came with.
    const unresolvedByKey = new Map<string, OrgMention[]>();
    for (const m of used.values()) {
      if (file.organizations.has(cacheKey(m))) continue;
      const sameKey = unresolvedByKey.get(m.key);
      if (sameKey) sameKey.push(m);
      else unresolvedByKey.set(m.key, [m]);
    }
    // The key's last mention speaks for it (its name is what the lookup matches).
    const unresolved = [...unresolvedByKey.values()].map((sameKey) => sameKey[sameKey.length - 1]!);
    if (unresolved.length > 0) {
      const lookup = organizationLookup(unresolved, { ...LOOKUP, merged: file.mergedOrganizations ?? true });
      const found = new Map(
        (await db.run(tx, keepPlan(lookup.cypher), lookup.params, 'WRITE')).records.map((r) => [
          r.get('key') as string,
          r.get('id') as string | null,
        ]),
      );
      for (const m of unresolved) {
        const norm = normalizeName(m.name);
        const canonical = canonicalOrgId(m.ref);
        const id =
          found.get(m.key) ??
          file.resolvedByName.get(norm) ??
          (canonical ? `iati-org-${canonical}` : `iati-org-name-${norm.replace(/\s+/g, '-')}`);
        if (!file.resolvedByName.has(norm)) file.resolvedByName.set(norm, id);
        for (const sameKey of unresolvedByKey.get(m.key)!) file.organizations.set(cacheKey(sameKey), id);
      }
    }
    decide();

    if (!file.sourceWritten)
      await db.run(
        tx,
        WRITE_SOURCE,
        { source: { id: file.sourceId, title: file.name, file: file.path, kind: 'iati_file', language: 'xml' } },
        'WRITE',
      );
    const updatedIds = changed.filter((a) => existing.has(grantId(a.identifier))).map((a) => grantId(a.identifier));
    if (updatedIds.length > 0) await db.run(tx, keepPlan(CLEAR_CHILDREN), { ids: updatedIds }, 'WRITE');

    const idOf = (m: OrgMention | undefined) => (m ? file.organizations.get(cacheKey(m)) : undefined);
    // Every organization the batch uses, unless a committed batch of this file already wrote the same row; in id
    // order, so batches running at once lock the organizations they share in the same order.
    const orgRows = [...used.values()]
      .map((m) => ({
        id: idOf(m)!,
        name: m.name,
        kind: m.kind,
        ref: m.ref ?? null,
        identifier: canonicalOrgId(m.ref) ?? null,
        norm: normalizeName(m.name),
        quote: `line ${m.line}`,
      }))
      .filter((row) => !file.organizationRowsWritten.has(organizationRowKey(row)))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (orgRows.length > 0) {
      const written = await db.run(
        tx,
        keepPlan(WRITE_ORGANIZATIONS),
        { ...PACKING, sourceId: file.sourceId, orgs: packRows(ORGANIZATION_FIELDS, orgRows) },
        'WRITE',
      );
      counts.organizationsCreated = written.summary.counters.updates().nodesCreated;
    }
    sentRows = orgRows.map(organizationRowKey);

    const grants = changed.map((a) => {
      const title = a.titles.find((t) => t.lang === 'en') ?? a.titles[0];
      const description = a.descriptions.find((d) => d.lang === a.lang) ?? a.descriptions[0];
      const name = title?.text ?? a.identifier;
      const aliases = a.titles.filter((t) => t !== title).map((t) => t.text);
      return {
        id: grantId(a.identifier),
        quote: `line ${a.line}: ${a.identifier}`,
        name,
        aliases,
        normName: normalizeName(name),
        normNames: normalizedNames(name, aliases),
        searchText: searchText(name, [...aliases, a.identifier]),
        iatiIdentifier: a.identifier,
        contentHash: a.hash,
        language: a.lang,
        titleLangs: a.titles.map((t) => t.lang),
        titleTexts: a.titles.map((t) => t.text),
        descriptionLangs: a.descriptions.map((d) => d.lang),
        descriptionTexts: a.descriptions.map((d) => d.text),
        purpose: description?.text ?? null,
        status: a.status ?? null,
        hierarchy: a.hierarchy ?? null,
        lastUpdated: a.lastUpdated ?? null,
        defaultCurrency: a.defaultCurrency ?? null,
        plannedStart: a.dates.plannedStart ?? null,
        actualStart: a.dates.actualStart ?? null,
        plannedEnd: a.dates.plannedEnd ?? null,
        actualEnd: a.dates.actualEnd ?? null,
        recipientCountries: a.recipientCountries,
        recipientCountryPercentages: a.recipientCountryPercentages,
        recipientRegions: a.recipientRegions,
        sectors: a.sectors,
        sectorVocabularies: a.sectorVocabularies,
        budgets: a.budgets,
        amount: totalOf(a),
        currency: currencyOf(a),
      };
    });
    const participants = changed.flatMap((a) => [
      ...new Map(
        [
          ...(a.reportingOrg
            ? [{ orgId: idOf(a.reportingOrg)!, role: 'reporting', namedAs: a.reportingOrg.key, quote: `line ${a.reportingOrg.line}` }]
            : []),
          ...a.participants.map((p) => ({ orgId: idOf(p.org)!, role: p.role, namedAs: p.org.key, quote: `line ${p.org.line}` })),
        ].map((p) => [`${p.orgId}|${p.role}`, { ...p, grantId: grantId(a.identifier) }] as const),
      ).values(),
    ]);
    const transactions = changed.flatMap((a) =>
      a.transactions.map((t) => {
        const incoming = INCOMING_TRANSACTION_TYPES.has(t.type);
        const otherIdentifier = incoming ? t.providerActivityId : t.receiverActivityId;
        return {
          id: `${grantId(a.identifier)}#t${t.index}`,
          grantId: grantId(a.identifier),
          quote: `line ${t.line}: ${a.identifier}`,
          type: t.type,
          typeName: t.typeName,
          date: t.date,
          amount: t.amount,
          currency: t.currency,
          description: t.description ?? null,
          providerId: idOf(t.provider) ?? null,
          receiverId: idOf(t.receiver) ?? null,
          incoming,
          // How the file named each side (IATI ref or folded name), kept even when it joined an existing entity.
          providerKey: t.provider?.key ?? null,
          receiverKey: t.receiver?.key ?? null,
          // Incoming funds that name the provider's activity are reported again, as outgoing, by that provider:
          // only one of the two reports becomes a FUNDED flow, so money is never counted twice.
          funding: FUNDING_TRANSACTION_TYPES.has(t.type) && !(incoming && t.providerActivityId),
          otherActivityId: otherIdentifier && otherIdentifier !== a.identifier ? grantId(otherIdentifier) : null,
          otherActivityIdentifier: otherIdentifier ?? null,
        };
      }),
    );
    counts.transactions = transactions.length;
    const results = changed.flatMap((a) =>
      a.results.map((r) => ({
        id: `${grantId(a.identifier)}#r${r.index}`,
        grantId: grantId(a.identifier),
        quote: `line ${r.line}: ${a.identifier}`,
        title: r.title,
        type: r.type ?? null,
        indicators: r.indicators,
      })),
    );
    const related = changed.flatMap((a) =>
      a.related
        .filter((r) => r.identifier !== a.identifier)
        .map((r) => ({
          id: `${grantId(a.identifier)}|${r.type}|${grantId(r.identifier)}`,
          grantId: grantId(a.identifier),
          otherId: grantId(r.identifier),
          otherIdentifier: r.identifier,
          type: r.type,
          quote: `${a.identifier} related-activity ${r.identifier}`,
        })),
    );
    await db.run(
      tx,
      keepPlan(WRITE_ACTIVITY_BATCH),
      {
        ...PACKING,
        sourceId: file.sourceId,
        grants: packRows(GRANT_FIELDS, grants),
        participants: packRows(PARTICIPANT_FIELDS, participants),
        transactions: packRows(TRANSACTION_FIELDS, transactions),
        // Links between activities are few: they travel as plain maps.
        activityLinks: transactions.filter((t) => t.otherActivityId),
        results: packRows(RESULT_FIELDS, results),
        related,
      },
      'WRITE',
    );
    await recordGraphChange(db, tx, [...grants.map((g) => g.id), ...[...used.values()].map((m) => idOf(m)!)]);
    return counts;
  }
}

/** The grant's value for the API: its commitments (type 2) in one currency, else its disbursements, else null. */
function totalOf(a: IatiActivity): number | null {
  for (const type of ['2', '3']) {
    const list = a.transactions.filter((t) => t.type === type);
    if (list.length > 0 && new Set(list.map((t) => t.currency)).size === 1)
      return list.reduce((sum, t) => sum.add(t.amount), new ExactSum()).amount;
  }
  return null;
}

function currencyOf(a: IatiActivity): string | null {
  for (const type of ['2', '3']) {
    const list = a.transactions.filter((t) => t.type === type);
    if (list.length > 0 && new Set(list.map((t) => t.currency)).size === 1) return list[0]!.currency;
  }
  return null;
}
