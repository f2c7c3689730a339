import { Backoff, isTransientRedisError, sleepFor, withRetries } from './backoff';

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

describe('withRetries', () => {
  const quick = { initialMs: 1, maxMs: 2 };
  const timedOut = () => new Error('Command timed out');
  const refused = () => Object.assign(new Error('WRONGTYPE'), { name: 'ReplyError' });

  it('tries again after transient failures and returns the first success', async () => {
    let calls = 0;
    const retries: number[] = [];
    const value = await withRetries(
      async () => {
        calls += 1;
        if (calls < 3) throw timedOut();
        return 'imported';
      },
      { attempts: 5, backoff: quick, retryable: isTransientRedisError, onRetry: (_err, attempt) => retries.push(attempt) },
    );
    expect({ value, calls, retries }).toEqual({ value: 'imported', calls: 3, retries: [1, 2] });
  });

  it('throws the last failure once the attempts are spent', async () => {
    let calls = 0;
    const failing = () => Promise.reject(new Error(`failure ${++calls}`));
    await expect(withRetries(failing, { attempts: 3, backoff: quick })).rejects.toThrow('failure 3');
  });

  it('does not try again after a refusal', async () => {
    let calls = 0;
    const failing = () => ((calls += 1), Promise.reject(refused()));
    await expect(withRetries(failing, { attempts: 5, backoff: quick, retryable: isTransientRedisError })).rejects.toThrow('WRONGTYPE');
    expect(calls).toBe(1);
  });
});
