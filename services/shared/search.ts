import { normalizeName } from './text';

const LUCENE_SPECIAL = /[+\-!(){}[\]^"~*?:\\/&|]/g;

/**
 * Turns what a user typed into a safe Lucene query for the `entity_names` full-text index: special characters
 * escaped (never interpreted), accents and case folded, the whole phrase boosted above all-terms-as-prefixes, so
 * "asociacion igualdad" finds "Asociación Civil por la Igualdad y la Justicia" and exact names rank first.
 * Returns undefined when nothing searchable remains.
 */
export function toLuceneQuery(text: string): string | undefined {
  const terms = normalizeName(text)
    .split(' ')
    .filter(Boolean)
    .map((t) => t.replace(LUCENE_SPECIAL, '\\$&'));
  if (terms.length === 0) return undefined;
  // Also the words as typed (only whitespace splits them): the index keeps "ocdex.net" as one token.
  const typed = text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((t) => t.replace(LUCENE_SPECIAL, '\\$&'));
  const phrase = `"${terms.join(' ')}"^4 OR "${typed.join(' ')}"^4`;
  const prefixes = terms.map((t) => (t.length >= 3 ? `${t}*` : t)).join(' AND ');
  const fuzzy = terms.map((t) => (t.length >= 5 ? `${t}~1` : t)).join(' AND ');
  return `${phrase} OR (${prefixes})^2 OR (${fuzzy})`;
}

/**
 * Full-text search over names and aliases. An exact (folded) name or alias ranks first, then Lucene's score;
 * ties break on id so pages are stable. $labels filters by label (empty = all); $kinds by `kind` (empty = all).
 */
export const SEARCH_ENTITIES_CYPHER = `
CALL db.index.fulltext.queryNodes('entity_names', $query) YIELD node, score
WITH node, score, labels(node)[0] AS label
WHERE (size($labels) = 0 OR label IN $labels) AND (size($kinds) = 0 OR node.kind IN $kinds)
WITH node, label, score + CASE WHEN $exact IN coalesce(node.normNames, []) THEN 100.0 ELSE 0.0 END AS rank
RETURN node.id AS id, label, rank
ORDER BY rank DESC, id ASC`;

/** The parameters for SEARCH_ENTITIES_CYPHER, or undefined when nothing searchable was typed. */
export function searchParams(text: string, labels: readonly string[] = [], kinds: readonly string[] = []) {
  const query = toLuceneQuery(text);
  return query === undefined ? undefined : { query, exact: normalizeName(text), labels: [...labels], kinds: [...kinds] };
}
