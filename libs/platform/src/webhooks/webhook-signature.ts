import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of a completion webhook (see README, "Completion webhooks"). */
export const WEBHOOK_HEADERS = {
  /** Same on every attempt of one delivery: receivers de-duplicate on it (at-least-once). */
  id: 'x-koda-webhook-id',
  /** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with the deployment's secret. */
  signature: 'x-koda-signature',
} as const;

export function webhookSignature(secret: string, timestampS: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex');
  return `t=${timestampS},v1=${mac}`;
}

/**
 * What a receiver runs: true when `header` signs `body` with `secret` and its timestamp is
 * within `toleranceS` of now (a replayed old delivery is refused).
 */
export function verifyWebhookSignature(secret: string, header: string, body: string, toleranceS = 300, nowS = Math.floor(Date.now() / 1000)): boolean {
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || !parts.v1 || Math.abs(nowS - timestamp) > toleranceS) return false;
  const expected = Buffer.from(webhookSignature(secret, timestamp, body).split('v1=')[1], 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
