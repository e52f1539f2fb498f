import type { ManagedTransaction } from 'neo4j-driver';
import type { Database } from './database';
import { AppError, badInput } from './errors';
import type { CitationInput } from './graphql/common';
import { normalizedNames, normalizeName, searchText } from './text';

/** Checks a curator's citation inside the write transaction: the Source must exist and the quote be short. */
export async function checkCitation(db: Database, tx: ManagedTransaction, citation: CitationInput): Promise<void> {
  const quote = citation.quote.trim();
  if (quote.length < 3 || quote.length > 400) throw badInput('citation.quote', 'must be 3 to 400 characters (a phrase, not a paragraph)');
  const found = await db.run(tx, 'MATCH (s:Source {id: $id}) RETURN s.id AS id', { id: citation.sourceId }, 'WRITE');
  if (found.records.length === 0) throw badInput('citation.sourceId', `no Source with id "${citation.sourceId}"`);
}

/** A stable slug id from a name: "Asociación Civil" → "asociacion-civil". */
export function slugify(name: string): string {
  return normalizeName(name).replace(/\s+/g, '-').slice(0, 80) || 'unnamed';
}

/** Validates a name (required on create) and derives the search properties the seed also writes. */
export function namingProps(name: string | undefined, aliases: string[] | undefined, existing?: { name: string; aliases: string[] }) {
  if (name !== undefined && name.trim() === '') throw badInput('input.name', 'must not be empty');
  const finalName = name?.trim() ?? existing?.name;
  if (!finalName) throw badInput('input.name', 'is required');
  const finalAliases = (aliases ?? existing?.aliases ?? []).map((a) => a.trim()).filter(Boolean);
  return {
    name: finalName,
    aliases: finalAliases,
    normName: normalizeName(finalName),
    normNames: normalizedNames(finalName, finalAliases),
    searchText: searchText(finalName, finalAliases),
  };
}

/** Drops undefined and null fields so a partial update only sets what was given. */
export function definedOnly<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(input)
      .filter(([, v]) => v !== undefined && v !== null)
      // The URL scalar parses to a URL object; the graph stores its text.
      .map(([k, v]) => [k, v instanceof URL ? v.toString() : v]),
  ) as Partial<T>;
}

export const alreadyExists = (kind: string, id: string) =>
  new AppError('CONFLICT', `${kind} "${id}" already exists; update it instead.`, { id });
