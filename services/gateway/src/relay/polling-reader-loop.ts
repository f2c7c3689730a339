import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { Backoff, sleepFor } from '@koda/platform';
import type { RawStreamEntry } from './relay-entry';
import type { ReaderCallbacks, ReadTarget } from './stream-reader-loop';

/**
 * The relay's reader on a Redis Cluster. One `XREAD` may only name keys of one hash slot, and
 * every run log has a slot of its own (`{run_id}`), so the single-Redis design (one blocking
 * `XREAD` over every open stream) cannot exist there; a blocking read per slot would need a
 * connection per open stream. Instead this loop reads each of its streams with a non-blocking
 * `XREAD … STREAMS key cursor` through the shared cluster client, which routes every read to
 * the master owning its slot over that master's one connection and follows MOVED/ASK while
 * slots move: the connection count is the number of masters, whatever the number of streams.
 * A round that returns nothing waits `pollMs` (or until `wake()`), so a busy stream is read
 * again at once and an idle one costs one tiny read per `pollMs`.
 *
 * Reads are by cursor, as on a single Redis: a read failed or re-sent during a reshard or a
 * failover is read again from the same cursor, so nothing is lost nor delivered twice.
 */
export class PollingReaderLoop<Owner = unknown> {
  private running = false;
  private waiting: AbortController | null = null;
  private done: Promise<void> = Promise.resolve();
  private readonly outage = new Backoff({ initialMs: 100, maxMs: 5000 });

  constructor(
    private readonly reader: Redis,
    private readonly pollMs: number,
    private readonly callbacks: ReaderCallbacks<Owner>,
    private readonly logger: Logger,
    private readonly name: string,
  ) {}

  start(): void {
    this.running = true;
    this.done = this.loop();
  }

  /** Makes the loop read its targets now. */
  wake(): void {
    this.waiting?.abort();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.waiting?.abort();
    await this.done;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const targets = this.callbacks.targets();
      const got = targets.length > 0 ? await this.readOnce(targets) : false;
      if (got || !this.running) continue;
      this.waiting = new AbortController();
      await sleepFor(this.pollMs, this.waiting.signal);
      this.waiting = null;
    }
  }

  /** Reads every target once; true when any returned entries. */
  private async readOnce(targets: ReadTarget<Owner>[]): Promise<boolean> {
    const results = await Promise.allSettled(
      targets.map((target) => this.reader.xread('COUNT', 1000, 'STREAMS', target.key, target.cursor) as Promise<[string, RawStreamEntry[]][] | null>),
    );
    let got = false;
    let lost: Error | null = null;
    const refused: { target: ReadTarget<Owner>; error: Error }[] = [];
    results.forEach((result, i) => {
      if (result.status === 'rejected') {
        const error = result.reason as Error;
        if (error?.name === 'ReplyError') refused.push({ target: targets[i], error });
        else lost = error;
        return;
      }
      const entries = result.value?.[0]?.[1] ?? [];
      if (entries.length === 0) return;
      got = true;
      this.callbacks.onEntries(targets[i], entries);
    });
    if (lost) {
      await this.backOff(lost);
      return false;
    }
    this.recovered();
    for (const { target, error } of refused) await this.callbacks.onRefused([target], error);
    return got;
  }

  private async backOff(err: Error): Promise<void> {
    const delayMs = this.outage.fail();
    if (this.outage.failures === 1) this.logger.warn({ err: err.message, reader: this.name }, 'relay reader lost Redis; retrying with backoff');
    await sleepFor(delayMs);
  }

  private recovered(): void {
    const failures = this.outage.failures;
    if (this.outage.succeed()) this.logger.info({ failures, reader: this.name }, 'relay reader reading again');
  }
}
