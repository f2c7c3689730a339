import { ConflictException, Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { keys, type RunContext } from '@koda/contracts';
import { errorBody } from '../http/error-body';
import { notFound } from '../http/not-found';
import { runContextOf } from './run-context';
import { RunStartReader } from './run-start-reader';
import { failRun, KODA_CONFIG, LOGGER, REDIS, RunEventLog, runLogger, type KodaConfig, type Logger } from '@koda/platform';

/** How long the agent at work gets to stop and end the run itself, keeping its partial answer. */
const AGENT_GRACE_MS = 3000;

/**
 * Cancels a run on every replica: a flag (for work not yet started) and a pub/sub message (for
 * an agent mid-call, which aborts its LLM request and ends the run). If nothing ends the run
 * within a grace period (no agent alive), the gateway ends it itself.
 */
@Injectable()
export class RunCanceller {
  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly log: RunEventLog,
    private readonly starts: RunStartReader,
  ) {}

  async cancel(runId: string, owner: string): Promise<{ run_id: string; status: 'cancelling' }> {
    const startEvent = await this.starts.read(runId, owner);
    if (!startEvent) throw notFound('run_not_found', `No run ${runId} (unknown, or expired).`);
    const start = runContextOf(startEvent, this.config.KODA_RUN_TIMEOUT_MS);
    if (await this.log.hasEnded(runId)) throw new ConflictException(errorBody(409, { code: 'run_ended', message: `Run ${runId} has already ended.` }));
    const prefix = this.config.KODA_PREFIX;
    await this.redis.multi().set(keys.runCancel(prefix, runId), '1', 'EX', this.config.KODA_RUN_TTL_SECONDS).publish(keys.cancelChannel(prefix), runId).exec();
    runLogger(this.logger, start).info('run cancel requested');
    setTimeout(() => void this.endIfStillRunning(start), AGENT_GRACE_MS).unref();
    return { run_id: runId, status: 'cancelling' };
  }

  private async endIfStillRunning(run: RunContext): Promise<void> {
    const { finished } = await failRun(this.log, run, { code: 'cancelled', message: 'The run was cancelled.' }).catch(() => ({ finished: false }));
    if (finished) runLogger(this.logger, run).warn('no agent ended the cancelled run; the gateway ended it');
  }
}
