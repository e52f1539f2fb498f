/*
 * The imports running in this process and the units they have written, for the operator's metrics (the gateway's
 * /metrics reads them: imports sent through the API run there; `npm run import` prints its own progress).
 */

export type ImportKind = 'iati' | 'ocds' | 'ogp';

export interface RunningImport {
  kind: ImportKind;
  file: string;
  stage: string;
  done: number;
  unit: string;
}

const running = new Set<RunningImport>();
/** Units done by finished and running imports, per kind and unit ("iati activities"). */
const totals = new Map<string, number>();

export interface ImportTracker {
  update(stage: string, done: number): void;
  end(): void;
}

/** Starts tracking one import of one file: `update` with its progress, `end` when it stops (done or failed). */
export function trackImport(kind: ImportKind, file: string, unit: string): ImportTracker {
  const entry: RunningImport = { kind, file, stage: 'reading', done: 0, unit };
  running.add(entry);
  const key = `${kind} ${unit}`;
  return {
    update(stage: string, done: number) {
      // Only what was written counts as done: reading a file twice (check, then write) must not count it twice.
      if (stage === 'writing' && done > entry.done) totals.set(key, (totals.get(key) ?? 0) + done - entry.done);
      entry.stage = stage;
      if (stage === 'writing') entry.done = done;
    },
    end() {
      running.delete(entry);
    },
  };
}

/** Runs one import of one file with a tracker that ends however the import does. */
export async function withImportTracking<T>(
  kind: ImportKind,
  file: string,
  unit: string,
  work: (tracker: ImportTracker) => Promise<T>,
): Promise<T> {
  const tracker = trackImport(kind, file, unit);
  try {
    return await work(tracker);
  } finally {
    tracker.end();
  }
}

/** What is running now, and the units written so far per "kind unit". */
export function importActivity(): { running: RunningImport[]; written: ReadonlyMap<string, number> } {
  return { running: [...running], written: totals };
}
