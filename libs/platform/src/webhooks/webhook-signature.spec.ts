import { verifyWebhookSignature, webhookSignature } from './webhook-signature';

describe('webhook signatures', () => {
  const secret = 'a-secret-of-at-least-thirty-two-chars';
  const body = '{"id":"run-1","type":"run.completed"}';

  it('verifies what it signs, and nothing else', () => {
    const now = 1_800_000_000;
    const header = webhookSignature(secret, now, body);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, header, body, 300, now)).toBe(true);
    expect(verifyWebhookSignature(secret, header, `${body} `, 300, now)).toBe(false);
    expect(verifyWebhookSignature(`${secret}x`, header, body, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, header.replace('t=1800000000', 't=1800000001'), body, 300, now)).toBe(false);
    expect(verifyWebhookSignature(secret, 'garbage', body, 300, now)).toBe(false);
  });

  it('refuses a delivery replayed outside the tolerance', () => {
    const header = webhookSignature(secret, 1_800_000_000, body);
    expect(verifyWebhookSignature(secret, header, body, 300, 1_800_000_000 + 301)).toBe(false);
  });
});
