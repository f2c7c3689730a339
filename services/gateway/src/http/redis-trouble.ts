/** What a failed Redis command says about Redis, for the HTTP answer and `/health`. */
export type RedisTrouble = 'full' | 'unavailable';

const UNAVAILABLE =
  /MaxRetriesPerRequest|ECONNREFUSED|ECONNRESET|Connection is closed|ETIMEDOUT|EHOSTUNREACH|Command timed out|Stream isn't writeable|LOADING|MASTERDOWN|READONLY|redis_unavailable/;

export function redisTroubleOf(error: unknown): RedisTrouble | null {
  const message = error instanceof Error ? error.message : String(error);
  if (/^OOM\b/.test(message) || message.includes('OOM command not allowed')) return 'full';
  // A MULTI whose commands Redis refused at queue time fails as EXECABORT; the cause is inside.
  const previous = (error as { previousErrors?: unknown[] } | null)?.previousErrors;
  if (Array.isArray(previous))
    for (const cause of previous) {
      const trouble = redisTroubleOf(cause);
      if (trouble) return trouble;
    }
  if (UNAVAILABLE.test(message)) return 'unavailable';
  return null;
}
