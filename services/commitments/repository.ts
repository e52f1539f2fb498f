import DataLoader from 'dataloader';
import type { Database } from '../shared/database';
import { recordGraphChange } from '../shared/graph-changes';
import { appendCitation, nodeProjection, pageOf, readPage, type NeighbourSpec } from '../shared/cypher';
import { alreadyExists, checkCitation, namingProps, slugify } from '../shared/curation';
import { badInput, notFound } from '../shared/errors';
import type { CitationInput, NodeRow } from '../shared/graphql/common';
import { toPage, type Page } from '../shared/page';
import type { Prefetchable } from '../shared/prefetch';
import type { CommitmentInput } from './types';

export const Rel = {
  planPlace: { from: 'ActionPlan', types: ['PLAN_OF'], direction: 'out', to: ['Place'] },
  planAdoptedBy: { from: 'ActionPlan', types: ['ADOPTED'], direction: 'in', to: ['Organization'] },
  planContributors: { from: 'ActionPlan', types: ['CONTRIBUTED_TO'], direction: 'in', to: ['Organization'] },
  planProgramme: { from: 'ActionPlan', types: ['PART_OF'], direction: 'out', to: ['Network'] },
  planCommitments: { from: 'ActionPlan', types: ['IN_PLAN'], direction: 'in', to: ['Commitment'] },
  commitmentPlan: { from: 'Commitment', types: ['IN_PLAN'], direction: 'out', to: ['ActionPlan'] },
  commitmentMakers: { from: 'Commitment', types: ['MADE_COMMITMENT'], direction: 'in', to: ['Organization'] },
  commitmentRealizedBy: { from: 'Commitment', types: ['REALIZED_BY'], direction: 'out', to: ['Initiative'] },
  orgCommitments: { from: 'Organization', types: ['MADE_COMMITMENT'], direction: 'out', to: ['Commitment'] },
  orgActionPlans: { from: 'Organization', types: ['ADOPTED', 'CONTRIBUTED_TO'], direction: 'out', to: ['ActionPlan'] },
  placeActionPlans: { from: 'Place', types: ['PLAN_OF'], direction: 'in', to: ['ActionPlan'] },
} as const satisfies Record<string, NeighbourSpec>;

/** The fields whose relationships are read in the statement that reads their node (shared/prefetch.ts). */
export const PREFETCHABLE: Prefetchable = {
  ActionPlan: {
    place: { spec: Rel.planPlace },
    adoptedBy: { spec: Rel.planAdoptedBy },
    contributors: { spec: Rel.planContributors },
    programme: { spec: Rel.planProgramme },
    commitments: {
      spec: Rel.planCommitments,
      via: ['edges', 'node'],
      window: (args, maxPageSize) => toPage(args, maxPageSize),
      nodeType: 'Commitment',
    },
  },
  Commitment: {
    actionPlan: { spec: Rel.commitmentPlan, nodeType: 'ActionPlan' },
    madeBy: { spec: Rel.commitmentMakers },
    realizedBy: { spec: Rel.commitmentRealizedBy },
  },
  Organization: {
    commitments: { spec: Rel.orgCommitments, via: ['commitment'], nodeType: 'Commitment' },
    actionPlans: { spec: Rel.orgActionPlans, nodeType: 'ActionPlan' },
  },
  Place: { actionPlans: { spec: Rel.placeActionPlans, nodeType: 'ActionPlan' } },
};

const LIST_PLANS = pageOf(
  `
MATCH (n:ActionPlan)
WHERE ($level IS NULL OR n.level = $level) AND ($ogp IS NULL OR n.ogp = $ogp)
  AND ($place IS NULL OR EXISTS { MATCH (n)-[:PLAN_OF]->(:Place)-[:IN*0..6]->(:Place {id: $place}) })`,
  `coalesce(n.startYear, 0) DESC, n.name, n.id`,
);
export const listActionPlans = (db: Database, filter: { level?: string; ogp?: boolean; place?: string }, page: Page) =>
  readPage(db, LIST_PLANS, { level: filter.level ?? null, ogp: filter.ogp ?? null, place: filter.place ?? null }, page);

const LIST_COMMITMENTS = pageOf(
  `
MATCH (n:Commitment)
WHERE ($actionPlan IS NULL OR EXISTS { MATCH (n)-[:IN_PLAN]->(:ActionPlan {id: $actionPlan}) })
  AND ($organization IS NULL OR EXISTS { MATCH (:Organization {id: $organization})-[:MADE_COMMITMENT]->(n) })
  AND ($tags IS NULL OR all(t IN $tags WHERE t IN coalesce(n.tags, [])))
  AND ($theme IS NULL OR toLower(n.theme) CONTAINS toLower($theme))`,
  `n.name, n.id`,
);
export interface CommitmentFilter {
  actionPlan?: string;
  organization?: string;
  tags?: string[];
  theme?: string;
}
export const listCommitments = (db: Database, filter: CommitmentFilter, page: Page) =>
  readPage(
    db,
    LIST_COMMITMENTS,
    {
      actionPlan: filter.actionPlan ?? null,
      organization: filter.organization ?? null,
      tags: filter.tags?.length ? filter.tags : null,
      theme: filter.theme ?? null,
    },
    page,
  );

/** The other plans of the same adopting government, at the same level and inside or outside OGP alike. */
const PLAN_CYCLE = (provenance: boolean) => `
UNWIND $ids AS id
MATCH (p:ActionPlan {id: id})<-[:ADOPTED]-(:Organization)-[:ADOPTED]->(other:ActionPlan)
WHERE other <> p AND other.level = p.level AND coalesce(other.ogp, false) = coalesce(p.ogp, false)
WITH id, p, collect(DISTINCT other) AS others
RETURN id, {year: p.startYear, number: p.number} AS self,
       [o IN others | {year: o.startYear, number: o.number, node: ${nodeProjection('o', provenance)}}] AS others`;

interface CyclePosition {
  year: number | null;
  number: number | null;
  node?: NodeRow;
}
/** Plans follow one another by submission year, then plan number, then id (stable when both are missing). */
const cycleOrder = (a: CyclePosition & { id: string }, b: CyclePosition & { id: string }) =>
  (a.year ?? 0) - (b.year ?? 0) || (a.number ?? 0) - (b.number ?? 0) || a.id.localeCompare(b.id);

/** For many plans at once: the plan before and the plan after each in its government's cycle of plans. */
export function planCycleLoader(db: Database, provenance: boolean): DataLoader<string, { previous: NodeRow | null; next: NodeRow | null }> {
  const cypher = PLAN_CYCLE(provenance);
  return new DataLoader(async (ids) => {
    const rows = await db.readRows<{ id: string; self: CyclePosition; others: CyclePosition[] }>(cypher, { ids: [...ids] });
    const byId = new Map(
      rows.map((row) => {
        const self = { ...row.self, id: row.id };
        const others = row.others.map((o) => ({ ...o, id: o.node!.id })).sort(cycleOrder);
        return [
          row.id,
          {
            previous: others.filter((o) => cycleOrder(o, self) < 0).at(-1)?.node ?? null,
            next: others.find((o) => cycleOrder(o, self) > 0)?.node ?? null,
          },
        ];
      }),
    );
    return ids.map((id) => byId.get(id) ?? { previous: null, next: null });
  });
}

const ENDPOINTS = `
OPTIONAL MATCH (p:ActionPlan {id: $actionPlanId}) OPTIONAL MATCH (o:Organization {id: $organizationId})
RETURN p IS NOT NULL AS planFound, o IS NOT NULL AS orgFound`;
const CREATE_COMMITMENT = `
MATCH (p:ActionPlan {id: $actionPlanId}) MATCH (o:Organization {id: $organizationId})
CREATE (n:Commitment {id: $id}) SET n += $props, n.curatedAt = datetime(), ${appendCitation('n')}
MERGE (n)-[ip:IN_PLAN {id: $id + '|IN_PLAN|' + $actionPlanId}]->(p) SET ${appendCitation('ip')}
MERGE (o)-[mc:MADE_COMMITMENT {id: $organizationId + '|MADE_COMMITMENT|' + $id}]->(n) SET mc.role = $role, ${appendCitation('mc')}
RETURN ${nodeProjection('n')} AS node`;
const UPDATE_COMMITMENT = `
MATCH (n:Commitment {id: $id}) SET n += $props, n.curatedAt = datetime(), ${appendCitation('n')}
RETURN ${nodeProjection('n')} AS node`;
const COMMITMENT_EXISTS = 'MATCH (c:Commitment {id: $id}) RETURN c.name AS name, coalesce(c.aliases, []) AS aliases';

/** Records a commitment in its action plan, made by an organization, in one transaction. */
export function createCommitment(db: Database, input: CommitmentInput, citation: CitationInput, id?: string): Promise<NodeRow> {
  if (!input.actionPlanId) throw badInput('input.actionPlanId', 'is required');
  if (!input.organizationId) throw badInput('input.organizationId', 'is required');
  const role = input.role ?? 'lead';
  if (role !== 'lead' && role !== 'supporting') throw badInput('input.role', 'must be lead or supporting');
  return db.write(async (tx) => {
    await checkCitation(db, tx, citation);
    const naming = namingProps(input.name, []);
    const found = (await db.run(tx, ENDPOINTS, { actionPlanId: input.actionPlanId, organizationId: input.organizationId }, 'WRITE'))
      .records[0]!;
    if (!found.get('planFound')) throw notFound('ActionPlan', input.actionPlanId!);
    if (!found.get('orgFound')) throw notFound('Organization', input.organizationId!);
    const newId = id ?? slugify(naming.name);
    if ((await db.run(tx, COMMITMENT_EXISTS, { id: newId }, 'WRITE')).records.length > 0) throw alreadyExists('Commitment', newId);
    const props = { ...naming, ...(input.description ? { description: input.description } : {}) };
    const result = await db.run(
      tx,
      CREATE_COMMITMENT,
      { id: newId, actionPlanId: input.actionPlanId, organizationId: input.organizationId, role, props, citation },
      'WRITE',
    );
    await recordGraphChange(db, tx, [newId, input.actionPlanId!, input.organizationId!]);
    return result.records[0]!.get('node') as NodeRow;
  });
}

/** Corrects a commitment's title or description, in one transaction. */
export function updateCommitment(db: Database, id: string, input: CommitmentInput, citation: CitationInput): Promise<NodeRow> {
  if (input.actionPlanId || input.organizationId) throw badInput('input.actionPlanId', 'plan and organization cannot be changed by update');
  return db.write(async (tx) => {
    await checkCitation(db, tx, citation);
    const existing = (await db.run(tx, COMMITMENT_EXISTS, { id }, 'WRITE')).records[0];
    if (!existing) throw notFound('Commitment', id);
    const naming = namingProps(input.name, undefined, { name: existing.get('name'), aliases: existing.get('aliases') });
    const props = { ...naming, ...(input.description ? { description: input.description } : {}) };
    const result = await db.run(tx, UPDATE_COMMITMENT, { id, props, citation }, 'WRITE');
    return result.records[0]!.get('node') as NodeRow;
  });
}
