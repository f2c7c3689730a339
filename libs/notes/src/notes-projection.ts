import type { Redis } from 'ioredis';
import { keys, type NotesLogEntry } from '@koda/contracts';
import { NotesIndex } from './notes-index';
import { parseLogEntry, readNotesLog, type NotesLogger, type RawStreamEntry } from './notes-log';

export interface NotesProjectionOptions {
  /** Connection for the initial read (shared is fine: it never blocks). */
  redis: Redis;
  prefix: string;
  /**
   * Connection dedicated to the blocking XREAD; `redis.duplicate()` when omitted. Either way
   * the projection owns it and disconnects it on `stop()`: a blocked connection cannot serve
   * anyone else anyway.
   */
  blockingRedis?: Redis;
  index?: NotesIndex;
  logger?: NotesLogger;
  /** How long one XREAD blocks; bounds how late `stop()` would notice without a disconnect. */
  blockMs?: number;
  /** Pause before retrying after a read error (Redis restarting, network blip), when no `backoff`. */
  retryDelayMs?: number;
  /** Called with every entry folded, after the index (e.g. to embed notes as they arrive). */
  onEntry?: (entry: NotesLogEntry) => void;
  /**
   * How long to wait after each consecutive read error (`Backoff` from @koda/platform: exponential,
   * capped); without it, a fixed `retryDelayMs`.
   */
  backoff?: RetryBackoff;
}

/** The part of @koda/platform's `Backoff` the follower uses (this lib does not depend on platform). */
export interface RetryBackoff {
  fail(): number;
  succeed(): boolean;
}

/**
 * Folds the notes log into a `NotesIndex`, then follows it live, so a note added through any
 * replica is searchable on every replica within one XREAD round-trip.
 */
export class NotesProjection {
  readonly index: NotesIndex;
  private readonly redis: Redis;
  private readonly blocking: Redis;
  private readonly key: string;
  private readonly logger?: NotesLogger;
  private readonly blockMs: number;
  private readonly retryDelayMs: number;
  private lastId = '0-0';
  private stopped = false;
  private started = false;
  private loop: Promise<void> | null = null;
  private readonly readyPromise: Promise<void>;
  private settleReady!: (error?: unknown) => void;

  constructor(private readonly options: NotesProjectionOptions) {
    this.redis = options.redis;
    this.blocking = options.blockingRedis ?? options.redis.duplicate();
    this.key = keys.notesLog(options.prefix);
    this.index = options.index ?? new NotesIndex();
    this.logger = options.logger;
    this.blockMs = options.blockMs ?? 5_000;
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
    this.readyPromise = new Promise<void>((resolve, reject) => {
      this.settleReady = (error) => (error === undefined ? resolve() : reject(error));
    });
    // Callers may only ever await start(); an unobserved rejection must not crash the process.
    this.readyPromise.catch(() => undefined);
  }

  /** Resolves once the whole log as of `start()` has been folded; rejects if that read fails. */
  get ready(): Promise<void> {
    return this.readyPromise;
  }

  get size(): number {
    return this.index.size;
  }

  /** The stream id of the last entry folded: how far this replica has caught up. */
  get position(): string {
    return this.lastId;
  }

  /** Catch up with the log, then follow it. Idempotent: later calls return the same promise. */
  start(): Promise<void> {
    if (this.started) return this.readyPromise;
    this.started = true;
    this.catchUp().then(
      () => {
        this.settleReady();
        if (!this.stopped) this.loop = this.follow();
      },
      (error: unknown) => this.settleReady(error ?? new Error('notes log read failed')),
    );
    return this.readyPromise;
  }

  private async catchUp(): Promise<void> {
    const { entries, lastId } = await readNotesLog(this.redis, this.options.prefix, {
      logger: this.logger,
    });
    this.index.applyAll(entries.map((e) => e.entry));
    for (const { entry } of entries) this.options.onEntry?.(entry);
    this.lastId = lastId;
  }

  /** Follows the log; a failing read is retried with backoff, logged once when it starts and once when it recovers. */
  private async follow(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        const reply = await this.blocking.xread('BLOCK', this.blockMs, 'STREAMS', this.key, this.lastId);
        this.options.backoff?.succeed();
        if (failures > 0) this.logger?.warn({ stream: this.key, failures }, 'notes log readable again');
        failures = 0;
        if (reply) this.foldPage(reply[0][1]);
      } catch (err) {
        if (this.stopped) return;
        failures += 1;
        if (failures === 1) this.logger?.warn({ err: String(err), stream: this.key }, 'notes log read failed; retrying with backoff');
        await delay(this.options.backoff?.fail() ?? this.retryDelayMs);
      }
    }
  }

  private foldPage(page: RawStreamEntry[]): void {
    for (const raw of page) {
      const parsed = parseLogEntry(raw, this.logger);
      if (parsed) {
        this.index.apply(parsed.entry);
        this.options.onEntry?.(parsed.entry);
      }
      this.lastId = raw[0];
    }
  }

  /** Stop following and close the blocking connection; resolves when the loop has exited. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    // disconnect() rejects the pending XREAD at once instead of waiting out BLOCK.
    const closed = connectionEnded(this.blocking);
    this.blocking.disconnect();
    await closed;
    if (!this.started) return;
    await this.readyPromise.catch(() => undefined);
    await this.loop;
  }
}

/** Resolves when the connection has fully closed (bounded: a close must never hang a shutdown). */
function connectionEnded(redis: Redis): Promise<void> {
  if (redis.status === 'end') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 1_000).unref();
    redis.once('end', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
