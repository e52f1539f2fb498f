import type { RelType } from '../../schema/model';

/**
 * How two actors (organizations and people) can be linked, and which relationships carry each kind of link.
 * A collaboration hop is either a direct relationship (partnership, funding, employment) or two relationships
 * through a shared context node (a network, hub, grant, commitment or plan, event, initiative, or a person who
 * works for both). So `hops = ceil(relationships / 2)`, and `maxHops` h follows at most 2h relationships.
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
  PROCUREMENT: { types: ['PROCURED_FROM', 'PARTY_TO'], description: 'a buyer and its supplier, or parties to the same contracting process (OCDS)' },
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

/** Collaboration hops of a path of `relationships` relationships. */
export const hopsOf = (relationships: number): number => Math.ceil(relationships / 2);
