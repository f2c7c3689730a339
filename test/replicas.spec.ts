import { bootstrapGateway } from '@koda/gateway';
import { createLogger } from '@koda/platform';
import { expectWellFormedRun, readSse, startStack, streamRun, type KodaStack } from '@koda/testing';
import type { INestApplication } from '@nestjs/common';

describe('gateway replicas are interchangeable', () => {
  let stack: KodaStack;
  let second: INestApplication;
  let secondUrl: string;

  beforeAll(async () => {
    stack = await startStack('replicas', { config: { KODA_OFFLINE_TOKEN_DELAY_MS: 15 } });
    second = await bootstrapGateway({ ...stack.config, PORT: 0 }, createLogger('replica-2', 'silent'));
    secondUrl = `http://127.0.0.1:${(second.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await second.close();
    await stack.close();
  });

  it('resumes on replica B a run started on replica A, with exactly the rest', async () => {
    let cutAt = '';
    const partial = await streamRun(stack.baseUrl, { message: 'Écris quelques phrases sur les marées', mode: 'plume' }, (frame) => {
      if (frame.event?.type === 'token') cutAt = frame.id!;
      return !!cutAt;
    });
    const runId = partial.events[0].run_id;
    const rest = await readSse(`${secondUrl}/api/v1/runs/${runId}/events`, { headers: { 'Last-Event-ID': cutAt } });
    expectWellFormedRun({
      ...rest,
      frames: [...partial.frames, ...rest.frames],
      ids: [...partial.ids, ...rest.ids],
      events: [...partial.events, ...rest.events],
    });
    const whole = await readSse(`${stack.baseUrl}/api/v1/runs/${runId}/events`);
    expect([...partial.ids, ...rest.ids]).toEqual(whole.ids);
  });

  it('cancels through replica B a run streamed by replica A', async () => {
    let runId = '';
    let cancelSent = false;
    const result = await streamRun(stack.baseUrl, { message: 'Écris un long texte sur les phares', mode: 'plume' }, (frame) => {
      if (frame.event?.type === 'start') runId = frame.event.run_id;
      if (frame.event?.type === 'token' && runId && !cancelSent) {
        cancelSent = true;
        void fetch(`${secondUrl}/api/v1/runs/${runId}/cancel`, { method: 'POST' }).catch(() => undefined);
      }
      return false;
    });
    expect(expectWellFormedRun(result)).toMatchObject({ type: 'error', code: 'cancelled' });
  });
});
