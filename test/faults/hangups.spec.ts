import * as http from 'http';
import { randomUUID } from 'crypto';
import { GatewayMetrics, Heartbeat, RunStreamRelay, RunStreamService, RunWatchdog } from '@koda/gateway';
import { startStack, streamRun, type KodaStack } from '@koda/testing';
import { startDraft, waitFor, writeEvents } from './support/run-log';

/** Sends a request and destroys the socket 0-5 ms later, whatever stage the gateway is at. */
function hangUpSoon(url: string, init: { method?: string; body?: string } = {}): Promise<void> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: init.method ?? 'GET', agent: false, headers: init.body ? { 'content-type': 'application/json' } : {} });
    req.on('error', () => resolve());
    req.on('close', () => resolve());
    req.end(init.body);
    // Counted from the connection, so the request reaches the gateway and is cut mid-handling.
    req.on('socket', (socket) => socket.once('connect', () => setTimeout(() => req.destroy(), Math.random() * 5)));
  });
}

describe('no leak when clients hang up at once', () => {
  let stack: KodaStack;
  beforeAll(async () => {
    // No workers: the runs started here stay open, so their streams would stay open if leaked.
    stack = await startStack('hangups', { agents: [], orchestrator: false });
  });
  afterAll(() => stack.close());

  it('1,000 clients aborting within 0-5 ms leave no open stream, heartbeat, subscription or watchdog entry', async () => {
    const gauge = stack.gateway.get(GatewayMetrics).streamsOpen;
    const counts = async () => ({
      gauge: (await gauge.get()).values[0]?.value ?? 0,
      streams: stack.gateway.get(RunStreamService).openStreams,
      heartbeat: stack.gateway.get(Heartbeat).size,
      subscriptions: stack.gateway.get(RunStreamRelay).openSubscriptions,
      channels: stack.gateway.get(RunStreamRelay).openChannels,
      watchdog: stack.gateway.get(RunWatchdog).size,
    });
    const zero = { gauge: 0, streams: 0, heartbeat: 0, subscriptions: 0, channels: 0, watchdog: 0 };
    expect(await counts()).toEqual(zero);
    const runId = randomUUID();
    await writeEvents(stack.redis, stack.config.KODA_PREFIX, runId, [startDraft()]);
    const body = JSON.stringify({ message: 'Bonjour', mode: 'plume' });
    for (let batch = 0; batch < 40; batch++) {
      await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          i % 3 === 0
            ? hangUpSoon(`${stack.baseUrl}/api/v1/chat/orchestrated/stream`, { method: 'POST', body })
            : i % 3 === 1
              ? hangUpSoon(`${stack.baseUrl}/api/v1/runs/${runId}/events`)
              : hangUpSoon(`${stack.baseUrl}/api/v1/chat/orchestrated`, { method: 'POST', body }),
        ),
      );
    }
    await waitFor(async () => JSON.stringify(await counts()) === JSON.stringify(zero), 10_000, 'every count back to zero');
    // The gateway still serves: a fresh stream opens and is counted.
    const open = streamRun(stack.baseUrl, { message: 'encore', mode: 'plume' }, (frame) => frame.event?.type === 'start');
    expect((await open).events[0].type).toBe('start');
  });
});
