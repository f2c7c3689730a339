import type { CompleteEvent } from '@koda/contracts';
import { expectWellFormedRun, startStack, streamRun, typeSequence, type KodaStack } from '../support';
import { spawnService, waitFor, waitForWorker, type ServiceName, type ServiceProcess } from './support/processes';
import { expectExactAnswerFromCurrentAttempt } from './support/run-checks';

/**
 * Workers as real processes (orchestrator and agents each in their own), killed, frozen or
 * stopped mid-answer. The gateway runs in this process: these scenarios are about workers.
 */
const LONG = 'Écris un long paragraphe sur les phares de Bretagne';

describe('faults: workers killed, frozen or stopped mid-answer', () => {
  let stack: KodaStack;
  const processes: ServiceProcess[] = [];
  const start = (name: ServiceName, env: Record<string, string | number> = {}) => {
    const service = spawnService(name, { REDIS_URL: stack.config.REDIS_URL, KODA_PREFIX: stack.config.KODA_PREFIX, ...BASE_ENV, ...env });
    processes.push(service);
    return service;
  };
  const BASE_ENV = { KODA_JOB_LOCK_MS: 1000, KODA_OFFLINE_TOKEN_DELAY_MS: 25 };

  beforeEach(async () => {
    stack = await startStack('faults-workers', { orchestrator: false, agents: [] });
    start('orchestrator');
    await waitForWorker(stack.baseUrl, 'orchestrator');
  });

  afterEach(async () => {
    processes.splice(0).forEach((p) => p.kill('SIGKILL'));
    await stack.close();
  });

  it('SIGKILL mid-stream: another worker starts over after the marker; exact text, one terminal event', async () => {
    const doomed = start('plume');
    await waitForWorker(stack.baseUrl, 'agent-plume');
    const result = await streamRun(stack.baseUrl, { message: LONG, mode: 'plume' }, (frame) => {
      if (frame.event?.type === 'token' && doomed.child.exitCode === null && doomed.child.signalCode === null) {
        doomed.kill('SIGKILL');
        start('plume');
      }
      return false;
    });
    const complete = expectWellFormedRun(result) as CompleteEvent;
    expect(typeSequence(result.events)).toContain('processing:retrying');
    expect(result.events.find((e) => e.type === 'error')).toMatchObject({ code: 'worker_lost', fatal: false });
    expectExactAnswerFromCurrentAttempt(result.events, complete);
  });

  it('SIGSTOP past the job lock, then SIGCONT: the frozen worker is fenced off and stops writing', async () => {
    const frozen = start('plume');
    await waitForWorker(stack.baseUrl, 'agent-plume');
    let rescuer: ServiceProcess | undefined;
    let resumed = false;
    const result = await streamRun(stack.baseUrl, { message: LONG, mode: 'plume' }, (frame) => {
      const event = frame.event;
      if (event?.type === 'token' && !rescuer) {
        frozen.kill('SIGSTOP');
        rescuer = start('plume');
      }
      // The rescuer took over: wake the frozen worker while the new attempt is streaming.
      if (event?.type === 'token' && rescuer && !resumed && (event.attempt ?? 1) > 1) {
        resumed = true;
        frozen.kill('SIGCONT');
      }
      return false;
    });
    expect(resumed).toBe(true);
    const complete = expectWellFormedRun(result) as CompleteEvent;
    expectExactAnswerFromCurrentAttempt(result.events, complete);
    // Nothing of the frozen attempt after the marker, and it said why it stopped.
    await waitFor('the frozen worker to stop its attempt', () => frozen.logs.some((l) => l.msg === 'attempt stopped; writing nothing more'));
    const stop = frozen.logs.find((l) => l.msg === 'attempt stopped; writing nothing more');
    expect(['superseded', 'lock_lost']).toContain(stop?.reason);
    expect(frozen.logs.filter((l) => 'notJson' in l || 'stderr' in l)).toEqual([]);
  });

  it('a discussion resumed after a lost lock does not replay its finished turns', async () => {
    const frozen = start('discussion');
    await waitForWorker(stack.baseUrl, 'agent-discussion');
    let rescuer: ServiceProcess | undefined;
    let resumed = false;
    const result = await streamRun(stack.baseUrl, { message: 'Débattez : faut-il tout noter ?', mode: 'discussion' }, (frame) => {
      const event = frame.event;
      if (event?.type === 'agent_message' && event.turn === 1 && !rescuer) {
        frozen.kill('SIGSTOP');
        rescuer = start('discussion');
      }
      if (event?.type === 'processing' && event.status === 'retrying' && !resumed) {
        resumed = true;
        frozen.kill('SIGCONT');
      }
      return false;
    });
    expect(resumed).toBe(true);
    expect(expectWellFormedRun(result)).toMatchObject({ type: 'complete' });
    const marker = result.events.findIndex((e) => e.type === 'processing' && e.status === 'retrying');
    const before = result.events.slice(0, marker).filter((e) => e.type === 'agent_message');
    const after = result.events.slice(marker).filter((e) => e.type === 'agent_message');
    const turnsAfter = after.map((e) => (e as { turn: number }).turn);
    expect(new Set(turnsAfter).size).toBe(turnsAfter.length);
    expect(turnsAfter.slice(0, before.length)).toEqual(before.map((e) => (e as { turn: number }).turn));
    expect(after.slice(0, before.length)).toEqual(
      before.map((e) => expect.objectContaining({ turn: (e as { turn: number }).turn, content: (e as { content: string }).content })),
    );
    // Finished turns were restated, not streamed again.
    const restatedTurns = new Set(before.map((e) => (e as { turn: number }).turn));
    const tokensAfter = result.events.slice(marker).filter((e) => e.type === 'token');
    expect(tokensAfter.filter((t) => restatedTurns.has((t as { turn?: number }).turn ?? -1) && (t as { agent?: string }).agent !== 'synthesis')).toEqual([]);
  });

  it('SIGTERM mid-job within the grace: the worker finishes the answer, then exits 0', async () => {
    const stopping = start('plume', { KODA_SHUTDOWN_GRACE_MS: 20_000 });
    await waitForWorker(stack.baseUrl, 'agent-plume');
    const result = await streamRun(stack.baseUrl, { message: LONG, mode: 'plume' }, (frame) => {
      if (frame.event?.type === 'token' && stopping.child.signalCode === null && !stopping.child.killed) stopping.kill('SIGTERM');
      return false;
    });
    const complete = expectWellFormedRun(result) as CompleteEvent;
    expect(typeSequence(result.events)).not.toContain('processing:retrying');
    expectExactAnswerFromCurrentAttempt(result.events, complete);
    expect(await stopping.exited).toBe(0);
  });

  it('SIGTERM mid-job past the grace: the job is handed back and another worker completes it', async () => {
    const grace = 300;
    const stopping = start('plume', { KODA_SHUTDOWN_GRACE_MS: grace });
    await waitForWorker(stack.baseUrl, 'agent-plume');
    let stoppedAt = 0;
    const result = await streamRun(stack.baseUrl, { message: LONG, mode: 'plume' }, (frame) => {
      if (frame.event?.type === 'token' && !stoppedAt) {
        stoppedAt = Date.now();
        stopping.kill('SIGTERM');
        start('plume');
      }
      return false;
    });
    const complete = expectWellFormedRun(result) as CompleteEvent;
    expect(typeSequence(result.events)).toContain('processing:retrying');
    expectExactAnswerFromCurrentAttempt(result.events, complete);
    expect(await stopping.exited).toBe(0);
    expect(stopping.logs.some((l) => l.msg === 'job handed back to the queue')).toBe(true);
  });
});
