import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { RawStreamEntry } from './relay-entry';
import { ORIGIN_ID } from './stream-ids';

export interface ReadTarget {
  key: string;
  cursor: string;
}

/**
 * One blocking connection reading many run logs at once: `XREAD BLOCK … STREAMS k1 … kn`.
 * A new stream joins the read set by a write to this loop's own tiny wake stream, which the
 * blocking read always includes: the read returns and is re-issued with the new key. Unlike
 * `CLIENT UNBLOCK`, this cannot race with a read that has not reached Redis yet.
 */
export class StreamReaderLoop {
  private running = false;
  private wakeCursor = ORIGIN_ID;
  private idle: (() => void) | null = null;
  private wakeQueued = false;
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly reader: Redis,
    private readonly writer: Redis,
    private readonly wakeKey: string,
    private readonly targets: () => ReadTarget[],
    private readonly onEntries: (key: string, entries: RawStreamEntry[]) => void,
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
      this.writer.xadd(this.wakeKey, 'MAXLEN', '1', '*', 'w', '1').catch((err) => this.logger.warn({ err }, 'relay wake failed'));
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
      const targets = this.targets();
      if (targets.length === 0) {
        await new Promise<void>((resolve) => (this.idle = resolve));
        continue;
      }
      await this.readOnce(targets);
    }
  }

  private async readOnce(targets: ReadTarget[]): Promise<void> {
    const keys = [this.wakeKey, ...targets.map((t) => t.key)];
    const ids = [this.wakeCursor, ...targets.map((t) => t.cursor)];
    try {
      const result = (await this.reader.xread('COUNT', 1000, 'BLOCK', 10_000, 'STREAMS', ...keys, ...ids)) as [string, RawStreamEntry[]][] | null;
      for (const [key, entries] of result ?? []) {
        if (key === this.wakeKey) this.wakeCursor = entries[entries.length - 1][0];
        else this.onEntries(key, entries);
      }
    } catch (err) {
      if (!this.running) return;
      this.logger.warn({ err }, 'relay read failed; retrying');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
