import { normalizeName } from '../../services/shared/text';

/** One organization name pulled out of OGP's free-text institution field, with how sure we are. */
export interface ExtractedInstitution {
  name: string;
  /** 0-1: 0.9 for a name on its own line or bullet, lower when it came from splitting a sentence on commas. */
  confidence: number;
}

const EMAIL = /[\w.+-]+[@©][\w-]+(\.[\w-]+)+/g;
/** Phone numbers in the forms the export uses (+63 920 962 2158, 0803702'1491, (0555507796)). */
const PHONE = /(\+?\(?\d[\d\s().'’-]{6,}\d\)?)/g;
const PERSON_LINE = /^(mr|mrs|ms|dr|hon|honourable|prof)\.?\s/i;
const ROLE_LABEL =
  /^(senior accountable officer|technical focal person|partner cso|media partners|partner lgu offices|contact|focal point|tel|phone|email)\s*:?\s*/i;

/**
 * Descriptions of a kind of body rather than the name of one, in the export's languages: "civil society", "line
 * ministries", "sociedad civil", "masyarakat sipil". Such a text stands for different bodies in different rows, so it
 * never becomes an organization (it would join every commitment that says "civil society" into one false hub).
 */
const VAGUE = new RegExp(
  `^(the |all |other |various |relevant |line |local |national |international |key |partner |participating )*(${[
    'civil society( organi[sz]ations?)?',
    'csos?',
    'ngos?',
    'non governmental organi[sz]ations?',
    'nongovernmental organi[sz]ations?',
    'media',
    'academia',
    'academics?',
    'universit(y|ies)',
    'private sector',
    'business(es)?',
    'citizens?',
    'the public',
    'public',
    'governments?',
    'local governments?',
    'ministr(y|ies)',
    'government (agencies|institutions|bodies|departments)',
    'agencies',
    'institutions',
    'stakeholders',
    'partners',
    'development partners',
    'donors',
    'organi[sz]ations',
    'communit(y|ies)',
    'sociedad civil',
    'organizaciones( de la sociedad civil)?',
    'oscs?',
    'ongs?',
    'sector privado',
    'gobiernos?( locales?)?',
    'ministerios',
    'municipios',
    'municipalidades',
    'ciudadan[ií]a',
    'sociedade civil',
    'organiza[cç][oõ]es da sociedade civil',
    'societe civile',
    'organisations de la societe civile',
    'masyarakat sipil',
    'lsm',
    'others?',
    'tbd',
    'to be determined',
  ].join('|')})$`,
);

/** True when an institution text describes a kind of body instead of naming one (see VAGUE). */
export function isVagueInstitution(name: string): boolean {
  const folded = normalizeName(name.replace(/\([^)]*\)\s*$/, ''));
  return VAGUE.test(folded);
}

/** Removes e-mail addresses and phone numbers: the graph never stores them, even in raw text. */
export function redactContacts(text: string): string {
  return text
    .replace(EMAIL, '[e-mail removed]')
    .replace(PHONE, (match) =>
      /\d{7,}|\d[\s'’-]\d/.test(match.replace(/\s/g, '')) && match.replace(/\D/g, '').length >= 7 ? '[phone removed]' : match,
    );
}

/**
 * Splits OGP's lead/supporting institution text into organization names: words broken by hyphen-newline are
 * joined; bullets, line breaks and semicolons separate; commas separate with less confidence; contact details,
 * people's title lines and role labels are dropped.
 */
export function extractInstitutions(raw: string): ExtractedInstitution[] {
  const text = raw.replace(/(\p{L})-\s*\n\s*(\p{Ll})/gu, '$1$2').replace(/\r/g, '');
  const lines = text
    .split(/\n|[•●▪◦·]|;|\s\/\s/u)
    .map((l) => l.trim())
    .filter(Boolean);
  const found: ExtractedInstitution[] = [];
  const seen = new Set<string>();
  for (const line of lines) {
    const pieces = line.split(/,\s*(?=\p{Lu})/u);
    for (const piece of pieces) {
      let name = piece
        .replace(EMAIL, '')
        .replace(ROLE_LABEL, '')
        .replace(/\(\s*\)/g, '')
        .replace(/^[\s\-–—*.:]+|[\s\-–—*.,:]+$/g, '')
        .trim();
      name = name.replace(/\s+/g, ' ');
      if (!name || name.length < 3 || name.length > 160) continue;
      if (PERSON_LINE.test(name)) continue;
      if (/\d{6,}/.test(name.replace(/[\s'’-]/g, ''))) continue; // what is left of a phone number
      if (!/\p{L}{3,}/u.test(name)) continue;
      if (/^(etc|and others|others|n\/a|na|nd|nr|none)$/i.test(name)) continue;
      const key = normalizeName(name);
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({ name, confidence: pieces.length > 1 ? 0.6 : 0.9 });
    }
  }
  return found;
}
