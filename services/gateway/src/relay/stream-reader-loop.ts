import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { ORIGIN_ID } from '@koda/contracts';
import { Backoff } from '@koda/platform';
import type { RawStreamEntry } from './relay-entry';

/** One stream to read, at the cursor the read is issued for; `owner` is who asked for it. */
export interface ReadTarget<Owner = unknown> {
  key: string;
  cursor: string;
  owner: Owner;
}

export interface ReaderCallbacks<Owner> {
  /** What to read now. */
  targets(): ReadTarget<Owner>[];
  /** Entries read for exactly that target (same owner, same cursor it was issued with). */
  onEntries(target: ReadTarget<Owner>, entries: RawStreamEntry[]): void;
  /**
   * Redis refused the read as a whole (a reply error, not a lost connection): one of the
   * targets is bad. The callee isolates it; the loop re-reads at once.
   */
  onRefused(targets: ReadTarget<Owner>[], error: Error): Promise<void>;
}

/**
 * One blocking connection reading many run logs at once: `XREAD BLOCK … STREAMS k1 … kn`.
 * A new stream joins the read set by a write to this loop's own tiny wake stream, which the
 * blocking read always includes: the read returns and is re-issued with the new key. Unlike
 * `CLIENT UNBLOCK`, this cannot race with a read that has not reached Redis yet.
 * A lost connection is retried with a capped exponential backoff, logged once per outage.
 */
export class StreamReaderLoop<Owner = unknown> {
  private running = false;
  private wakeCursor = ORIGIN_ID;
  private idle: (() => void) | null = null;
  private wakeQueued = false;
  private done: Promise<void> = Promise.resolve();
  private readonly outage = new Backoff({ initialMs: 100, maxMs: 5000 });

  constructor(
    private readonly reader: Redis,
    private readonly writer: Redis,
    private readonly wakeKey: string,
    private readonly callbacks: ReaderCallbacks<Owner>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.running = true;
    this.done = this.loop();
  }

  /** Makes the loop re-read its targets now. */
  wake(): void {
    if (this.idle) {
      this.idle();
      this.idle = null;
      return;
    }
    // Streams opened in the same turn of the event loop share one wake (one write, one re-read).
    if (this.wakeQueued) return;
    this.wakeQueued = true;
    setImmediate(() => {
      this.wakeQueued = false;
      // Stopped meanwhile: a late wake would re-create the wake key `stop()` deleted.
      if (!this.running) return;
      this.writer.xadd(this.wakeKey, 'MAXLEN', '1', '*', 'w', '1').catch(() => undefined);
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    this.idle?.();
    this.reader.disconnect();
    await this.done;
    await this.writer.del(this.wakeKey).catch(() => undefined);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const targets = this.callbacks.targets();
      if (targets.length === 0) {
        await new Promise<void>((resolve) => (this.idle = resolve));
        continue;
      }
      await this.readOnce(targets);
    }
  }

  private async readOnce(targets: ReadTarget<Owner>[]): Promise<void> {
    const keys = [this.wakeKey, ...targets.map((t) => t.key)];
    const ids = [this.wakeCursor, ...targets.map((t) => t.cursor)];
    try {
      const result = await this.reader.xread('COUNT', 1000, 'BLOCK', 10_000, 'STREAMS', ...keys, ...ids);
      this.recovered();
      for (const [key, entries] of result ?? []) {
        if (key === this.wakeKey) this.wakeCursor = entries[entries.length - 1][0];
        else this.deliver(targets, key, entries);
      }
    } catch (err) {
      if (!this.running) return;
      if ((err as Error).name === 'ReplyError') {
        this.recovered();
        await this.callbacks.onRefused(targets, err as Error);
        return;
      }
      await this.backOff(err as Error);
    }
  }

  private deliver(targets: ReadTarget<Owner>[], key: string, entries: RawStreamEntry[]): void {
    const target = targets.find((t) => t.key === key);
    if (target) this.callbacks.onEntries(target, entries);
  }

  private async backOff(err: Error): Promise<void> {
    const delayMs = this.outage.fail();
    if (this.outage.failures === 1) this.logger.warn({ err: err.message, wake_key: this.wakeKey }, 'relay reader lost Redis; retrying with backoff');
    await new Promise((r) => setTimeout(r, delayMs));
  }

  private recovered(): void {
    const failures = this.outage.failures;
    if (this.outage.succeed()) this.logger.info({ failures, wake_key: this.wakeKey }, 'relay reader reading again');
  }
}
