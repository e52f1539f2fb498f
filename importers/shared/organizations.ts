import type { Params } from '../../services/shared/database';
import { canonicalOrgId } from '../../services/shared/org-identifiers';
import { normalizeName } from '../../services/shared/text';

/**
 * An organization as a source names it: a caller's key, the name, and its identifier if the source gives one
 * (an IATI ref, an OCDS scheme-id), canonical or not: the lookup folds it (services/shared/org-identifiers.ts).
 */
export interface OrganizationMention {
  key: string;
  name: string;
  ref?: string | null;
}

export interface LookupOptions {
  /** Also try every alias through the full-text index when neither identifier nor folded name matched. */
  aliases: boolean;
  /**
   * Also look among merged-away organizations (a curator's SAME). Default true; an importer that knows the graph
   * holds none (HAS_MERGED_ORGANIZATIONS) skips the two extra look-ups per mention.
   */
  merged?: boolean;
}

/** Whether any organization was merged away (asked once per file by importers that resolve many mentions). */
export const HAS_MERGED_ORGANIZATIONS =
  "OPTIONAL MATCH (m:Merged {mergedLabel: 'Organization'}) WITH m LIMIT 1 RETURN m IS NOT NULL AS merged";

/** The full-text phrase for a folded name (quotes and backslashes would break Lucene's syntax). */
export const namePhrase = (norm: string): string => `"${norm.replace(/["\\]/g, '')}"`;

/**
 * The one way importers join a mention to an existing organization: by canonical identifier (whichever source
 * gave it: IATI's UNDP "41114" and OCDS's "XM-DAC-41114" are one, and a merged-away organization's identifier
 * stands for the one it was merged into), then by folded name (accents and case; merged-away names likewise), then
 * (optionally) by any alias. Several entities may share a folded name: the smallest
 * id wins, so every run picks the same one. Returns rows `{key, id}`, id null when nothing matched.
 */
export function organizationLookup(mentions: readonly OrganizationMention[], options: LookupOptions): { cypher: string; params: Params } {
  // A merged-away organization (a curator's SAME) keeps its identifier and folded name: a mention of either joins
  // the canonical organization it was merged into, so a re-import never splits a merge.
  const merged = options.merged ?? true;
  const byRef = merged
    ? `OPTIONAL MATCH (refCandidate:Organization {orgIdentifier: o.ref})
WITH o, min(refCandidate.id) AS directRef
OPTIONAL MATCH (:Merged {orgIdentifier: o.ref})-[:MERGED_INTO*1..10]->(refCanonical:Organization) WHERE directRef IS NULL
WITH o, directRef, min(refCanonical.id) AS mergedRef
WITH o, coalesce(directRef, mergedRef) AS byRef`
    : `OPTIONAL MATCH (refCandidate:Organization {orgIdentifier: o.ref})
WITH o, min(refCandidate.id) AS byRef`;
  const byName = merged
    ? `OPTIONAL MATCH (nameCandidate:Organization {normName: o.norm})
WITH o, byRef, min(nameCandidate.id) AS directName
OPTIONAL MATCH (:Merged {normName: o.norm})-[:MERGED_INTO*1..10]->(nameCanonical:Organization) WHERE byRef IS NULL AND directName IS NULL
WITH o, byRef, directName, min(nameCanonical.id) AS mergedName
WITH o, byRef, coalesce(directName, mergedName) AS byName`
    : `OPTIONAL MATCH (nameCandidate:Organization {normName: o.norm})
WITH o, byRef, min(nameCandidate.id) AS byName`;
  const byAlias = options.aliases
    ? `CALL {
  WITH o, byRef, byName
  WITH o WHERE byRef IS NULL AND byName IS NULL
  CALL db.index.fulltext.queryNodes('entity_names', o.phrase) YIELD node
  WITH o, node WHERE node:Organization AND o.norm IN coalesce(node.normNames, [])
  RETURN min(node.id) AS aliasMatch
  UNION
  WITH o, byRef, byName
  WITH o WHERE byRef IS NOT NULL OR byName IS NOT NULL
  RETURN null AS aliasMatch
}`
    : 'WITH o, byRef, byName, null AS aliasMatch';
  const cypher = `
UNWIND $orgs AS o
${byRef}
${byName}
${byAlias}
RETURN o.key AS key, coalesce(byRef, byName, aliasMatch) AS id`;
  const orgs = mentions.map((m) => {
    const norm = normalizeName(m.name);
    return { key: m.key, ref: canonicalOrgId(m.ref) ?? null, norm, phrase: namePhrase(norm) };
  });
  return { cypher, params: { orgs } };
}
