import { Queue } from 'bullmq';
import { agentJob, keys, QueueName, streamEntryJson, type AgentJobPayload, type RunEvent } from '@koda/contracts';
import { queuePrefix } from '@koda/platform';
import { expectWellFormedRun, startStack, streamRun, type KodaStack } from '@koda/testing';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventsOf(stack: KodaStack, runId: string): Promise<RunEvent[]> {
  const entries = await stack.redis.xrange(keys.runEvents(stack.config.KODA_PREFIX, runId), '-', '+');
  return entries.map(([, fields]) => JSON.parse(streamEntryJson(fields)!) as RunEvent);
}

async function countsOf(stack: KodaStack, name: string): Promise<Record<string, number>> {
  const queue = new Queue(name, { connection: stack.redis, prefix: queuePrefix(stack.config) });
  try {
    return await queue.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed', 'waiting-children');
  } finally {
    await queue.close();
  }
}

describe("a run's jobs: `auto` is routed, then answered; a mode that names its agent is one job", () => {
  let stack: KodaStack;
  beforeAll(async () => {
    stack = await startStack('run-jobs', { agents: ['plume'] });
  });
  afterAll(() => stack.close());

  it('runs exactly one route job and one agent job, and no flow parent', async () => {
    const result = await streamRun(stack.baseUrl, { message: 'Écris un haïku sur la pluie', mode: 'auto' });
    const complete = expectWellFormedRun(result);
    expect(complete).toMatchObject({ type: 'complete', result: { agent_used: 'plume', metadata: { intent: 'restitution', classifier: expect.any(String) } } });
    // The agent's job is done once its worker marks it so, a moment after the finish it wrote.
    let agent = await countsOf(stack, agentJob('plume').queue);
    for (let i = 0; i < 50 && agent.completed < 1; i++, await sleep(20)) agent = await countsOf(stack, agentJob('plume').queue);
    const orchestrator = await countsOf(stack, QueueName.Orchestrator);
    expect({ orchestrator: orchestrator.completed, agent: agent.completed }).toEqual({ orchestrator: 1, agent: 1 });
    expect(orchestrator['waiting-children'] + orchestrator.waiting + orchestrator.delayed + orchestrator.failed + agent.failed).toBe(0);
  });

  it('queues a plume run straight to its agent, with the session so far: no route job', async () => {
    const first = await streamRun(stack.baseUrl, { message: 'Écris une phrase sur la mer', mode: 'plume', session_id: 'one-job' });
    expect(expectWellFormedRun(first)).toMatchObject({
      type: 'complete',
      result: { agent_used: 'plume', metadata: { intent: 'restitution', classifier: 'explicit' } },
    });
    const second = await streamRun(stack.baseUrl, { message: 'Et une autre', mode: 'plume', session_id: 'one-job' });
    expect(expectWellFormedRun(second)).toMatchObject({ type: 'complete' });
    const queue = new Queue(agentJob('plume').queue, { connection: stack.redis, prefix: queuePrefix(stack.config) });
    try {
      const job = await queue.getJob(second.events[0].run_id);
      // The gateway read the session for the agent, as the orchestrator does: the first exchange.
      expect((job!.data as AgentJobPayload).history.map((m) => m.role)).toEqual(['user', 'assistant']);
      expect((job!.data as AgentJobPayload).routing).toMatchObject({ node: 'plume', classifier: 'explicit', confidence: 1 });
    } finally {
      await queue.close();
    }
    const orchestrator = await countsOf(stack, QueueName.Orchestrator);
    expect(orchestrator.completed).toBe(1); // the `auto` run's above, no more
  });
});

describe('the deadline sweep: a run nobody works on ends by its deadline even with no client watching', () => {
  let stack: KodaStack;
  beforeAll(async () => {
    // An orchestrator routes the run, but no agent worker ever takes its job.
    stack = await startStack('run-jobs-sweep', { agents: [], config: { KODA_RUN_TIMEOUT_MS: 300 } });
  });
  afterAll(() => stack.close());

  it('ends it with a fatal timeout and removes the job no worker took', async () => {
    // The client reads the start event and hangs up: no gateway watches the run any more.
    const opened = await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' }, (frame) => frame.event?.type === 'start');
    const runId = opened.events[0].run_id;
    let events: RunEvent[] = [];
    for (let i = 0; i < 100 && !events.some((e) => e.type === 'error' && e.fatal); i++, await sleep(50)) events = await eventsOf(stack, runId);
    const terminal = events.filter((e) => e.type === 'complete' || (e.type === 'error' && e.fatal));
    expect(terminal).toHaveLength(1);
    expect(terminal[0]).toMatchObject({ type: 'error', code: 'timeout', fatal: true, message: expect.stringMatching(/no worker took it up/) });
    expect(await stack.redis.exists(keys.runFinal(stack.config.KODA_PREFIX, runId))).toBe(1);
    const agent = await countsOf(stack, agentJob('plume').queue);
    expect(agent.waiting + agent.active + agent.delayed).toBe(0);
  });
});

describe('the POST answers as soon as the run log is open', () => {
  let stack: KodaStack;
  beforeAll(async () => {
    stack = await startStack('run-jobs-early', { orchestrator: false, agents: [] });
  });
  afterAll(() => stack.close());

  it('a job that cannot be queued after the start went out ends the stream with a fatal error, then [DONE]', async () => {
    // The plume queue's meta key of the wrong type (a plume run's one job goes there): BullMQ's add script fails, the log's write script does not.
    await stack.redis.set(`${queuePrefix(stack.config)}:${agentJob('plume').queue}:meta`, 'not a hash');
    try {
      const result = await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' });
      expect(result.status).toBe(200);
      expect(result.headers.get('x-run-id')).toBe(result.events[0].run_id);
      expect(result.events[0]).toMatchObject({ type: 'start' });
      expect(expectWellFormedRun(result)).toMatchObject({
        type: 'error',
        code: 'internal',
        fatal: true,
        message: expect.stringMatching(/could not be queued/),
      });
    } finally {
      await stack.redis.del(`${queuePrefix(stack.config)}:${agentJob('plume').queue}:meta`);
    }
  });
});
