import { z } from 'zod';
import {
  GOVERNMENT_LEVELS,
  INITIATIVE_KINDS,
  NETWORK_KINDS,
  ORGANIZATION_KINDS,
  PLACE_KINDS,
  RelTypes,
  SOURCE_KINDS,
} from '../schema/model';

/**
 * The typed schema of the seed data files (seed/data/*.yaml). Every fact names its source and a short quote;
 * `npm run seed` validates all files against this schema, and every reference, before writing anything.
 */

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'an id is a lowercase slug like "open-government-partnership"');
const isoDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'a date is YYYY, YYYY-MM or YYYY-MM-DD');

/** Where a fact comes from: a Source id and the phrase of that source that supports it. */
export const Provenance = z
  .object({
    source: slug,
    quote: z.string().min(3).max(400, 'a quote is a phrase, not a paragraph (400 characters at most)'),
  })
  .strict();

const sourced = { sources: z.array(Provenance).min(1, 'every fact needs at least one source') };
const named = { id: slug, name: z.string().min(1), aliases: z.array(z.string().min(1)).default([]) };

export const Source = z
  .object({
    id: slug,
    title: z.string().min(1),
    date: isoDate.optional(),
    author: z.string().optional(),
    publisher: z.string().optional(),
    kind: z.enum(SOURCE_KINDS),
    file: z.string().optional(),
    url: z.string().url().optional(),
    language: z.string().default('en'),
  })
  .strict();

export const Place = z
  .object({
    ...named,
    kind: z.enum(PLACE_KINDS),
    iso2: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    iso3: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
    in: slug.optional(),
    ...sourced,
  })
  .strict()
  .refine((p) => p.kind !== 'country' || (p.iso2 && p.iso3), 'a country needs its ISO 3166 iso2 and iso3 codes');

export const Organization = z
  .object({
    ...named,
    kind: z.enum(ORGANIZATION_KINDS),
    level: z.enum(GOVERNMENT_LEVELS).optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'country is an ISO 3166-1 alpha-2 code')
      .optional(),
    description: z.string().optional(),
    website: z.string().optional(),
    /** Its identifier in org-id.guide form (or an IATI ref), folded like every importer's: one identifier, one node. */
    orgIdentifier: z.string().optional(),
    ...sourced,
  })
  .strict();

export const Person = z.object({ ...named, description: z.string().optional(), ...sourced }).strict();

export const Network = z
  .object({
    ...named,
    kind: z.enum(NETWORK_KINDS),
    founded: isoDate.optional(),
    description: z.string().optional(),
    ...sourced,
  })
  .strict();

export const Event = z
  .object({
    ...named,
    date: isoDate,
    endDate: isoDate.optional(),
    kind: z.string().default('meeting'),
    description: z.string().optional(),
    ...sourced,
  })
  .strict();

export const Money = z.object({ amount: z.number().nonnegative(), currency: z.string().regex(/^[A-Z]{3}$/) }).strict();

export const Result = z
  .object({
    id: slug,
    title: z.string().min(1),
    status: z.enum(['fulfilled', 'partly_fulfilled', 'not_fulfilled', 'unknown']).default('unknown'),
    note: z.string().optional(),
    ...sourced,
  })
  .strict();

export const Grant = z
  .object({
    ...named,
    value: Money,
    signedDate: isoDate.optional(),
    purpose: z.string().optional(),
    iatiIdentifier: z.string().optional(),
    results: z.array(Result).default([]),
    ...sourced,
  })
  .strict();

export const ActionPlan = z
  .object({
    ...named,
    startYear: z.number().int().optional(),
    endYear: z.number().int().optional(),
    level: z.enum(GOVERNMENT_LEVELS),
    ogp: z.boolean().describe('whether the plan is part of OGP'),
    ...sourced,
  })
  .strict();

export const Commitment = z
  .object({
    ...named,
    description: z.string().optional(),
    ...sourced,
  })
  .strict();

export const Initiative = z
  .object({
    ...named,
    kind: z.enum(INITIATIVE_KINDS),
    status: z.string().optional(),
    launched: isoDate.optional(),
    description: z.string().optional(),
    figures: z.record(z.union([z.number(), z.string()])).optional(),
    ...sourced,
  })
  .strict();

const relTypes = Object.keys(RelTypes) as [keyof typeof RelTypes, ...Array<keyof typeof RelTypes>];
export const Relationship = z
  .object({
    type: z.enum(relTypes),
    from: slug,
    to: slug,
    /** Tells apart two relationships of one type between the same two nodes (e.g. two roles). */
    key: z.string().optional(),
    props: z.record(z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])).default({}),
    ...sourced,
  })
  .strict();

const Statement = z.object({ text: z.string().min(1), source: slug, quote: z.string().min(3).max(400) }).strict();
export const Flag = z
  .object({
    id: slug,
    kind: z.enum(['place_mismatch', 'name_mismatch', 'implausible_figure', 'copied_text', 'missing_content', 'uncertain_attribution']),
    severity: z.enum(['info', 'warning', 'error']),
    what: z.string().min(1),
    where: z.string().min(1),
    why: z.string().min(1),
    documentSays: Statement,
    factIs: Statement,
    concerns: z.array(slug).min(1),
  })
  .strict();

/** Which schema each data file follows (file name without .yaml → entry schema). */
export const FILES = {
  sources: Source,
  places: Place,
  organizations: Organization,
  people: Person,
  networks: Network,
  events: Event,
  grants: Grant,
  'action-plans': ActionPlan,
  commitments: Commitment,
  initiatives: Initiative,
  relationships: Relationship,
  flags: Flag,
} as const;
export type FileName = keyof typeof FILES;
export type SeedData = { [K in FileName]: Array<z.infer<(typeof FILES)[K]>> };
