/*
 * Organization identifiers, normalized once for every source (IATI refs, OCDS scheme + id), so one real
 * organization with one identifier is one node whatever file it came from first. The form is org-id.guide's:
 * `<registration agency prefix>-<identifier in that register>`, e.g. `XM-DAC-41114` (UNDP), `GB-CHC-202918`.
 */

/** org-id.guide prefixes seen in IATI and OCDS data (recognized as schemes; others are kept as written). */
export const KNOWN_PREFIXES = [
  'XM-DAC',
  'XM-OCHA',
  'XI-IATI',
  'XI-GRID',
  'XI-PB',
  'XI-WIKIDATA',
  'GB-CHC',
  'GB-COH',
  'GB-GOV',
  'GB-EDU',
  'GB-SC',
  'GB-NIC',
  'US-EIN',
  'US-DOS',
  'US-USAGOV',
  'NL-KVK',
  'NL-OWMS',
  'DE-CR',
  'FR-RCS',
  'FR-INSEE',
  'SE-ON',
  'NO-BRC',
  'DK-CVR',
  'FI-PRO',
  'CA-CRA_ACR',
  'AU-ABN',
  'NZ-CC',
  'BE-BCE_KBO',
  'CH-FDJP',
  'ES-DIR3',
  'IT-CF',
  'MX-RFC',
  'BR-CNPJ',
  'CO-NIT',
  'CL-RUT',
  'PE-RUC',
  'AR-CUIT',
  'IN-MCA',
  'ZA-NPO',
  'KE-NCB',
  'UG-NGB',
  'PH-SEC',
  'ID-KHH',
] as const;

/**
 * Identifiers publishers wrote before org-id.guide existed, with the identifier they stand for today. DFID's old
 * "GB-1" is the best-known; bare OECD DAC codes are handled by rule (below), not listed.
 */
const LEGACY: Record<string, string> = { 'GB-1': 'GB-GOV-1', 'GB-2': 'GB-GOV-2', 'GB-3': 'GB-GOV-3' };

/**
 * The canonical form of an organization identifier, or undefined when the text identifies nothing (empty, or no
 * letter or digit at all, like "-"). Case and whitespace
 * are folded (registers are case-insensitive in practice and publishers vary); a bare OECD DAC code (the 1.0x
 * habit: "41114") becomes its org-id.guide form "XM-DAC-41114".
 */
export function canonicalOrgId(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  const folded = raw.normalize('NFC').replace(/\s+/g, '').toUpperCase();
  if (!/[A-Z0-9]/.test(folded)) return undefined;
  if (/^\d{1,5}$/.test(folded)) return `XM-DAC-${folded}`;
  return LEGACY[folded] ?? folded;
}

/**
 * The canonical identifier of an OCDS party from its `identifier.scheme` and `identifier.id`; undefined without a
 * scheme (an id alone is only unique within its publisher). Some publishers put the whole identifier in `id`
 * ("GB-COH-01234567" with scheme "GB-COH"): it is not prefixed twice.
 */
export function canonicalSchemeId(scheme: string | null | undefined, id: string | null | undefined): string | undefined {
  const local = id?.trim();
  const prefix = scheme?.trim();
  if (!local || !prefix) return undefined;
  const upperLocal = local.toUpperCase().replace(/\s+/g, '');
  const upperPrefix = prefix.toUpperCase().replace(/\s+/g, '');
  return canonicalOrgId(upperLocal.startsWith(`${upperPrefix}-`) ? local : `${prefix}-${local}`);
}

/** The org-id.guide prefix of a canonical identifier when it is one we know, e.g. "XM-DAC" for "XM-DAC-41114". */
export function orgIdPrefix(canonical: string): string | undefined {
  return KNOWN_PREFIXES.filter((p) => canonical.startsWith(`${p}-`)).sort((a, b) => b.length - a.length)[0];
}
