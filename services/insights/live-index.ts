import type { Database } from '../shared/database';
import { CollaborationIndex } from './collaboration-index';
import * as repo from './repository';

/** How long journal entries are kept; an index that has not looked for longer reloads instead. */
const RETENTION_MS = 60 * 60 * 1000;
/** Refreshes are sent to Neo4j in batches of this many entities. */
const REFRESH_BATCH = 500;

export interface LiveIndexOptions {
  /** The longest a write transaction can run (Neo4j's transaction timeout): journal reads overlap by this much,
   * since an entry is stamped when its transaction starts and becomes visible only when it commits. */
  transactionTimeoutMs: number;
  /** Time allowed to stream the whole graph at load. */
  loadTimeoutMs?: number;
  log?: (message: string) => void;
}

/**
 * The collaboration index of one database, kept current: loaded once, then before every question the change
 * journal (services/shared/graph-changes.ts) is read and the entities it names are re-read from Neo4j. A question
 * asked after a write has committed sees that write.
 */
export class LiveIndex {
  private index?: CollaborationIndex;
  private loading?: Promise<CollaborationIndex>;
  /** Journal entries already applied, by id, with their time (forgotten once outside the overlap). */
  private readonly applied = new Map<string, number>();
  /** Server time from which the journal must still be read. */
  private readFrom = 0;
  private lastLookedAt = 0;
  /** Server time at which the current index's snapshot was taken. */
  private loadedAt = 0;
  private lastPruned = 0;
  private inFlight?: Promise<void>;
  private queued?: Promise<void>;
  /** The refresh under way: refreshes run one after another, so an entity read earlier never lands after one read later. */
  private refreshing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly options: LiveIndexOptions,
  ) {}

  /** Whether a first load has completed. */
  get ready(): boolean {
    return this.index !== undefined;
  }

  /** The index as it stands, without reading the journal (it may be behind): undefined before the first load. */
  get asItStands(): CollaborationIndex | undefined {
    return this.index;
  }

  /** The index, current as of this call: loads it the first time, applies the journal every time. */
  async current(): Promise<CollaborationIndex> {
    if (!this.index) await this.load();
    await this.catchUp();
    return this.index!;
  }

  /** Makes sure these entities are in the index (re-read from Neo4j when unknown): the start of a question may
   * have been written by something that kept no journal. */
  async ensure(index: CollaborationIndex, ids: string[]): Promise<void> {
    const unknown = ids.filter((id) => index.indexOf(id) === undefined);
    if (unknown.length > 0) await this.refresh(index, unknown);
  }

  /** Starts loading in the background (at start-up), so the first question does not wait for it. */
  warm(): Promise<void> {
    return this.load().then(
      () => undefined,
      (error) => this.options.log?.(`collaboration index: load failed: ${(error as Error).message}`),
    );
  }

  private load(): Promise<CollaborationIndex> {
    this.loading ??= (async () => {
      try {
        const started = Date.now();
        const from = await repo.serverTime(this.db);
        const index = new CollaborationIndex();
        await repo.loadIndexRows(
          this.db,
          { node: (row) => index.addNode(row), edge: (row) => index.addEdge(row) },
          this.options.loadTimeoutMs ?? 30 * 60 * 1000,
        );
        index.compact();
        index.rankNames();
        index.actorsOf(''); // gathers actors by city now rather than in the first city question
        this.index = index;
        this.readFrom = from - this.options.transactionTimeoutMs;
        this.lastLookedAt = from;
        this.applied.clear();
        this.options.log?.(
          `collaboration index: ${index.nodeCount.toLocaleString()} nodes, ${index.edgeCount.toLocaleString()} links loaded in ${Date.now() - started} ms`,
        );
        // Entries from before the load are in the snapshot; re-applying the overlap is harmless, except whole reloads.
        this.loadedAt = from;
        return index;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  /**
   * One journal read at a time; a caller arriving during one waits for the next, which starts after its arrival.
   * A catch-up that fails (Neo4j down or restarting) changes nothing it has not finished: the entries it did not
   * mark applied are read again by the next one (re-reading an entity is idempotent), and the journal lives in Neo4j
   * with the data, so a database that crashed and came back is caught up without reloading the whole graph.
   */
  private catchUp(): Promise<void> {
    if (!this.inFlight) {
      this.inFlight = this.applyJournal().finally(() => {
        this.inFlight = undefined;
      });
      return this.inFlight;
    }
    this.queued ??= this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.catchUp();
      });
    return this.queued;
  }

  private async applyJournal(): Promise<void> {
    const { now, changes } = await repo.recentChanges(this.db, this.readFrom);
    if (now - this.lastLookedAt > RETENTION_MS - this.options.transactionTimeoutMs) {
      await this.load();
      return;
    }
    this.lastLookedAt = now;
    const entries = changes.filter((e) => !this.applied.has(e.id));
    if (entries.length > 0) {
      const contents = await repo.changeContents(
        this.db,
        entries.map((e) => e.id),
      );
      // A whole-graph marker is written alone, after its load, in a transaction that commits at once: one stamped
      // before our own load began is already in what we loaded.
      if (contents.some((c) => c.everything && c.at > this.loadedAt)) {
        await this.load();
      } else {
        await this.refresh(this.index!, [...new Set(contents.flatMap((c) => c.ids))]);
      }
      for (const e of entries) this.applied.set(e.id, e.at);
    }
    // Read from the overlap behind now; forget applied entries that can no longer come back.
    this.readFrom = Math.max(this.readFrom, now - this.options.transactionTimeoutMs - 1000);
    for (const [id, at] of this.applied) if (at < this.readFrom) this.applied.delete(id);
    if (now - this.lastPruned > 5 * 60 * 1000) {
      this.lastPruned = now;
      await repo.pruneChanges(this.db, now - RETENTION_MS).catch(() => undefined); // read-only users cannot prune
    }
  }

  private refresh(index: CollaborationIndex, ids: string[]): Promise<void> {
    const run = this.refreshing.catch(() => undefined).then(() => this.refreshNow(index, ids));
    this.refreshing = run;
    return run;
  }

  private async refreshNow(index: CollaborationIndex, ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += REFRESH_BATCH) {
      const rows = await repo.refreshRows(this.db, ids.slice(i, i + REFRESH_BATCH));
      for (const row of rows) {
        if (!row.node) {
          index.forget(row.id);
          continue;
        }
        index.addNode(row.node);
        index.dropEdgesOf(row.id);
      }
      for (const row of rows) {
        for (const edge of row.edges) {
          index.addNode(edge.other);
          index.addEdge(edge);
        }
      }
    }
  }
}

const live = new WeakMap<Database, LiveIndex>();

/** The one live index per database (per process). */
export function liveIndexFor(db: Database, options: LiveIndexOptions): LiveIndex {
  // Requests see tagged views of the database (their transactions name them): the index is the database's own.
  let found = live.get(db.root);
  if (!found) {
    found = new LiveIndex(db.root, options);
    live.set(db.root, found);
  }
  return found;
}
