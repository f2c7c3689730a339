import { expectWellFormedRun, postJson, startStack, streamRun } from '@koda/testing';

describe('faults: every run still ends, and ends right', () => {
  it('ends a run nobody works on (no orchestrator alive) with a fatal timeout', async () => {
    const stack = await startStack('no-orchestrator', { orchestrator: false, agents: [], config: { KODA_RUN_TIMEOUT_MS: 300 } });
    try {
      const result = await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' });
      expect(expectWellFormedRun(result)).toMatchObject({ type: 'error', code: 'timeout', fatal: true });
      const waiting = await postJson(`${stack.baseUrl}/api/v1/chat/orchestrated`, { message: 'Bonjour', mode: 'plume' });
      expect(waiting.status).toBe(504);
      expect(await waiting.json()).toMatchObject({ error: 'timeout' });
    } finally {
      await stack.close();
    }
  });
});
