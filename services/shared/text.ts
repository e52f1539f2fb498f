/** Folds a name for matching: accents removed, case folded, punctuation collapsed ("Asociación  Civil," → "asociacion civil"). */
export function normalizeName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^\p{Letter}\p{Number}]+/gu, ' ')
    .trim();
}

/** The text the full-text index reads besides `name`: every alias, so a search by any known name finds the entity. */
export function searchText(name: string, aliases: readonly string[]): string {
  return [name, ...aliases].join(' | ');
}

/** Every name an entity is known by, folded: exact-name hits rank first in search. */
export function normalizedNames(name: string, aliases: readonly string[]): string[] {
  return [...new Set([name, ...aliases].map(normalizeName))];
}
