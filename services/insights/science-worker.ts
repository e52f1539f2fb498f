import { resolve } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../shared/errors';
import {
  brokerageRoles,
  centralityScores,
  louvainCommunities,
  packProjection,
  periodOf,
  rankScores,
  structuralHoles,
  unpackProjection,
  type BrokerageRoles,
  type CentralityMeasure,
  type Estimate,
  type NetworkPeriod,
  type PackedProjection,
  type Partition,
  type Projection,
  type StructuralHoles,
} from './network-science';

/*
 * Whole-graph measures run in a worker thread: betweenness over thousands of actors, Louvain or Burt's constraint
 * take seconds of CPU, and on the main thread they would stop every other request (and the timer that answers
 * QUERY_TIMEOUT) for that long. The main thread projects the scope from the collaboration index, hands the worker
 * the ties as flat arrays, and keeps serving. One worker, jobs in turn: on a small machine the other core serves.
 * A worker that dies fails its jobs and is started afresh for the next one.
 */

export type ScienceJob =
  | { kind: 'centrality'; projection: PackedProjection; measure: CentralityMeasure }
  | { kind: 'communities'; projection: PackedProjection }
  | { kind: 'holes'; projection: PackedProjection }
  | { kind: 'brokerage'; projection: PackedProjection; groups: Array<string | null> }
  | { kind: 'evolution'; years: Array<{ year: number; projection: PackedProjection }> };

/** Runs one job (in the worker). */
export function runScienceJob(job: ScienceJob): unknown {
  switch (job.kind) {
    case 'centrality': {
      const { scores, estimate } = centralityScores(unpackProjection(job.projection).graph, job.measure);
      return { ranked: rankScores(scores), estimate };
    }
    case 'communities':
      return louvainCommunities(unpackProjection(job.projection).graph);
    case 'holes':
      return structuralHoles(unpackProjection(job.projection).graph).sort(
        (a, b) => a.constraint - b.constraint || b.effectiveSize - a.effectiveSize || (a.id < b.id ? -1 : 1),
      );
    case 'brokerage':
      return brokerageRoles(unpackProjection(job.projection), (i) => job.groups[i]);
    case 'evolution':
      return job.years.map(({ year, projection }) => periodOf(year, unpackProjection(projection).graph));
  }
}

const ROLE = 'ogp-network-science';

if (!isMainThread && (workerData as { role?: string } | undefined)?.role === ROLE) {
  parentPort!.on('message', ({ id, job }: { id: number; job: ScienceJob }) => {
    try {
      parentPort!.postMessage({ id, result: runScienceJob(job) });
    } catch (error) {
      const failure =
        error instanceof AppError
          ? { code: error.code, message: error.message, extensions: error.extensions }
          : { message: error instanceof Error ? error.message : String(error) };
      parentPort!.postMessage({ id, error: failure });
    }
  });
}

/* ---- The main thread's side ---- */

type Failure = { code?: ErrorCode; message: string; extensions?: Record<string, unknown> };

let worker: Worker | undefined;
const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
let nextJob = 0;

function scienceWorker(): Worker {
  if (worker) return worker;
  // Run from TypeScript (tests, benches), the worker needs the same loader as this process.
  const execArgv = __filename.endsWith('.ts') ? ['-r', resolve(__dirname, '../../test/support/ts-register.js')] : [];
  const started = new Worker(__filename, { workerData: { role: ROLE }, execArgv });
  const stop = (error: Error) => {
    if (worker === started) worker = undefined;
    for (const job of pending.values()) job.reject(error);
    pending.clear();
  };
  started.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: Failure }) => {
    const job = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) started.unref(); // idle: never what keeps a process alive
    if (!job) return;
    if (!error) job.resolve(result);
    else job.reject(error.code ? new AppError(error.code, error.message, error.extensions) : new Error(error.message));
  });
  started.on('error', stop);
  started.on('exit', (code) => stop(new Error(`the network-science worker stopped (exit code ${code})`)));
  return (worker = started);
}

function inWorker<T>(job: ScienceJob): Promise<T> {
  const thread = scienceWorker();
  const id = nextJob++;
  thread.ref();
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    thread.postMessage({ id, job });
  });
}

/** Stops the worker (tests, shutdown); the next job starts a new one. */
export async function stopScienceWorker(): Promise<void> {
  const running = worker;
  worker = undefined;
  await running?.terminate();
}

export const centralityInWorker = (projection: Projection, measure: CentralityMeasure) =>
  inWorker<{ ranked: Array<{ id: string; score: number; rank: number }>; estimate?: Estimate }>({
    kind: 'centrality',
    projection: packProjection(projection),
    measure,
  });

export const communitiesInWorker = (projection: Projection) =>
  inWorker<Partition>({ kind: 'communities', projection: packProjection(projection) });

export const holesInWorker = (projection: Projection) =>
  inWorker<StructuralHoles[]>({ kind: 'holes', projection: packProjection(projection) });

/** Brokerage roles by position, the groups given per position (the index stays on the main thread). */
export const brokerageInWorker = (projection: Projection, groupOf: (actor: number) => string | null) =>
  inWorker<BrokerageRoles[]>({ kind: 'brokerage', projection: packProjection(projection), groups: projection.actors.map(groupOf) });

export const evolutionInWorker = (years: Array<{ year: number; projection: Projection }>) =>
  inWorker<NetworkPeriod[]>({
    kind: 'evolution',
    years: years.map(({ year, projection }) => ({ year, projection: packProjection(projection) })),
  });
