import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { WebhookAddressGuard } from './address-guard';
import { WEBHOOK_HEADERS, webhookSignature } from './webhook-signature';

export interface WebhookPost {
  url: string;
  /** The delivery's id, the same on every attempt (receivers de-duplicate on it). */
  id: string;
  body: string;
  secret: string;
  timeoutMs: number;
  guard: WebhookAddressGuard;
}

/** How a delivery attempt went: the receiver's status, or why nothing was answered. */
export type WebhookAttempt = { ok: true; status: number } | { ok: false; status?: number; reason: string };

/**
 * One signed POST of a webhook body. The connection's address is checked by the guard's
 * `lookup` (a name that now resolves to a private address is refused), the whole attempt is
 * bounded by `timeoutMs`, and a redirect is not followed (it could point anywhere).
 */
export function postWebhook(post: WebhookPost): Promise<WebhookAttempt> {
  const url = new URL(post.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const signature = webhookSignature(post.secret, Math.floor(Date.now() / 1000), post.body);
  return new Promise((resolve) => {
    const req = send(
      url,
      {
        method: 'POST',
        lookup: post.guard.lookup,
        timeout: post.timeoutMs,
        signal: AbortSignal.timeout(post.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(post.body),
          'user-agent': 'koda-webhooks/1',
          [WEBHOOK_HEADERS.id]: post.id,
          [WEBHOOK_HEADERS.signature]: signature,
        },
      },
      (res) => {
        res.resume(); // the answer's body is not read, only its status
        const status = res.statusCode ?? 0;
        res.on('end', () => resolve(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, reason: `the receiver answered ${status}` }));
        res.on('error', (error) => resolve({ ok: false, status, reason: error.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${post.timeoutMs} ms`)));
    req.on('error', (error) => resolve({ ok: false, reason: error.message }));
    req.end(post.body);
  });
}
