import type { RelType } from '../../schema/model';

/**
 * How two actors (organizations and people) can be linked, and which relationships carry each kind of link.
 *
 * Hops: a hop is one direct link between actors (a partnership, a funding flow, employment) or one shared context
 * (actor → network, grant, event, commitment, initiative or contracting process → actor: two relationships, one
 * hop). Every other relationship is a hop of its own, including those between contexts (a cohort PART_OF its
 * programme, a commitment IN_PLAN, an event ORGANIZED by a network). So Omidyar → IMCO (FUNDED) → Global Integrity
 * (PARTNERS_WITH) is two hops; two members of one cohort are one hop apart; members of two cohorts of LOCI are
 * three (member → cohort → LOCI → cohort → member), or two through a hub both cohorts share. People are actors:
 * a person working for two organizations is one hop from each.
 */
export const LINK_KINDS = {
  NETWORK: { types: ['MEMBER_OF'], description: 'members of the same network or cohort' },
  HUB: { types: ['HUB_FOR'], description: 'a cohort and the organization acting as its hub' },
  FUNDING: { types: ['FUNDED', 'PARTICIPATES_IN_GRANT'], description: 'money given, or a role in the same grant' },
  COMMITMENT: { types: ['MADE_COMMITMENT', 'IN_PLAN', 'ADOPTED', 'CONTRIBUTED_TO'], description: 'the same commitment or action plan' },
  EVENT: { types: ['PARTICIPATED_IN', 'ORGANIZED'], description: 'the same event' },
  PARTNERSHIP: { types: ['PARTNERS_WITH'], description: 'a stated partnership' },
  PERSON: { types: ['WORKS_FOR'], description: 'a person working for an organization (or for both)' },
  INITIATIVE: { types: ['RUNS', 'REALIZED_BY'], description: 'running or delivering the same initiative' },
  STRUCTURE: { types: ['PART_OF'], description: 'a unit of an organization, or a cohort of a programme' },
  PROCUREMENT: {
    types: ['PROCURED_FROM', 'PARTY_TO'],
    description: 'a buyer and its supplier, or parties to the same contracting process (OCDS)',
  },
} as const satisfies Record<string, { types: readonly RelType[]; description: string }>;

export type LinkKind = keyof typeof LINK_KINDS;
export const ALL_LINK_KINDS = Object.keys(LINK_KINDS) as LinkKind[];

/** The relationship types for a set of link kinds, as a Cypher type expression (A|B|C); only our constants. */
export function relTypesFor(kinds: readonly LinkKind[]): string {
  return [...new Set(kinds.flatMap((k) => LINK_KINDS[k].types))].join('|');
}

const KIND_OF_TYPE = new Map<string, LinkKind>(
  Object.entries(LINK_KINDS).flatMap(([kind, { types }]) => types.map((t) => [t, kind as LinkKind] as const)),
);

/** The link kind a relationship type belongs to. */
export const linkKindOf = (type: string): LinkKind | undefined => KIND_OF_TYPE.get(type);

/** Whether a node label is an actor's (everything else a link passes through is a context). */
export const isActorLabel = (label: string): boolean => label === 'Organization' || label === 'Person';

/** Collaboration hops of a path, from the labels of its nodes (start included): every relationship but those
 * that enter a context from an actor. */
export const hopsAlong = (labels: readonly string[]): number =>
  labels.slice(1).filter((label, i) => !(isActorLabel(labels[i]!) && !isActorLabel(label))).length;
