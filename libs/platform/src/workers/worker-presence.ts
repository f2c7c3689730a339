import type { RunEventDraft } from '@koda/contracts';

/** Queue name → workers connected to it. */
export type WorkerCounts = Record<string, number>;

/** Worker counts older than this are refreshed (in the background when they say every queue is served). */
const FRESH_FOR_MS = 2000;

/**
 * How many workers serve each queue, cached briefly so a burst of runs does not become a burst
 * of `CLIENT LIST`s. A stale "no worker" is read again before it is believed: a worker may have
 * started meanwhile, and a run would be told nobody serves it when somebody does.
 */
export class WorkerPresence {
  private cached: { counts: WorkerCounts; at: number } | null = null;
  private refreshing: Promise<WorkerCounts> | null = null;

  constructor(private readonly read: () => Promise<WorkerCounts>) {}

  /** Fresh counts (for `/health`). */
  async counts(): Promise<WorkerCounts> {
    this.refreshing ??= this.read()
      .then((counts) => {
        this.cached = { counts, at: Date.now() };
        return counts;
      })
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /**
   * The queues among `needed` with no worker. Counts at most a moment old are trusted; older
   * ones only when they say every queue is served (refreshed in the background).
   */
  async missing(needed: string[]): Promise<string[]> {
    const cached = this.cached;
    const missingIn = (counts: WorkerCounts) => needed.filter((q) => counts[q] === 0);
    if (cached && Date.now() - cached.at <= FRESH_FOR_MS) return missingIn(cached.counts);
    if (cached && missingIn(cached.counts).length === 0) {
      void this.counts().catch(() => undefined);
      return [];
    }
    return missingIn(await this.counts());
  }
}

/** What a run's stream is told at once when no worker serves a queue its run needs (not fatal: one may start). */
export function noWorkerNotice(missing: string[]): RunEventDraft {
  const message = `No worker serves ${missing.join(' and ')} right now: the answer starts as soon as one is up, or the run ends at its deadline.`;
  return { type: 'error', code: 'no_worker', message, fatal: false };
}
