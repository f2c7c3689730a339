import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import type Redis from 'ioredis';
import { keys, type RunContext } from '@koda/contracts';
import { failRun, inService, KODA_CONFIG, LOGGER, REDIS, RunEventLog, runLogger, type KodaConfig, type Logger } from '@koda/platform';
import { QueueProbe } from '../health/queue-probe';

/** Past the deadline, the agent gets this long to end the run itself (as the watchdog's grace). */
const GRACE_MS = 2000;
/** Jobs read per page, oldest first; a page that is all overdue is followed by the next, up to `MAX_PAGES`. */
const PAGE = 20;
const MAX_PAGES = 10;
/** Where a run's job can sit without anyone working on it. */
const STATES = ['wait', 'prioritized', 'delayed', 'active'] as const;

/**
 * Every run ends by its deadline even when no client watches it and no worker ever takes its
 * job (the agent's worker is gone, or the orchestrator's). Runs end in their own jobs now (no
 * flow parent waits on the agent), so this is the safety net: every few seconds one gateway
 * replica (a `SET NX PX` lock) reads the oldest jobs of each queue and ends the runs past their
 * deadline with a fatal `timeout` through the exactly-once finish. Jobs no worker holds are
 * removed (a worker starting one later would find the run ended anyway). The cost is per sweep,
 * not per run: a few commands when the queues' oldest jobs are young.
 */
@Injectable()
export class DeadlineSweep implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;
  readonly everyMs: number;

  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly log: RunEventLog,
    private readonly probe: QueueProbe,
  ) {
    // Often enough that a run ends within about a grace of its deadline; never more than every 5 s.
    this.everyMs = Math.min(5000, Math.max(100, Math.round(config.KODA_RUN_TIMEOUT_MS / 2)));
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep().catch((error: unknown) => this.logger.warn({ err: error }, 'deadline sweep failed')), this.everyMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One sweep (if this replica holds the lock); how many runs it ended. */
  sweep(): Promise<number> {
    this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  private async sweepOnce(): Promise<number> {
    const held = await this.redis.set(keys.deadlineSweep(this.config.KODA_PREFIX), '1', 'PX', this.everyMs, 'NX');
    if (held !== 'OK') return 0;
    let ended = 0;
    for (const queue of this.probe.all) for (const state of STATES) ended += await this.sweepState(queue, state);
    return ended;
  }

  /**
   * Reads the state's oldest job first; only when it is overdue, pages on. Deadlines follow
   * acceptance order, so a sweep of healthy queues reads one job per state and queue.
   */
  private async sweepState(queue: Queue, state: (typeof STATES)[number]): Promise<number> {
    let ended = 0;
    let start = 0;
    let size = 1;
    for (let page = 0; page < MAX_PAGES; page++) {
      const jobs = await queue.getJobs([state], start, start + size - 1, true);
      const overdue = jobs.filter((job) => isOverdue(job));
      let removed = 0;
      for (const job of overdue) {
        const outcome = await this.endOverdue(job, state);
        if (outcome.finished) ended += 1;
        if (outcome.removed) removed += 1;
      }
      if (jobs.length < size || overdue.length < jobs.length) break;
      start += jobs.length - removed;
      size = PAGE;
    }
    return ended;
  }

  private async endOverdue(job: Job, state: string): Promise<{ finished: boolean; removed: boolean }> {
    const run = job.data as RunContext;
    let finished = false;
    if (!(await this.log.hasEnded(run.run_id))) {
      const message = `The run took longer than its ${Math.round(this.config.KODA_RUN_TIMEOUT_MS / 1000)} s limit (no worker took it up).`;
      ({ finished } = await inService('gateway', () => failRun(this.log, run, { code: 'timeout', message })));
      if (finished) runLogger(this.logger, run).warn({ queue: job.queueName, job: job.name, state }, 'the deadline sweep ended a run no worker ended');
    }
    // A job a worker holds stays (its worker ends it); one nobody holds goes.
    const removed =
      state !== 'active' &&
      (await job.remove().then(
        () => true,
        () => false,
      ));
    return { finished, removed };
  }
}

/** A run's job past its deadline and grace; a job without a deadline (a webhook delivery) never is. */
function isOverdue(job: Job): boolean {
  const data = job.data as Partial<RunContext> | undefined;
  return typeof data?.deadline_at === 'number' && typeof data.run_id === 'string' && data.deadline_at + GRACE_MS < Date.now();
}
