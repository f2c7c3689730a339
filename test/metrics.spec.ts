import * as net from 'node:net';
import { AGENT_NODES, agentJob, allQueues, type CompleteEvent, type RunEvent } from '@koda/contracts';
import { bootstrapAgent } from '@koda/agents';
import { FakeAnthropicServer, scenarios } from '@koda/llm/testing';
import { createLogger, loadConfig } from '@koda/platform';
import { expectWellFormedRun, readSse, scrape, startStack, streamRun, sumOf, type KodaStack, type PromSample } from '@koda/testing';

const CHAT_ROUTE = '/api/v1/chat/orchestrated/stream';
const EVENTS_ROUTE = '/api/v1/runs/:run_id/events';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const startedAt = Date.now();
  while (!(await check())) {
    if (Date.now() - startedAt > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - startedAt;
}

/** One run per mode and one failed run through the real SDK (a local Messages API), then the series. */
describe('metrics after one run per mode and one failed run', () => {
  const fake = new FakeAnthropicServer();
  let stack: KodaStack;
  const results: RunEvent[] = [];
  let samples: PromSample[];
  let firstRun: { runId: string; ids: string[] };

  beforeAll(async () => {
    const baseURL = await fake.start();
    stack = await startStack('metrics', { config: { ANTHROPIC_API_KEY: 'sk-test-key', ANTHROPIC_BASE_URL: baseURL, KODA_LLM_RETRY_BASE_MS: 10 } });
    fake.setDefault((request) =>
      (request.tool_choice as { name?: string } | undefined)?.name === 'classify_intent'
        ? scenarios.toolUse('classify_intent', { intent: 'recherche', confidence: 0.9 })
        : scenarios.text('Une réponse du modèle.', { outputTokens: 7 }),
    );
    for (const mode of ['plume', 'mimir', 'discussion', 'auto'] as const) {
      const run = await streamRun(stack.baseUrl, { message: 'Que disent mes notes sur Redis ?', ...(mode === 'auto' ? {} : { mode }) });
      results.push(expectWellFormedRun(run));
      if (mode === 'plume') firstRun = { runId: run.events[0].run_id, ids: run.ids };
    }
    fake.setDefault(scenarios.invalidRequest());
    results.push(expectWellFormedRun(await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' })));
    // Resumes: exact, reset, 204 (past the end), 404 (unknown run).
    const events = `${stack.baseUrl}/api/v1/runs/${firstRun.runId}/events`;
    expect((await readSse(events, { headers: { 'Last-Event-ID': firstRun.ids[0] } })).done).toBe(true);
    expect((await readSse(events, { headers: { 'Last-Event-ID': '1-0' } })).events[0].type).toBe('reset');
    expect((await readSse(events, { headers: { 'Last-Event-ID': firstRun.ids.at(-1)! } })).status).toBe(204);
    expect((await readSse(`${stack.baseUrl}/api/v1/runs/no-such-run/events`, { headers: { 'Last-Event-ID': '1-0' } })).status).toBe(404);
    samples = (await scrape(`${stack.baseUrl}/metrics`)).samples;
  });
  afterAll(async () => {
    await stack.close();
    await fake.stop();
  });

  it('counts runs by mode and outcome, failed ones by code, with durations and time to first token', () => {
    expect(results.map((r) => r.type)).toEqual(['complete', 'complete', 'complete', 'complete', 'error']);
    for (const mode of ['plume', 'mimir', 'discussion', 'auto']) {
      expect(sumOf(samples, 'koda_runs_started_total', { mode })).toBe(mode === 'plume' ? 2 : 1);
      expect(sumOf(samples, 'koda_runs_finished_total', { mode, outcome: 'completed', code: 'none' })).toBe(1);
      expect(sumOf(samples, 'koda_time_to_first_token_seconds_count', { mode })).toBe(1);
    }
    expect(sumOf(samples, 'koda_runs_finished_total', { mode: 'plume', outcome: 'failed', code: 'llm_invalid_request' })).toBe(1);
    expect(sumOf(samples, 'koda_runs_finished_total')).toBe(5);
    expect(sumOf(samples, 'koda_run_duration_seconds_count')).toBe(5);
    expect(sumOf(samples, 'koda_run_duration_seconds_sum')).toBeGreaterThan(0);
    expect(sumOf(samples, 'koda_time_to_first_token_seconds_count', { agent: 'mimir' })).toBe(2); // mimir, and auto routed to it
  });

  it('counts jobs by queue and outcome, with duration histograms', () => {
    for (const queue of allQueues()) expect(sumOf(samples, 'koda_jobs_total', { queue, outcome: 'completed' })).toBeGreaterThan(0);
    // Agent jobs: one per run on the agent's queue (the failed plume run ends its run but its job completes).
    expect(sumOf(samples, 'koda_jobs_total', { queue: agentJob('plume').queue })).toBe(2);
    expect(sumOf(samples, 'koda_jobs_total', { queue: agentJob('mimir').queue })).toBe(2);
    expect(sumOf(samples, 'koda_job_duration_seconds_count')).toBe(sumOf(samples, 'koda_jobs_total'));
  });

  it('counts LLM requests by model and status, and tokens and cost equal to the results', () => {
    const completes = results.filter((r): r is CompleteEvent => r.type === 'complete').map((r) => r.result);
    expect(sumOf(samples, 'koda_llm_requests_total', { agent: 'plume', status: 'llm_invalid_request', model: 'claude-sonnet-5-5' })).toBe(1);
    expect(sumOf(samples, 'koda_llm_requests_total', { status: 'ok', model: 'claude-sonnet-5-5' })).toBeGreaterThanOrEqual(4);
    const cost = completes.reduce((total, r) => total + r.cost_eur, 0);
    expect(cost).toBeGreaterThan(0);
    expect(sumOf(samples, 'koda_llm_cost_eur_total')).toBeCloseTo(cost, 9);
    expect(sumOf(samples, 'koda_llm_tokens_total', { direction: 'input' })).toBe(completes.reduce((t, r) => t + r.input_tokens, 0));
    expect(sumOf(samples, 'koda_llm_tokens_total', { direction: 'output' })).toBe(completes.reduce((t, r) => t + r.output_tokens, 0));
    expect(sumOf(samples, 'koda_llm_request_duration_seconds_count')).toBe(sumOf(samples, 'koda_llm_requests_total'));
  });

  it("counts the router's model classification as an LLM request of agent router, its cost in the auto run's cost_eur", () => {
    expect(sumOf(samples, 'koda_llm_requests_total', { agent: 'router', status: 'ok', model: 'claude-haiku-5-5' })).toBe(1);
    const routerCost = sumOf(samples, 'koda_llm_cost_eur_total', { agent: 'router' });
    expect(routerCost).toBeGreaterThan(0);
    expect(sumOf(samples, 'koda_llm_tokens_total', { agent: 'router', direction: 'input' })).toBeGreaterThan(0);
    // The auto run went to mimir, like the mimir run, with the same prompt and answer: it costs the classification more.
    const [, mimir, , auto] = results as CompleteEvent[];
    expect(auto.result.cost_eur).toBeCloseTo(mimir.result.cost_eur + routerCost, 6);
    expect(auto.result.input_tokens).toBe(mimir.result.input_tokens + sumOf(samples, 'koda_llm_tokens_total', { agent: 'router', direction: 'input' }));
  });

  it('samples queue depth and workers per queue', () => {
    for (const queue of allQueues()) {
      for (const state of ['waiting', 'active', 'delayed', 'failed'])
        expect(samples.some((s) => s.name === 'koda_queue_jobs' && s.labels.queue === queue && s.labels.state === state)).toBe(true);
      expect(sumOf(samples, 'koda_queue_workers', { queue })).toBeGreaterThanOrEqual(1);
    }
  });

  it('counts HTTP requests by route and status, SSE connections and resume outcomes', () => {
    expect(sumOf(samples, 'koda_http_requests_total', { method: 'POST', route: CHAT_ROUTE, status: '200' })).toBe(5);
    expect(sumOf(samples, 'koda_http_request_duration_seconds_count', { route: CHAT_ROUTE })).toBe(5);
    expect(sumOf(samples, 'koda_http_requests_total', { method: 'GET', route: EVENTS_ROUTE, status: '204' })).toBe(1);
    for (const outcome of ['exact', 'reset', '204', '404']) expect(sumOf(samples, 'koda_sse_resumes_total', { outcome })).toBe(1);
    expect(sumOf(samples, 'koda_sse_connections_total', { event: 'opened' })).toBe(7);
    expect(sumOf(samples, 'koda_sse_connections_total', { event: 'resumed' })).toBe(2);
    expect(sumOf(samples, 'koda_sse_connections_total', { event: 'closed' })).toBe(7);
  });

  it('never labels a series with a run or session id', () => {
    const ids = results.flatMap((r) => [r.run_id, ...('session_id' in r ? [String(r.session_id)] : [])]);
    for (const sample of samples) for (const value of Object.values(sample.labels)) expect(ids).not.toContain(value);
    expect(new Set(samples.flatMap((s) => Object.keys(s.labels)))).not.toContain('run_id');
  });
});

describe('a worker serves /metrics and /health on KODA_METRICS_PORT; readiness follows the workers', () => {
  let stack: KodaStack;
  beforeAll(async () => {
    stack = await startStack('ready');
  });
  afterAll(() => stack.close());

  it('gateway: /health/live always, /health/ready false within a second of the last plume worker stopping, true again when one starts', async () => {
    const ready = () => fetch(`${stack.baseUrl}/health/ready`);
    expect((await fetch(`${stack.baseUrl}/health/live`)).status).toBe(200);
    const first = await ready();
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ ready: true, queues: { [agentJob('plume').queue]: { workers: 1 } } });

    const index = 1 + AGENT_NODES.indexOf('plume');
    await stack.workers[index].close();
    const flipped = await waitFor(async () => (await ready()).status === 503, 1000);
    expect(flipped).toBeLessThan(1000);
    expect(await (await ready()).json()).toMatchObject({ ready: false, reason: 'no_worker', queues_without_worker: [agentJob('plume').queue] });

    stack.workers[index] = await bootstrapAgent('plume', stack.config, createLogger('test-ready', 'silent'));
    await waitFor(async () => (await ready()).status === 200, 2000);
  });

  it('an agent worker with KODA_METRICS_PORT: its series, live, and ready with its queue', async () => {
    const port = await freePort();
    const config = loadConfig({ ...process.env }, { ...stack.config, KODA_METRICS_PORT: port });
    const worker = await bootstrapAgent('mimir', config, createLogger('test-metrics-port', 'silent'));
    try {
      const { text } = await scrape(`http://127.0.0.1:${port}/metrics`);
      for (const family of [
        'koda_jobs_total',
        'koda_job_duration_seconds',
        'koda_queue_jobs',
        'koda_llm_requests_total',
        'koda_agent_mimir_process_cpu_seconds_total',
      ])
        expect(text).toContain(`# TYPE ${family} `);
      expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true, redis: 'up', queues: { [agentJob('mimir').queue]: { workers: 2 } } });
    } finally {
      await worker.close();
    }
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});
