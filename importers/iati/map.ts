import { normalizeName } from '../../services/shared/text';
import {
  ACTIVITY_DATE_TYPES,
  ACTIVITY_STATUS,
  INCOMING_TRANSACTION_TYPES,
  LEGACY_ORGANISATION_ROLES,
  LEGACY_TRANSACTION_TYPES,
  ORGANISATION_ROLES,
  RELATED_ACTIVITY_TYPES,
  TRANSACTION_TYPES,
  organizationKind,
} from './codes';
import { fingerprint, type XmlElement } from './parse';

/** One element of a good file that could not be imported, and why. */
export interface Rejection {
  file: string;
  line: number;
  identifier: string;
  reason: string;
}

export interface Narrative {
  lang: string;
  text: string;
}

/** An organization as IATI names it: by its org identifier when it has one, otherwise by its name. */
export interface OrgMention {
  key: string;
  ref?: string;
  name: string;
  kind: string;
  line: number;
}

export interface IatiTransaction {
  index: number;
  line: number;
  type: string;
  typeName: string;
  date: string;
  amount: number;
  currency: string;
  provider?: OrgMention;
  receiver?: OrgMention;
  providerActivityId?: string;
  receiverActivityId?: string;
  description?: string;
}

export interface IatiResult {
  index: number;
  line: number;
  title: string;
  type?: string;
  indicators: string[];
}

export interface IatiActivity {
  identifier: string;
  line: number;
  hash: string;
  lang: string;
  defaultCurrency?: string;
  hierarchy?: string;
  lastUpdated?: string;
  titles: Narrative[];
  descriptions: Narrative[];
  status?: string;
  dates: Record<string, string>;
  recipientCountries: string[];
  recipientCountryPercentages: number[];
  recipientRegions: string[];
  sectors: string[];
  sectorVocabularies: string[];
  budgets: string[];
  reportingOrg?: OrgMention;
  participants: Array<{ org: OrgMention; role: string }>;
  transactions: IatiTransaction[];
  results: IatiResult[];
  related: Array<{ identifier: string; type: string }>;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;
/**
 * The date an IATI date element states: its iso-date attribute, or (1.0x files, where the date was often written
 * as the element's text) its text when iso-date is missing or empty. Undefined when neither is an ISO date.
 */
function dateOf(e: XmlElement | undefined): string | undefined {
  const raw = e?.attrs['iso-date']?.trim() || e?.text.trim() || '';
  return ISO_DATE.test(raw) ? raw.slice(0, 10) : undefined;
}

const child = (e: XmlElement, name: string) => e.children.find((c) => c.name === name);
const children = (e: XmlElement, name: string) => e.children.filter((c) => c.name === name);

/** Narratives are translations: one per language; a narrative without xml:lang takes the activity's language. */
function narratives(e: XmlElement | undefined, lang: string): Narrative[] {
  if (!e) return [];
  const list = children(e, 'narrative').map((n) => ({ lang: (n.attrs['xml:lang'] ?? lang).toLowerCase(), text: n.text }));
  if (list.length === 0 && e.text) list.push({ lang: (e.attrs['xml:lang'] ?? lang).toLowerCase(), text: e.text });
  return list.filter((n) => n.text);
}

function orgMention(e: XmlElement | undefined, lang: string): OrgMention | undefined {
  if (!e) return undefined;
  const ref = e.attrs.ref?.trim() || undefined;
  const names = narratives(e, lang);
  const name = (names.find((n) => n.lang === 'en') ?? names[0])?.text ?? ref;
  if (!name) return undefined;
  return {
    key: ref ? `ref:${ref.toLowerCase()}` : `name:${normalizeName(name)}`,
    ref,
    name,
    kind: organizationKind(e.attrs.type),
    line: e.line,
  };
}

/**
 * Maps one activity's element tree to the importer's model, validating as it goes: an invalid activity is
 * rejected whole (no identifier), an invalid element (a malformed transaction, an unknown code) on its own.
 */
export function mapActivity(e: XmlElement, file: string, rejections: Rejection[]): IatiActivity | undefined {
  const identifier = child(e, 'iati-identifier')?.text.trim() ?? '';
  const reject = (line: number, reason: string) => rejections.push({ file, line, identifier, reason });
  if (!identifier) {
    reject(e.line, 'activity has no iati-identifier');
    return undefined;
  }
  const lang = (e.attrs['xml:lang'] ?? 'en').toLowerCase();
  const defaultCurrency = e.attrs['default-currency']?.toUpperCase();
  const activity: IatiActivity = {
    identifier,
    line: e.line,
    hash: fingerprint(e),
    lang,
    defaultCurrency,
    hierarchy: e.attrs.hierarchy,
    lastUpdated: e.attrs['last-updated-datetime'],
    titles: narratives(child(e, 'title'), lang),
    descriptions: children(e, 'description').flatMap((d) => narratives(d, lang)),
    dates: {},
    recipientCountries: [],
    recipientCountryPercentages: [],
    recipientRegions: [],
    sectors: [],
    sectorVocabularies: [],
    budgets: [],
    participants: [],
    transactions: [],
    results: [],
    related: [],
  };
  const status = child(e, 'activity-status')?.attrs.code;
  if (status) {
    if (ACTIVITY_STATUS[status]) activity.status = ACTIVITY_STATUS[status];
    else reject(child(e, 'activity-status')!.line, `unknown activity-status code "${status}"`);
  }
  for (const d of children(e, 'activity-date')) {
    const type = ACTIVITY_DATE_TYPES[d.attrs.type ?? ''];
    const date = dateOf(d);
    if (!type) reject(d.line, `unknown activity-date type "${d.attrs.type}"`);
    else if (!date)
      reject(d.line, `activity-date "${d.attrs['iso-date'] || d.text.trim()}" is not a date (neither its iso-date nor its text)`);
    else activity.dates[type] = date;
  }
  for (const c of children(e, 'recipient-country')) {
    const code = c.attrs.code?.toUpperCase();
    if (!code || !/^[A-Z]{2}$/.test(code)) {
      reject(c.line, `recipient-country code "${c.attrs.code ?? ''}" is not an ISO 3166 code`);
      continue;
    }
    activity.recipientCountries.push(code);
    activity.recipientCountryPercentages.push(Number(c.attrs.percentage ?? 100));
  }
  for (const r of children(e, 'recipient-region')) if (r.attrs.code) activity.recipientRegions.push(r.attrs.code);
  for (const s of children(e, 'sector')) {
    if (!s.attrs.code) continue;
    activity.sectors.push(s.attrs.code);
    activity.sectorVocabularies.push(s.attrs.vocabulary ?? '1');
  }
  for (const b of children(e, 'budget')) {
    const value = child(b, 'value');
    const amount = Number(value?.text);
    if (!value || !value.text || !Number.isFinite(amount)) {
      reject(b.line, 'budget value is missing or not a number');
      continue;
    }
    const start = dateOf(child(b, 'period-start')) ?? '';
    const end = dateOf(child(b, 'period-end')) ?? '';
    activity.budgets.push(`${start}..${end} ${amount} ${(value.attrs.currency ?? defaultCurrency ?? '').toUpperCase()}`.trim());
  }
  activity.reportingOrg = orgMention(child(e, 'reporting-org'), lang);
  for (const p of children(e, 'participating-org')) {
    const raw = p.attrs.role ?? '';
    const role = ORGANISATION_ROLES[raw] ?? LEGACY_ORGANISATION_ROLES[raw.toLowerCase()];
    const org = orgMention(p, lang);
    if (!role) reject(p.line, `unknown participating-org role "${raw}"`);
    else if (!org) reject(p.line, 'participating-org has neither ref nor name');
    else activity.participants.push({ org, role });
  }
  children(e, 'transaction').forEach((t, index) => {
    const mapped = mapTransaction(t, index, activity, reject);
    if (mapped) activity.transactions.push(mapped);
  });
  children(e, 'result').forEach((r, index) => {
    // 1.0x results often carry their title only on the indicator.
    const titles = narratives(child(r, 'title'), lang);
    const title =
      (titles.find((n) => n.lang === 'en') ?? titles[0])?.text ?? narratives(child(child(r, 'indicator') ?? r, 'title'), lang)[0]?.text;
    if (!title) {
      reject(r.line, 'result has no title');
      return;
    }
    const indicators = children(r, 'indicator').map((i) => {
      const name = narratives(child(i, 'title'), lang)[0]?.text ?? 'indicator';
      const baseline = child(i, 'baseline')?.attrs.value;
      const periods = children(i, 'period').map(
        (p) =>
          `${child(p, 'period-start')?.attrs['iso-date'] ?? ''}..${child(p, 'period-end')?.attrs['iso-date'] ?? ''} target ${child(p, 'target')?.attrs.value ?? '-'} actual ${child(p, 'actual')?.attrs.value ?? '-'}`,
      );
      return [name, baseline !== undefined ? `baseline ${baseline}` : '', ...periods].filter(Boolean).join('; ');
    });
    activity.results.push({ index, line: r.line, title, type: r.attrs.type, indicators });
  });
  for (const r of children(e, 'related-activity')) {
    const type = RELATED_ACTIVITY_TYPES[r.attrs.type ?? ''];
    if (!r.attrs.ref) reject(r.line, 'related-activity has no ref');
    else if (!type) reject(r.line, `unknown related-activity type "${r.attrs.type ?? ''}"`);
    else activity.related.push({ identifier: r.attrs.ref, type });
  }
  return activity;
}

function mapTransaction(
  t: XmlElement,
  index: number,
  activity: IatiActivity,
  reject: (line: number, reason: string) => void,
): IatiTransaction | undefined {
  const rawType = child(t, 'transaction-type')?.attrs.code?.trim() ?? '';
  const type = TRANSACTION_TYPES[rawType] ? rawType : LEGACY_TRANSACTION_TYPES[rawType.toUpperCase()];
  if (!type) return void reject(t.line, `transaction-type "${rawType}" is not an IATI transaction type code`);
  const value = child(t, 'value');
  // transaction-date is required since 2.01; 1.0x files often give only the value's value-date (required there).
  const date =
    dateOf(child(t, 'transaction-date')) ??
    (ISO_DATE.test(value?.attrs['value-date'] ?? '') ? value!.attrs['value-date']!.slice(0, 10) : undefined);
  if (!date) return void reject(t.line, "transaction has no date (neither transaction-date nor the value's value-date)");
  if (!value || value.text.trim() === '') return void reject(t.line, 'transaction value is empty');
  // Negative values are legal IATI: reversals, refunds, de-obligations and corrections. They are kept, so totals are net.
  const amount = Number(value.text.trim().replace(/,/g, ''));
  if (!Number.isFinite(amount)) return void reject(t.line, `transaction value "${value.text}" is not a number`);
  const currency = (value.attrs.currency ?? activity.defaultCurrency ?? '').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) return void reject(t.line, 'transaction has no currency and the activity no default-currency');
  const providerElement = child(t, 'provider-org');
  const receiverElement = child(t, 'receiver-org');
  let provider = orgMention(providerElement, activity.lang);
  let receiver = orgMention(receiverElement, activity.lang);
  // IATI: the reporting organization is the side a transaction leaves out (receiver of incoming money, provider of outgoing).
  if (INCOMING_TRANSACTION_TYPES.has(type)) receiver ??= activity.reportingOrg;
  else provider ??= activity.reportingOrg;
  return {
    index,
    line: t.line,
    type,
    typeName: TRANSACTION_TYPES[type]!,
    date,
    amount,
    currency,
    provider,
    receiver,
    providerActivityId: providerElement?.attrs['provider-activity-id']?.trim() || undefined,
    receiverActivityId: receiverElement?.attrs['receiver-activity-id']?.trim() || undefined,
    description: narratives(child(t, 'description'), activity.lang)[0]?.text,
  };
}
