import { expectWellFormedRun, postJson, startStack, streamRun } from '@koda/testing';

describe('faults: every run still ends, and ends right', () => {
  it('ends a run nobody works on (no orchestrator alive) with a fatal timeout', async () => {
    const stack = await startStack('no-orchestrator', { orchestrator: false, agents: [], config: { KODA_RUN_TIMEOUT_MS: 300 } });
    try {
      // `auto` needs the orchestrator to route it (a mode that names its agent goes straight to it).
      const result = await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'auto' });
      expect(expectWellFormedRun(result)).toMatchObject({ type: 'error', code: 'timeout', fatal: true });
      // Said at once, not only at the deadline: nobody serves the orchestrator.
      expect(result.events[1]).toMatchObject({
        type: 'error',
        code: 'no_worker',
        fatal: false,
        message: expect.stringMatching(/serves orchestrator right now/),
      });
      const waiting = await postJson(`${stack.baseUrl}/api/v1/chat/orchestrated`, { message: 'Bonjour', mode: 'plume' });
      expect(waiting.status).toBe(504);
      expect(await waiting.json()).toMatchObject({ error: 'timeout' });
    } finally {
      await stack.close();
    }
  });

  it('says at once when the mode has no worker, and says nothing when it has one', async () => {
    // The default deadline: a healthy Mimir run on a loaded CI machine must not meet it (an 800 ms one did).
    // The orphan is read only up to the warning; the first test checks how such a run ends.
    const stack = await startStack('no-plume', { agents: ['mimir'] });
    try {
      const orphan = await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' }, (frame) => frame.data.includes('"no_worker"'));
      expect(orphan.events[1]).toMatchObject({ type: 'error', code: 'no_worker', fatal: false, message: expect.stringMatching(/agent-plume/) });
      expect(orphan.events[1].type === 'error' && orphan.events[1].message).not.toMatch(/orchestrator/);
      const served = await streamRun(stack.baseUrl, { message: 'Cherche dans mes notes le sommeil', mode: 'mimir' });
      expect(expectWellFormedRun(served)).toMatchObject({ type: 'complete' });
      expect(served.events.some((e) => e.type === 'error')).toBe(false);
    } finally {
      await stack.close();
    }
  });

  it('says so at once when `auto` routes a run to an agent nobody serves (the orchestrator tells it, after routing)', async () => {
    const stack = await startStack('auto-no-agent', { agents: [] });
    try {
      const result = await streamRun(stack.baseUrl, { message: 'Écris un haïku sur la pluie', mode: 'auto' }, (frame) => frame.data.includes('"no_worker"'));
      expect(result.events.map((e) => e.type)).toEqual(['start', 'routing', 'error']);
      expect(result.events[2]).toMatchObject({
        type: 'error',
        code: 'no_worker',
        fatal: false,
        message: expect.stringMatching(/^No worker serves agent-plume right now/),
      });
    } finally {
      await stack.close();
    }
  });

  it('says nothing after routing when the agent has a worker', async () => {
    const stack = await startStack('auto-with-agent', { agents: ['plume'] });
    try {
      const result = await streamRun(stack.baseUrl, { message: 'Écris un haïku sur la pluie', mode: 'auto' });
      expect(expectWellFormedRun(result)).toMatchObject({ type: 'complete', result: { agent_used: 'plume' } });
      expect(result.events.some((e) => e.type === 'error')).toBe(false);
    } finally {
      await stack.close();
    }
  });
});
