export interface BackoffOptions {
  /** First delay, before jitter (default 100 ms). */
  initialMs?: number;
  /** No delay exceeds this, before jitter (default 10 s). */
  maxMs?: number;
  /** Growth per consecutive failure (default 2). */
  factor?: number;
  /** Source of randomness for the jitter (tests pass a fixed one). */
  random?: () => number;
}

/**
 * Exponential backoff with a cap and "equal jitter", for any loop that retries Redis (stream
 * readers, BullMQ fetches, followers, reconnections). One instance per loop:
 *
 * - `fail()` records a failure and returns how long to wait before the next try;
 * - `succeed()` resets it, and says whether the loop was failing (to log the recovery once);
 * - `failing` / `failures` tell the state, so a loop logs when it starts failing and when it
 *   recovers rather than once per failure.
 *
 * The delay after failure n (1-based) is half of min(maxMs, initialMs·factor^(n−1)) plus a
 * random share of the other half: never zero, never above the cap, and replicas hitting the
 * same outage do not retry in lockstep.
 */
export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly random: () => number;
  private count = 0;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 100;
    this.maxMs = options.maxMs ?? 10_000;
    this.factor = options.factor ?? 2;
    this.random = options.random ?? Math.random;
  }

  /** Consecutive failures since the last success. */
  get failures(): number {
    return this.count;
  }

  get failing(): boolean {
    return this.count > 0;
  }

  /** The delay the next `fail()` would start from, before jitter (for logs). */
  get cappedDelayMs(): number {
    return Math.min(this.maxMs, this.initialMs * this.factor ** Math.max(0, this.count - 1));
  }

  /** Records a failure; returns the wait before the next try. */
  fail(): number {
    this.count += 1;
    const capped = this.cappedDelayMs;
    return Math.round(capped / 2 + this.random() * (capped / 2));
  }

  /** Records a success; true when this ends a run of failures (the moment to log a recovery). */
  succeed(): boolean {
    const wasFailing = this.count > 0;
    this.count = 0;
    return wasFailing;
  }
}

/** Waits `ms`, or less when `signal` aborts (resolves either way; the caller checks the signal). */
export function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts: number;
  backoff?: BackoffOptions;
  /** Whether a failure is worth another try (default: every failure). */
  retryable?(err: unknown): boolean;
  /** Told before each wait, with the failure and the wait. */
  onRetry?(err: unknown, attempt: number, delayMs: number): void;
}

/** Runs `attempt` until it succeeds, waiting with backoff between tries; the last failure is thrown. */
export async function withRetries<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const backoff = new Backoff(options.backoff);
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (err) {
      if (tried >= options.attempts || options.retryable?.(err) === false) throw err;
      const delayMs = backoff.fail();
      options.onRetry?.(err, tried, delayMs);
      await sleepFor(delayMs);
    }
  }
}

/** A failure another try may cure: a lost connection or a timed-out command, not a refusal (`ReplyError`). */
export const isTransientRedisError = (err: unknown): boolean => (err as Error | undefined)?.name !== 'ReplyError';
