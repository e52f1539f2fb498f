import type { Database } from './database';

/*
 * Network-science measures of actors, as the exports carry them (GraphML and CSV node attributes, for Gephi and
 * networkx users). The insights subgraph computes them; the gateway hands its function to the exports, so exports/
 * imports no subgraph.
 */

export const ACTOR_MEASURES = ['community', 'degree', 'betweenness', 'closeness', 'eigenvector', 'pagerank'] as const;
export type ActorMeasure = (typeof ACTOR_MEASURES)[number];

export interface MeasureRequest {
  /** The scope the measures are computed on, as in the API: a network and its cohorts, and/or a country. */
  network?: string;
  country?: string;
  measures: readonly ActorMeasure[];
}

export interface MeasuredActors {
  /** Per actor id: its community number and scores (actors outside the scope are absent). */
  values: ReadonlyMap<string, Partial<Record<ActorMeasure, number>>>;
  /** How they were computed: scope, method, estimate bounds, and their age when older than the latest writes. */
  note: string;
}

export type ActorMeasures = (db: Database, request: MeasureRequest, budgetMs: number) => Promise<MeasuredActors>;
