/**
 * Bounded retries with exponential backoff and jitter, honouring the API's `retry-after`.
 *
 * Why not the SDK's own `maxRetries`: it retries every 429, including spend-limit refusals that
 * will never succeed; it waits as long as `retry-after` asks (hours, if the header says so); its
 * backoff base (0.5 s) cannot be tuned for tests; and it does not report how many attempts it
 * made, which the user-facing message needs. So the client runs with `maxRetries: 0` and this
 * module decides.
 */

export interface RetryOptions {
  /** Total attempts, first one included. Default 4. */
  maxAttempts?: number;
  /** Backoff before the 2nd attempt; doubles each time. Default 1000 ms. */
  baseDelayMs?: number;
  /** Cap on one backoff wait. Default 8000 ms. */
  maxDelayMs?: number;
  /**
   * Longest `retry-after` we agree to wait. When the API asks for more, we give up at once
   * rather than hold a user's run hostage. Default 30000 ms.
   */
  maxRetryAfterMs?: number;
}

export type ResolvedRetryOptions = Required<RetryOptions>;

export const DEFAULT_RETRY: ResolvedRetryOptions = {
  maxAttempts: 4,
  baseDelayMs: 1000,
  maxDelayMs: 8000,
  maxRetryAfterMs: 30_000,
};

export function resolveRetry(options: RetryOptions | undefined): ResolvedRetryOptions {
  const resolved = { ...DEFAULT_RETRY, ...stripUndefined(options ?? {}) };
  if (!Number.isInteger(resolved.maxAttempts) || resolved.maxAttempts < 1) {
    throw new Error(`retry.maxAttempts must be a positive integer, got ${resolved.maxAttempts}`);
  }
  return resolved;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Backoff before attempt `attempt + 1` (attempt counts from 1): "equal jitter", 50-100 %. */
export function backoffDelayMs(attempt: number, retry: ResolvedRetryOptions): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/**
 * What the response headers ask us to wait, in ms, or undefined when they say nothing usable.
 * `retry-after-ms` (sent by Anthropic) wins over `retry-after` (seconds or an HTTP date).
 */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers?.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Resolves after `ms`, or rejects with `signal.reason` as soon as the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
