import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Database } from '../../services/shared/database';
import { withImportTracking, type ImportTracker } from '../../services/shared/import-activity';
import { recordGraphChange } from '../../services/shared/graph-changes';
import { slugify } from '../../services/shared/curation';
import { canonicalSchemeId } from '../../services/shared/org-identifiers';
import { normalizedNames, normalizeName, searchText } from '../../services/shared/text';
import { ImportFileError } from '../shared/decode';
import { organizationLookup } from '../shared/organizations';
import type { ImportProgress, ProgressListener } from '../shared/progress';
import { streamOcds, type OcdsItem } from './stream';
import type { Rejection } from '../iati/map';

type Json = Record<string, any>;

export interface OcdsReport {
  file: string;
  documents: number;
  releases: number;
  processes: number;
  parties: number;
  rejections: Rejection[];
}

/** Compiles the releases of one ocid: later releases (by date) override earlier fields; lists merge by id. */
function compile(releases: Json[]): Json {
  const sorted = [...releases].sort((a, b) => String(a.date ?? '').localeCompare(String(b.date ?? '')));
  const out: Json = {};
  for (const release of sorted) {
    for (const [key, value] of Object.entries(release)) {
      if (Array.isArray(value) && value.every((v) => v && typeof v === 'object' && 'id' in v)) {
        const byId = new Map<string, Json>((out[key] ?? []).map((v: Json) => [String(v.id), v]));
        for (const v of value) byId.set(String(v.id), { ...(byId.get(String(v.id)) ?? {}), ...v });
        out[key] = [...byId.values()];
      } else out[key] = value;
    }
  }
  return out;
}

/** `ref` is the canonical identifier (scheme + id) when the party has one; `localRef` what the file wrote. */
interface Party {
  key: string;
  name: string;
  ref?: string;
  localRef?: string;
  scheme?: string;
  identifier?: string;
  roles: Set<string>;
}

/** Parties with their roles: OCDS 1.1 `parties`, plus OCDS 1.0's inline buyer, procuring entity, tenderers and suppliers. */
function partiesOf(release: Json): Map<string, Party> {
  const parties = new Map<string, Party>();
  // OCDS 1.1 references a party by its `id` (an award's supplier is {id, name}): resolve those to the party.
  const keyOfPartyId = new Map<string, string>();
  // The same body named twice in one release (a buyer that is also the payer) is one party.
  const keyOfName = new Map<string, string>();
  const add = (given: Json | undefined, role: string, fromParties = false) => {
    if (!given || typeof given !== 'object') return;
    // OCDS 1.0 names a payer or payee by an Identifier ({scheme, id, legalName}) instead of an organization.
    const entity = !given.name && given.legalName ? { name: given.legalName, identifier: given } : given;
    const identifier = entity.identifier ?? {};
    const ref = identifier.id ? canonicalSchemeId(identifier.scheme, String(identifier.id)) : undefined;
    const localRef = identifier.id ? `${identifier.scheme ?? 'id'}-${identifier.id}` : undefined;
    const name = String(entity.name ?? identifier.legalName ?? entity.id ?? '').trim();
    if (!name && !localRef) return;
    const known =
      (!fromParties && entity.id !== undefined ? keyOfPartyId.get(String(entity.id)) : undefined) ??
      (name ? keyOfName.get(normalizeName(name)) : undefined);
    const key = known ?? (localRef ? `ref:${(ref ?? localRef).toLowerCase()}` : `name:${normalizeName(name)}`);
    if (name && !keyOfName.has(normalizeName(name))) keyOfName.set(normalizeName(name), key);
    if (fromParties && entity.id !== undefined) keyOfPartyId.set(String(entity.id), key);
    const party = parties.get(key) ?? {
      key,
      name: name || localRef!,
      ref,
      localRef,
      scheme: identifier.id ? String(identifier.scheme ?? '') || undefined : undefined,
      identifier: identifier.id ? String(identifier.id) : undefined,
      roles: new Set<string>(),
    };
    party.roles.add(role);
    parties.set(key, party);
  };
  for (const p of release.parties ?? []) for (const role of p.roles ?? ['party']) add(p, role, true);
  add(release.buyer, 'buyer');
  add(release.tender?.procuringEntity, 'procuringEntity');
  for (const t of release.tender?.tenderers ?? []) add(t, 'tenderer');
  for (const a of release.awards ?? []) for (const s of a.suppliers ?? []) add(s, 'supplier');
  // Who paid whom under each contract: OCDS 1.1 payer/payee, OCDS 1.0 providerOrganization/receiverOrganization.
  for (const c of release.contracts ?? []) {
    for (const t of c.implementation?.transactions ?? []) {
      add(t.payer ?? t.providerOrganization, 'payer');
      add(t.payee ?? t.receiverOrganization, 'payee');
    }
  }
  return parties;
}

/** OCDS parties join existing organizations by canonical identifier (from any source), then folded name. */
const LOOKUP = { aliases: false } as const;

const WRITE = `
MERGE (s:Source {id: $source.id}) SET s += $source
WITH count(*) AS _
UNWIND $orgs AS o
MERGE (n:Organization {id: o.id})
ON CREATE SET n.name = o.name, n.kind = o.kind, n.aliases = [], n.normName = o.norm, n.normNames = [o.norm], n.searchText = o.name,
              n.sourceIds = [$source.id], n.quotes = [o.quote]
SET n.ocdsRef = coalesce(n.ocdsRef, o.localRef), n.orgIdentifier = coalesce(n.orgIdentifier, o.ref), n.ocdsScheme = coalesce(n.ocdsScheme, o.scheme), n.ocdsIdentifier = coalesce(n.ocdsIdentifier, o.identifier)
WITH count(*) AS _
UNWIND $processes AS p
MERGE (cp:ContractingProcess {id: p.id}) SET cp += p.props, cp.sourceIds = [$source.id], cp.quotes = [p.quote]
WITH cp, p
UNWIND p.parties AS party
MATCH (o:Organization {id: party.orgId})
MERGE (o)-[r:PARTY_TO {id: party.orgId + '|PARTY_TO|' + p.id}]->(cp) SET r.roles = party.roles, r.sourceIds = [$source.id], r.quotes = [p.quote]
WITH count(*) AS _
UNWIND $flows AS f
MATCH (b:Organization {id: f.buyerId}) MATCH (s:Organization {id: f.supplierId})
MERGE (b)-[x:PROCURED_FROM {id: f.id}]->(s)
SET x.ocid = f.ocid, x.amount = f.amount, x.currency = f.currency, x.date = f.date, x.sourceIds = [$source.id], x.quotes = [f.quote]`;

/** A timestamp's calendar day (OCDS dates carry times and offsets; the day is what the sources mean). */
const day = (value: unknown): string | null => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null);

/**
 * Contracts as parallel lists on the process node (Neo4j properties cannot hold maps); the funding subgraph zips
 * them back into Contract objects. Missing values are '' or -1, so every list keeps one entry per contract.
 */
function contractFields(contracts: Json[]) {
  const value = (c: Json) => (c.value && typeof c.value.amount === 'number' && typeof c.value.currency === 'string' ? c.value : undefined);
  return {
    contractIds: contracts.map((c) => String(c.id)),
    contractAwardIds: contracts.map((c) => String(c.awardID ?? '')),
    contractTitles: contracts.map((c) => String(c.title ?? c.description ?? '')),
    contractStatuses: contracts.map((c) => String(c.status ?? '')),
    contractAmounts: contracts.map((c) => value(c)?.amount ?? -1),
    contractCurrencies: contracts.map((c) => value(c)?.currency ?? ''),
    contractSignedDates: contracts.map((c) => day(c.dateSigned) ?? ''),
    contractStartDates: contracts.map((c) => day(c.period?.startDate) ?? ''),
    contractEndDates: contracts.map((c) => day(c.period?.endDate) ?? ''),
  };
}

/** Contracting processes written per transaction. */
const BATCH_SIZE = 500;

/** The releases an item stands for: itself, or a record's compiled release (or its embedded releases, compiled). */
function releasesOf(item: OcdsItem, rejections: Rejection[] | undefined, path: string): Json[] {
  if (item.kind === 'release') return [item.value];
  const record = item.value;
  if (record.compiledRelease) return [record.compiledRelease];
  const embedded = (record.releases ?? []).filter((x: Json) => x && (x.ocid || x.tender || x.awards));
  if (embedded.length > 0) return [compile(embedded)];
  rejections?.push({
    file: path,
    line: item.document,
    identifier: String(record.ocid ?? ''),
    reason: `record ${item.index} has only linked releases and no compiledRelease`,
  });
  return [];
}

/**
 * Imports an OCDS file: release packages, record packages (the compiled release, or the embedded releases compiled
 * here), bare releases, and files holding several JSON documents; OCDS 1.0 (inline buyer, tenderers, suppliers) and
 * 1.1 (`parties` with roles). Streamed twice, never held whole: the first pass checks the file (invalid JSON, not
 * OCDS, truncated: nothing is written) and counts the releases of each ocid; the second compiles each ocid as soon
 * as all its releases are in and writes processes in batches. A release without ocid is rejected on its own.
 */
export function importOcds(db: Database, file: string, options: { onProgress?: ProgressListener } = {}): Promise<OcdsReport> {
  return withImportTracking('ocds', resolve(file), 'releases', (tracked) => importOcdsTracked(db, file, options, tracked));
}

async function importOcdsTracked(
  db: Database,
  file: string,
  options: { onProgress?: ProgressListener },
  tracked: ImportTracker,
): Promise<OcdsReport> {
  const path = resolve(file);
  const report = (stage: ImportProgress['stage'], done: number) => {
    tracked.update(stage, done);
    options.onProgress?.({ file: path, stage, done, unit: 'releases' });
  };
  if (!statSync(path, { throwIfNoEntry: false })?.isFile()) throw new ImportFileError(path, 'not a file');
  report('reading', 0);
  const rejections: Rejection[] = [];
  const releasesPerOcid = new Map<string, number>();
  let releases = 0;
  const { documents } = await streamOcds(path, (item) => {
    releasesOf(item, rejections, path).forEach((release, i) => {
      releases++;
      if (!release.ocid) {
        rejections.push({
          file: path,
          line: item.document,
          identifier: String(release.id ?? ''),
          reason: `release ${item.kind === 'release' ? item.index : i + 1} has no ocid`,
        });
        return;
      }
      releasesPerOcid.set(release.ocid, (releasesPerOcid.get(release.ocid) ?? 0) + 1);
      if (releases % 1000 === 0) report('reading', releases);
    });
  });

  report('writing', 0);
  const source = { id: `src-ocds-${slugify(basename(path))}`, title: basename(path), file: path, kind: 'ocds_file', language: 'json' };
  const state: FileState = { source, organizations: new Map(), partyKeys: new Set() };
  const waiting = new Map<string, Json[]>();
  let batch: Array<{ ocid: string; release: Json }> = [];
  let written = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await writeProcesses(db, state, batch);
    written += batch.length;
    batch = [];
    report('writing', written);
  };
  await streamOcds(path, async (item) => {
    for (const release of releasesOf(item, undefined, path)) {
      if (!release.ocid) continue;
      const list = [...(waiting.get(release.ocid) ?? []), release];
      if (list.length < releasesPerOcid.get(release.ocid)!) {
        waiting.set(release.ocid, list);
        continue;
      }
      waiting.delete(release.ocid);
      batch.push({ ocid: release.ocid, release: compile(list) });
      if (batch.length >= BATCH_SIZE) await flush();
    }
  });
  await flush();
  report('done', releases);
  return { file: path, documents, releases, processes: written, parties: state.partyKeys.size, rejections };
}

interface FileState {
  source: Json;
  /** Party key -> organization id, for parties already written by an earlier batch of this file. */
  organizations: Map<string, string>;
  partyKeys: Set<string>;
}

/** One transaction: the batch's parties (resolved against existing organizations), processes, roles and flows. */
async function writeProcesses(db: Database, state: FileState, compiled: Array<{ ocid: string; release: Json }>): Promise<void> {
  const allParties = new Map<string, Party>();
  const perProcess = compiled.map(({ ocid, release }) => {
    const parties = partiesOf(release);
    for (const p of parties.values()) if (!allParties.has(p.key)) allParties.set(p.key, p);
    return { ocid, release, parties };
  });
  const unknown = [...allParties.values()].filter((p) => !state.organizations.has(p.key));
  const lookup = organizationLookup(unknown, LOOKUP);
  const found = new Map(
    unknown.length === 0
      ? []
      : (await db.readRows<{ key: string; id: string | null }>(lookup.cypher, lookup.params)).map((r) => [r.key, r.id]),
  );
  const orgId = (p: Party) => state.organizations.get(p.key) ?? found.get(p.key) ?? `ocds-org-${slugify(p.ref ?? p.localRef ?? p.name)}`;
  const orgs = unknown.map((p) => ({
    id: orgId(p),
    name: p.name,
    ref: p.ref ?? null,
    localRef: p.localRef ?? null,
    scheme: p.scheme ?? null,
    identifier: p.identifier ?? null,
    norm: normalizeName(p.name),
    kind: p.roles.has('supplier') || p.roles.has('tenderer') ? 'business' : 'government',
    quote: p.name,
  }));
  const money = (v: Json | undefined) =>
    v && typeof v.amount === 'number' && typeof v.currency === 'string' ? { amount: v.amount, currency: v.currency } : undefined;
  const flows: Json[] = [];
  const processes = perProcess.map(({ ocid, release, parties }) => {
    const title = String(release.tender?.title ?? release.awards?.[0]?.title ?? ocid);
    const awards: Json[] = release.awards ?? [];
    const buyer = [...parties.values()].find((p) => p.roles.has('buyer'));
    for (const award of awards) {
      for (const s of award.suppliers ?? []) {
        const supplier =
          [...parties.values()].find(
            (p) =>
              p.roles.has('supplier') &&
              (p.name === String(s.name ?? '').trim() || (s.identifier?.id && p.localRef?.endsWith(`-${s.identifier.id}`))),
          ) ?? [...parties.values()].find((p) => p.roles.has('supplier'));
        if (buyer && supplier && orgId(buyer) !== orgId(supplier)) {
          const value = money(award.value);
          flows.push({
            id: `${ocid}|award|${award.id}|${orgId(supplier)}`,
            ocid,
            buyerId: orgId(buyer),
            supplierId: orgId(supplier),
            amount: value?.amount ?? null,
            currency: value?.currency ?? null,
            date: award.date ? String(award.date).slice(0, 10) : null,
            quote: `${ocid} award ${award.id}`,
          });
        }
      }
    }
    const tenderValue = money(release.tender?.value);
    return {
      id: `ocds-${ocid}`,
      quote: `${ocid}`,
      parties: [...parties.values()].map((p) => ({ orgId: orgId(p), roles: [...p.roles].sort() })),
      props: {
        ocid,
        name: title,
        normName: normalizeName(title),
        normNames: normalizedNames(title, [ocid]),
        searchText: searchText(title, [ocid]),
        aliases: [ocid],
        status: release.tender?.status ?? null,
        procurementMethod: release.tender?.procurementMethod ?? null,
        date: release.date ? String(release.date).slice(0, 10) : null,
        amount: tenderValue?.amount ?? null,
        currency: tenderValue?.currency ?? null,
        awardIds: awards.map((a) => String(a.id)),
        awardTitles: awards.map((a) => String(a.title ?? a.description ?? '')),
        awardStatuses: awards.map((a) => String(a.status ?? '')),
        awardAmounts: awards.map((a) => money(a.value)?.amount ?? -1),
        awardCurrencies: awards.map((a) => money(a.value)?.currency ?? ''),
        awardDates: awards.map((a) => (a.date ? String(a.date).slice(0, 10) : '')),
        awardSuppliers: awards.flatMap((a, i) => (a.suppliers ?? []).map((s: Json) => `${i}:${String(s.name ?? s.id ?? '')}`)),
        ...contractFields(release.contracts ?? []),
        tenderStart: day(release.tender?.tenderPeriod?.startDate),
        tenderEnd: day(release.tender?.tenderPeriod?.endDate),
      },
    };
  });
  await db.write(async (tx) => {
    await db.run(tx, WRITE, { source: state.source, orgs, processes, flows }, 'WRITE');
    await recordGraphChange(db, tx, [...orgs.map((o) => (o as { id: string }).id), ...processes.map((p) => p.id)]);
  });
  // Learned only once committed: a failed batch teaches the next nothing.
  for (const p of allParties.values()) {
    state.organizations.set(p.key, orgId(p));
    state.partyKeys.add(p.key);
  }
}
