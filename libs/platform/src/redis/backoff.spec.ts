import { Backoff, sleepFor } from './backoff';

describe('Backoff', () => {
  it('grows exponentially from the first delay and stops at the cap', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1000, factor: 2, random: () => 1 });
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.fail())).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoff.failures).toBe(6);
  });

  it('jitters within the upper half of the capped delay, never zero', () => {
    const low = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
    expect([low.fail(), low.fail(), low.fail()]).toEqual([50, 100, 200]);
  });

  it('resets on success and says once that a failing loop recovered', () => {
    const backoff = new Backoff({ initialMs: 10, random: () => 1 });
    expect(backoff.succeed()).toBe(false);
    backoff.fail();
    backoff.fail();
    expect(backoff.failing).toBe(true);
    expect(backoff.succeed()).toBe(true);
    expect(backoff.succeed()).toBe(false);
    expect(backoff.fail()).toBe(10);
  });

  it('sleeps, or returns at once when aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeping = sleepFor(5000, controller.signal);
    controller.abort();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
