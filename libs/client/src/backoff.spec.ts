import { backoffDelay, DEFAULT_BACKOFF, sleep } from './backoff';

describe('backoff', () => {
  const options = { initialDelayMs: 100, maxDelayMs: 1000, factor: 2, maxAttempts: 5 };

  it('grows exponentially, with jitter within [half, whole] of the capped delay', () => {
    expect(backoffDelay(0, options, () => 0)).toBe(50);
    expect(backoffDelay(0, options, () => 1)).toBe(100);
    expect(backoffDelay(2, options, () => 0)).toBe(200);
    expect(backoffDelay(2, options, () => 1)).toBe(400);
  });

  it('is bounded by maxDelayMs', () => {
    for (let attempt = 0; attempt < 50; attempt++) expect(backoffDelay(attempt, options)).toBeLessThanOrEqual(1000);
    expect(backoffDelay(30, options, () => 1)).toBe(1000);
  });

  it('spreads clients apart (not every client picks the same delay)', () => {
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelay(3, DEFAULT_BACKOFF)));
    expect(delays.size).toBeGreaterThan(1);
  });

  it('sleeps, and wakes early on abort', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    await sleep(5000, controller.signal);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
