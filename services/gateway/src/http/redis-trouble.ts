/** What a failed Redis command says about Redis, for the HTTP answer and `/health`. */
export type RedisTrouble = 'full' | 'unavailable';

const UNAVAILABLE = /MaxRetriesPerRequest|ECONNREFUSED|ECONNRESET|Connection is closed|ETIMEDOUT|EHOSTUNREACH|Command timed out|Stream isn't writeable|LOADING|MASTERDOWN|READONLY|redis_unavailable/;

export function redisTroubleOf(error: unknown): RedisTrouble | null {
  const message = error instanceof Error ? error.message : String(error);
  if (/^OOM\b/.test(message) || message.includes('OOM command not allowed')) return 'full';
  if (UNAVAILABLE.test(message)) return 'unavailable';
  return null;
}

/** Seconds a client should wait before retrying, per trouble. */
export const RETRY_AFTER_S: Record<RedisTrouble | 'shutting_down', number> = { full: 5, unavailable: 1, shutting_down: 1 };
