import type { EmbeddedConfig } from '../services/shared/config';
import { startEmbeddedNeo4j, type RunningNeo4j } from './launcher';

/** What the supervisor tells the rest of the server: the database went away, and came back. */
export interface AvailabilityListener {
  down(reason: string, retryAfterSeconds: number): void;
  up(): void;
}

export interface SupervisedNeo4j {
  uri: string;
  /** The pid of the Neo4j running now (it changes with every restart). */
  readonly pid: number;
  /** Stops supervising and shuts Neo4j down cleanly. */
  stop(): Promise<void>;
}

/** Waits before restart attempt n (1-based): 1, 2, 4, 8, 16, then 30 s. */
export const restartDelayMs = (attempt: number): number => Math.min(30_000, 1000 * 2 ** (attempt - 1));

/** A Neo4j that stayed up this long is healthy again: the next crash starts the back-off from the beginning. */
const HEALTHY_AFTER_MS = 60_000;

/**
 * Runs the embedded Neo4j and keeps it running: when the process dies (killed, out of memory), the log says so at
 * once with the cause and Neo4j's last lines, `listener.down` makes requests fail fast instead of waiting on a
 * dead socket, and Neo4j is started again on the same store and port with back-off; `listener.up` when it answers.
 * Committed data survives: Neo4j recovers its transaction log on start.
 */
export async function superviseEmbeddedNeo4j(
  settings: EmbeddedConfig,
  auth: { user: string; password: string },
  log: (line: string) => void,
  listener: AvailabilityListener,
): Promise<SupervisedNeo4j> {
  let current: RunningNeo4j = await startEmbeddedNeo4j(settings, auth, log);
  let stopped = false;
  let attempt = 0;
  let startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;

  const watch = (running: RunningNeo4j) => {
    void running.died.then(({ cause, lastLines }) => {
      if (stopped) return;
      if (Date.now() - startedAt >= HEALTHY_AFTER_MS) attempt = 0;
      const delay = restartDelayMs(++attempt);
      log(
        `Neo4j (pid ${running.pid}) died: ${cause}. Restarting in ${delay / 1000} s (attempt ${attempt}).${lastLines ? `\nLast lines of its log:\n${lastLines}` : ''}`,
      );
      listener.down(`the embedded Neo4j died (${cause}) and is restarting`, Math.ceil(delay / 1000) + 10);
      schedule(delay);
    });
  };

  const schedule = (delay: number) => {
    timer = setTimeout(() => void restart(), delay);
  };

  const restart = async () => {
    if (stopped) return;
    try {
      const next = await startEmbeddedNeo4j(settings, auth, log);
      if (stopped) return void (await next.stop());
      current = next;
      startedAt = Date.now();
      log(`Neo4j is back (pid ${next.pid}) after attempt ${attempt}.`);
      watch(next);
      listener.up();
    } catch (error) {
      const delay = restartDelayMs(++attempt);
      log(`Neo4j did not start (attempt ${attempt - 1}): ${(error as Error).message.split('\n')[0]}. Trying again in ${delay / 1000} s.`);
      schedule(delay);
    }
  };

  watch(current);
  return {
    uri: current.uri,
    get pid() {
      return current.pid;
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await current.stop();
    },
  };
}
