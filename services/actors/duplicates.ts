import type { MergeableLabel } from '../../schema/model';

/*
 * Entity resolution, the way OpenSanctions' xref and Aleph do it: block on cheap keys (a shared identifier, a
 * shared folded name or alias, an acronym that spells another's initials), then score each candidate pair from
 * explained evidence, and let curators judge. A score is the strongest matching key plus or minus what the rest
 * says; each reason is returned with its weight, so a curator sees why a pair came up.
 */

export type MatchFeature =
  'IDENTIFIER' | 'NAME' | 'ALIAS' | 'ACRONYM' | 'SAME_COUNTRY' | 'OTHER_COUNTRY' | 'OTHER_IDENTIFIER' | 'SHARED_COUNTERPARTS';

/** What each piece of evidence is worth. Keys: the strongest one present is the base; the rest adjust it. */
export const MATCH_WEIGHTS: Record<MatchFeature, number> = {
  IDENTIFIER: 0.9, // one register id: the same body unless a source is wrong
  NAME: 0.7, // the same name once accents, case and punctuation are folded
  ALIAS: 0.6, // a name of one is an alias of the other
  ACRONYM: 0.45, // one's name is the initials of the other's ("OGP", "Open Government Partnership")
  SAME_COUNTRY: 0.1,
  OTHER_COUNTRY: -0.35, // "Ministry of Finance" of two countries
  OTHER_IDENTIFIER: -0.6, // two different register ids: two bodies, whatever their names
  SHARED_COUNTERPARTS: 0.05, // per organization, person or network both are linked to, at most three
};
const KEY_FEATURES: readonly MatchFeature[] = ['IDENTIFIER', 'NAME', 'ALIAS', 'ACRONYM'];
const MAX_SHARED_COUNTED = 3;

/**
 * Words that do not make initials, in the languages of the data ("Fundación para la Transparencia" → "ft").
 * Single letters are left out too (the "s" of a folded "Children's").
 */
export const ACRONYM_STOPWORDS = [
  'of',
  'the',
  'and',
  'for',
  'on',
  'in',
  'to',
  'an',
  'de',
  'del',
  'la',
  'las',
  'los',
  'el',
  'y',
  'e',
  'et',
  'des',
  'du',
  'le',
  'les',
  'da',
  'do',
  'dos',
  'das',
  'para',
  'pour',
  'por',
  'und',
  'der',
  'die',
  'van',
  'voor',
  'dan',
  'di',
  'untuk',
  'dan',
  'em',
  'com',
];

/** How a blocking key paired two entities. */
export interface PairKey {
  feature: 'IDENTIFIER' | 'NAME' | 'ACRONYM';
  key: string;
}

/** What the repository reads about a candidate pair. */
export interface PairFacts {
  a: string;
  b: string;
  label: MergeableLabel;
  keys: PairKey[];
  aNorm: string;
  bNorm: string;
  aCountry: string | null;
  bCountry: string | null;
  aIdentifier: string | null;
  bIdentifier: string | null;
  shared: number;
}

export interface MatchReason {
  feature: MatchFeature;
  detail: string;
  weight: number;
}
export interface ScoredPair {
  a: string;
  b: string;
  label: MergeableLabel;
  score: number;
  reasons: MatchReason[];
}

/** Scores one pair: the strongest key, adjusted by country, identifiers and shared counterparts, within [0, 1]. */
export function scorePair(facts: PairFacts): ScoredPair {
  const reasons: MatchReason[] = [];
  const reason = (feature: MatchFeature, detail: string, times = 1) =>
    reasons.push({ feature, detail, weight: round(MATCH_WEIGHTS[feature] * times) });
  for (const { feature, key } of facts.keys) {
    if (feature === 'IDENTIFIER') reason('IDENTIFIER', `both have the identifier ${key}`);
    else if (feature === 'ACRONYM') reason('ACRONYM', `"${key}" is one's name and the other's initials`);
    else if (facts.aNorm === key && facts.bNorm === key) reason('NAME', `both are named "${key}" (folded)`);
    else reason('ALIAS', `"${key}" is a name of both (folded)`);
  }
  if (facts.aCountry && facts.bCountry) {
    if (facts.aCountry === facts.bCountry) reason('SAME_COUNTRY', `both in ${facts.aCountry}`);
    else reason('OTHER_COUNTRY', `${facts.aCountry} and ${facts.bCountry}`);
  }
  if (facts.aIdentifier && facts.bIdentifier && facts.aIdentifier !== facts.bIdentifier)
    reason('OTHER_IDENTIFIER', `${facts.aIdentifier} and ${facts.bIdentifier}`);
  if (facts.shared > 0)
    reason(
      'SHARED_COUNTERPARTS',
      `${facts.shared} organization(s), people or networks linked to both`,
      Math.min(facts.shared, MAX_SHARED_COUNTED),
    );
  // One reason per feature, and no alias once the names themselves match.
  const best = new Map<MatchFeature, MatchReason>();
  for (const r of reasons) if ((best.get(r.feature)?.weight ?? -Infinity) < r.weight) best.set(r.feature, r);
  if (best.has('NAME')) best.delete('ALIAS');
  const unique = [...best.values()].sort((x, y) => y.weight - x.weight);
  const base = Math.max(0, ...unique.filter((r) => KEY_FEATURES.includes(r.feature)).map((r) => r.weight));
  const adjust = unique.filter((r) => !KEY_FEATURES.includes(r.feature)).reduce((sum, r) => sum + r.weight, 0);
  return { a: facts.a, b: facts.b, label: facts.label, score: round(Math.min(1, Math.max(0, base + adjust))), reasons: unique };
}

/** The pairs a blocking group makes: every two members, or (acronyms) every acronym with every spelled-out name. */
export function pairsOf(ids: readonly string[], others?: readonly string[] | null): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (others) {
    for (const a of ids) for (const b of others) if (a !== b) pairs.push(ordered(a, b));
  } else {
    for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) pairs.push(ordered(ids[i]!, ids[j]!));
  }
  return pairs;
}

/** A pair in one order, whichever way it was found: the key its judgements are stored under. */
export const ordered = (a: string, b: string): [string, string] => (a < b ? [a, b] : [b, a]);
export const pairKey = (a: string, b: string): string => ordered(a, b).join('|');

const round = (n: number) => Math.round(n * 100) / 100;
