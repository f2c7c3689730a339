/** How a dropped stream is retried: exponential, jittered, bounded in delay and in attempts. */
export interface BackoffOptions {
  /** First delay, before jitter. */
  initialDelayMs: number;
  /** No delay exceeds this, before jitter. */
  maxDelayMs: number;
  factor: number;
  /** Consecutive failed connections (with no new event) after which the client gives up. */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 300, maxDelayMs: 8_000, factor: 2, maxAttempts: 10 };

/**
 * The delay before reconnection number `attempt` (0-based). "Equal jitter": half the capped
 * exponential delay, plus a random share of the other half, so a gateway restart does not see
 * every client come back in the same millisecond, yet no client retries immediately.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const capped = Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** Math.max(0, attempt));
  return Math.round(capped / 2 + random() * (capped / 2));
}

/** Waits `ms`, or less if `signal` aborts (resolves either way: the caller checks the signal). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
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
