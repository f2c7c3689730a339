import { noWorkerNotice, WorkerPresence, type WorkerCounts } from './worker-presence';

/** Worker counts the test sets; counts how often they were read. */
function probeOf(counts: WorkerCounts) {
  const probe = { reads: 0, counts, read: async () => (probe.reads++, { ...probe.counts }) };
  return probe;
}

describe('WorkerPresence', () => {
  afterEach(() => jest.useRealTimers());

  it('never says "no worker" from stale counts: a worker that started meanwhile is seen', async () => {
    jest.useFakeTimers({ now: 0, doNotFake: ['nextTick', 'setImmediate'] });
    const probe = probeOf({ 'agent-plume': 0 });
    const presence = new WorkerPresence(probe.read);
    expect(await presence.missing(['agent-plume'])).toEqual(['agent-plume']);
    probe.counts = { 'agent-plume': 1 };
    jest.setSystemTime(10_000);
    expect(await presence.missing(['agent-plume'])).toEqual([]);
    expect(probe.reads).toBe(2);
  });

  it('answers from fresh counts without reading, and from stale counts that see every worker while it refreshes', async () => {
    jest.useFakeTimers({ now: 0, doNotFake: ['nextTick', 'setImmediate'] });
    const probe = probeOf({ orchestrator: 1 });
    const presence = new WorkerPresence(probe.read);
    await presence.missing(['orchestrator']);
    expect(await presence.missing(['orchestrator'])).toEqual([]);
    expect(probe.reads).toBe(1);
    jest.setSystemTime(10_000);
    probe.counts = { orchestrator: 0 };
    expect(await presence.missing(['orchestrator'])).toEqual([]); // stale but served: not waited for
    await new Promise((resolve) => setImmediate(resolve));
    expect(probe.reads).toBe(2);
    expect(await presence.missing(['orchestrator'])).toEqual(['orchestrator']);
  });

  it('says which queues nobody serves, as a non-fatal no_worker error', () => {
    expect(noWorkerNotice(['orchestrator', 'agent-plume'])).toMatchObject({
      type: 'error',
      code: 'no_worker',
      fatal: false,
      message: expect.stringMatching(/^No worker serves orchestrator and agent-plume right now/),
    });
  });
});
