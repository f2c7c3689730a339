import { TokenCoalescer } from './token-coalescer';

describe('TokenCoalescer', () => {
  it('sends the first delta at once, coalesces the rest, loses nothing, keeps order', async () => {
    const writes: string[] = [];
    const tokens = new TokenCoalescer(50, async (delta) => void writes.push(delta));
    for (const word of 'un deux trois quatre cinq'.split(' ')) tokens.push(`${word} `);
    await new Promise((r) => setTimeout(r, 5));
    expect(writes).toEqual(['un ']);
    await tokens.flush();
    expect(writes.join('')).toBe('un deux trois quatre cinq ');
    expect(writes.length).toBe(2);
    expect(tokens.text).toBe('un deux trois quatre cinq ');
  });

  it('caps the event rate whatever the model pace', async () => {
    const writes: number[] = [];
    const tokens = new TokenCoalescer(50, async () => void writes.push(Date.now()));
    const until = Date.now() + 300;
    while (Date.now() < until) {
      tokens.push('x');
      await new Promise((r) => setTimeout(r, 2));
    }
    await tokens.flush();
    expect(writes.length).toBeLessThanOrEqual(8);
    for (let i = 2; i < writes.length - 1; i++) expect(writes[i] - writes[i - 1]).toBeGreaterThanOrEqual(45);
  });

  it('flushes when the speaker changes, so a token event has one agent', async () => {
    const writes: [string, string | undefined][] = [];
    const tokens = new TokenCoalescer(1000, async (delta, tag) => void writes.push([delta, tag.agent]));
    tokens.push('a', { agent: 'plume', turn: 1 });
    tokens.push('b', { agent: 'plume', turn: 1 });
    tokens.push('c', { agent: 'mimir', turn: 2 });
    await tokens.flush();
    expect(writes).toEqual([
      ['a', 'plume'],
      ['b', 'plume'],
      ['c', 'mimir'],
    ]);
  });
});

describe('TokenCoalescer when a write fails', () => {
  it('reports the failure once, writes nothing after it, and rejects flush (no unhandled rejection)', async () => {
    const failures: unknown[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      let calls = 0;
      const tokens = new TokenCoalescer(
        1,
        async () => {
          calls += 1;
          throw new Error('OOM command not allowed');
        },
        (error) => failures.push(error),
      );
      tokens.push('a');
      await new Promise((r) => setTimeout(r, 10));
      tokens.push('b');
      await new Promise((r) => setTimeout(r, 10));
      await expect(tokens.flush()).rejects.toThrow(/OOM/);
      await new Promise((r) => setImmediate(r));
      expect(calls).toBe(1);
      expect(failures).toHaveLength(1);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
