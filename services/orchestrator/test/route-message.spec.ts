import type { INestMicroservice } from '@nestjs/common';
import { Queue, type Job } from 'bullmq';
import Redis from 'ioredis';
import { agentJob, keys, streamEntryJson, type RouteMessagePayload } from '@koda/contracts';
import { BullMqContext, createLogger, loadConfig, RunEventLog, type KodaConfig } from '@koda/platform';
import { bootstrapOrchestrator } from '../src/bootstrap';
import { RouteMessageJob } from '../src/jobs/route-message.job';

describe('route-message, retried', () => {
  let config: KodaConfig;
  let app: INestMicroservice;
  let redis: Redis;

  beforeAll(async () => {
    config = loadConfig({ ...process.env, ANTHROPIC_API_KEY: '' }, { KODA_PREFIX: `test-route-${process.pid}-${Date.now()}`, LOG_LEVEL: 'silent' });
    app = await bootstrapOrchestrator(config, createLogger('test', 'silent'));
    redis = new Redis(config.REDIS_URL);
  });
  afterAll(async () => {
    await app.close();
    const found = await redis.keys(`${config.KODA_PREFIX}:*`);
    if (found.length) await redis.unlink(...found);
    await redis.quit();
  });

  it('publishes routing once and dispatches one agent job, however often it runs', async () => {
    const now = Date.now();
    const run: RouteMessagePayload = {
      run_id: 'r-retried',
      session_id: 's-1',
      message: 'Cherche mes notes sur Redis',
      mode: 'auto',
      accepted_at: now,
      deadline_at: now + 60_000,
    };
    await new RunEventLog(redis, config.KODA_PREFIX, 60).open(
      run.run_id,
      { type: 'start', session_id: run.session_id, mode: run.mode, message: run.message },
      60,
    );
    const job = app.get(RouteMessageJob);
    const ctx = new BullMqContext([{ attemptsMade: 0, opts: { attempts: 3 } } as Job, undefined]);
    await job.handle(run, ctx);
    await job.handle(run, ctx);

    const entries = await redis.xrange(keys.runEvents(config.KODA_PREFIX, run.run_id), '-', '+');
    const events = entries.map(([, fields]) => JSON.parse(streamEntryJson(fields)!) as { type: string; code?: string });
    // No mimir worker runs here: the first try says so once, after routing; the retry says nothing again.
    expect(events.map((e) => e.code ?? e.type)).toEqual(['start', 'routing', 'no_worker']);
    const mimir = new Queue(agentJob('mimir').queue, { connection: redis, prefix: config.KODA_PREFIX });
    expect(await mimir.getJobCountByTypes('waiting-children', 'waiting', 'active', 'delayed', 'prioritized')).toBe(1);
    expect((await mimir.getJob(run.run_id))?.data.routing).toMatchObject({ intent: 'recherche', node: 'mimir' });
    await mimir.close();
  });
});
