import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { Backoff, sleepFor } from '@koda/platform';
import type { RawStreamEntry } from './relay-entry';
import type { ReaderCallbacks, ReadTarget } from './stream-reader-loop';

/**
 * The relay's reader on a Redis Cluster. One `XREAD` may only name keys of one hash slot, and
 * every run log has a slot of its own (`{run_id}`), so the single-Redis design (one blocking
 * `XREAD` over every open stream) cannot exist there; a blocking read per slot would need a
 * connection per open stream. Instead this loop reads streams with non-blocking
 * `XREAD … STREAMS key cursor` through the shared cluster client, which routes every read to
 * the master owning its slot over that master's one connection and follows MOVED/ASK while
 * slots move: the connection count is the number of masters, whatever the number of streams.
 *
 * What it reads: a stream whose writer rang its wake channel (`ring`), at once, and again
 * until a read finds nothing; every stream, every `pollMs` (and when a stream joins, `wake`),
 * so an event whose ring was lost is late by at most `pollMs`, never missing.
 *
 * Reads are by cursor, as on a single Redis: a read failed or re-sent during a reshard or a
 * failover is read again from the same cursor, so nothing is lost nor delivered twice.
 *
 * The doorbell relay uses it as its repair and safety reader, on a single Redis too: `ring`
 * repairs a gap at once, and the full rounds read only the streams `due` says are quiet
 * (`batched`: on a single Redis, one multi-key `XREAD` per round, whatever the number of streams).
 */
export interface PollingOptions<Owner> {
  /** Full rounds read only the targets this accepts (rung targets are always read). */
  due?(target: ReadTarget<Owner>): boolean;
  /** Reads every target with one multi-key `XREAD` (single Redis only). */
  batched?: boolean;
}

export class PollingReaderLoop<Owner = unknown> {
  private running = false;
  private waiting: AbortController | null = null;
  private done: Promise<void> = Promise.resolve();
  private readonly outage = new Backoff({ initialMs: 100, maxMs: 5000 });
  /** Streams to read at once (rung, or still yielding entries). */
  private readonly rung = new Set<Owner>();
  private nextFullRound = 0;

  constructor(
    private readonly reader: Redis,
    private readonly pollMs: number,
    private readonly callbacks: ReaderCallbacks<Owner>,
    private readonly logger: Logger,
    private readonly name: string,
    private readonly options: PollingOptions<Owner> = {},
  ) {}

  start(): void {
    this.running = true;
    this.done = this.loop();
  }

  /** Makes the loop read all of its targets now (a stream joined). */
  wake(): void {
    this.nextFullRound = 0;
    this.waiting?.abort();
  }

  /** A writer rang this stream: read it now. */
  ring(owner: Owner): void {
    this.rung.add(owner);
    this.waiting?.abort();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.waiting?.abort();
    await this.done;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const all = this.callbacks.targets();
      const full = Date.now() >= this.nextFullRound;
      if (full) this.nextFullRound = Date.now() + this.pollMs;
      const due = this.options.due;
      const targets = all.filter((target) => this.rung.has(target.owner) || (full && (!due || due(target))));
      this.rung.clear();
      if (targets.length > 0) await this.readOnce(targets);
      if (this.rung.size > 0 || !this.running) continue;
      this.waiting = new AbortController();
      await sleepFor(Math.max(0, this.nextFullRound - Date.now()), this.waiting.signal);
      this.waiting = null;
    }
  }

  /** Reads the targets once; a target that returned entries is read again at once. */
  private async readOnce(targets: ReadTarget<Owner>[]): Promise<void> {
    if (this.options.batched) return this.readBatch(targets);
    const results = await Promise.allSettled(
      targets.map((target) => this.reader.xread('COUNT', 1000, 'STREAMS', target.key, target.cursor) as Promise<[string, RawStreamEntry[]][] | null>),
    );
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
      this.rung.add(targets[i].owner);
      this.callbacks.onEntries(targets[i], entries);
    });
    if (lost) return this.backOff(lost);
    this.recovered();
    for (const { target, error } of refused) await this.callbacks.onRefused([target], error);
  }

  /** One non-blocking `XREAD` naming every target (single Redis only: keys of many slots). */
  private async readBatch(targets: ReadTarget<Owner>[]): Promise<void> {
    let result: [string, RawStreamEntry[]][] | null;
    try {
      result = await this.reader.xread('COUNT', 1000, 'STREAMS', ...targets.map((t) => t.key), ...targets.map((t) => t.cursor));
    } catch (err) {
      if ((err as Error).name !== 'ReplyError') return this.backOff(err as Error);
      this.recovered();
      return this.callbacks.onRefused(targets, err as Error);
    }
    this.recovered();
    const byKey = new Map(targets.map((target) => [target.key, target]));
    for (const [key, entries] of result ?? []) {
      const target = byKey.get(key);
      if (!target || entries.length === 0) continue;
      this.rung.add(target.owner);
      this.callbacks.onEntries(target, entries);
    }
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
