import { Injectable } from '@nestjs/common';
import { QueueProbe } from './queue-probe';

/** Worker counts older than this are refreshed (in the background when a request needs them). */
const FRESH_FOR_MS = 2000;

/** Queue name → workers connected to it. */
export type WorkerCounts = Record<string, number>;

/**
 * How many workers serve each queue (from the queue probe, so a `CLIENT LIST` per call): read
 * by `/health`, and by the run starter to tell a stream at once that nobody serves its mode
 * yet. Cached briefly, so a burst of runs does not become a burst of `CLIENT LIST`s.
 */
@Injectable()
export class WorkerPresence {
  private cached: { counts: WorkerCounts; at: number } | null = null;
  private refreshing: Promise<WorkerCounts> | null = null;

  constructor(private readonly probe: QueueProbe) {}

  /** Fresh counts (for `/health`). */
  async counts(): Promise<WorkerCounts> {
    this.refreshing ??= this.read().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  /**
   * The queues among `needed` with no worker. Counts at most a moment old are trusted; older
   * ones only when they say every queue is served (refreshed in the background): a stale "no
   * worker" is read again before it is said, since a worker may have started meanwhile and the
   * warning would be false.
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

  private async read(): Promise<WorkerCounts> {
    const samples = await this.probe.sample();
    const counts: WorkerCounts = Object.fromEntries(samples.map((s) => [s.queue, s.workers]));
    this.cached = { counts, at: Date.now() };
    return counts;
  }
}
