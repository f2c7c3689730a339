import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import type { CompleteEvent } from '@koda/contracts';
import { bootstrapAgent } from '@koda/agents';
import { bootstrapGateway } from '@koda/gateway';
import { createLogger, loadConfig, startPrivateRedis } from '@koda/platform';
import { expectWellFormedRun, postJson, startStack, streamRun, typeSequence } from '@koda/testing';

const ROOT = path.resolve(__dirname, '..');

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

  it('takes over the job of a worker killed mid-answer: the stream says so and the run completes', async () => {
    const lock = { KODA_JOB_LOCK_MS: 1000, KODA_OFFLINE_TOKEN_DELAY_MS: 30 };
    const stack = await startStack('worker-lost', { agents: [], config: lock });
    const doomed = spawnWorker('plume', { ...lock, REDIS_URL: stack.config.REDIS_URL, KODA_PREFIX: stack.config.KODA_PREFIX });
    let rescuer: Awaited<ReturnType<typeof bootstrapAgent>> | undefined;
    try {
      await waitForWorker(stack.baseUrl, 'agent-plume');
      const result = await streamRun(stack.baseUrl, { message: 'Écris un long paragraphe sur les phares de Bretagne', mode: 'plume' }, (frame) => {
        if (frame.event?.type === 'token' && doomed.exitCode === null && !rescuer) {
          doomed.kill('SIGKILL');
          void bootstrapAgent('plume', stack.config, createLogger('rescuer', 'silent')).then((app) => (rescuer = app));
        }
        return false;
      });
      const complete = expectWellFormedRun(result) as CompleteEvent;
      const sequence = typeSequence(result.events);
      expect(sequence.slice(0, 3)).toEqual(['start', 'processing:started', 'token']);
      expect(sequence).toContain('processing:retrying');
      expect(result.events.find((e) => e.type === 'error')).toMatchObject({ code: 'worker_lost', fatal: false });
      const tokensAfterRetry = result.events.slice(result.events.findIndex((e) => e.type === 'processing' && e.status === 'retrying'));
      const text = tokensAfterRetry.filter((e) => e.type === 'token').map((e) => (e as { delta: string }).delta).join('');
      expect(text).toBe(complete.result.response);
    } finally {
      doomed.kill('SIGKILL');
      await rescuer?.close();
      await stack.close();
    }
  });

  it('answers 503, not a hanging request, when Redis goes away', async () => {
    const redis = await startPrivateRedis();
    const config = loadConfig({ ...process.env, ANTHROPIC_API_KEY: '' }, { REDIS_URL: redis.url, PORT: 0, KODA_PREFIX: 'test-redis-down', LOG_LEVEL: 'silent' } as never);
    const gateway = await bootstrapGateway(config, createLogger('test', 'silent'));
    try {
      const { port } = gateway.getHttpServer().address() as { port: number };
      await redis.stop();
      await new Promise((r) => setTimeout(r, 200));
      const res = await postJson(`http://127.0.0.1:${port}/api/v1/chat/orchestrated/stream`, { message: 'Bonjour' });
      expect(res.status).toBe(503);
      expect((await res.json()).message).toMatch(/Redis/);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(503);
    } finally {
      await gateway.close();
    }
  });
});

function spawnWorker(node: string, env: Record<string, string | number>): ChildProcess {
  const entry = path.join(ROOT, 'services/agents/dist', `main-${node}.js`);
  const stringEnv = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
  return spawn(process.execPath, [entry], { env: { ...process.env, ...stringEnv, ANTHROPIC_API_KEY: '', LOG_LEVEL: 'silent' }, stdio: 'ignore' });
}

async function waitForWorker(baseUrl: string, queue: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const health = await (await fetch(`${baseUrl}/health`)).json();
    if (health.workers?.[queue] > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${queue} worker came up (is the project built? npm test builds it)`);
}
