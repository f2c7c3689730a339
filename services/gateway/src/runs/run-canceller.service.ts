import { ConflictException, Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { CANCEL_REASON, INTERRUPTED_MESSAGE, keys, type RunContext } from '@koda/contracts';
import { errorBody } from '../http/error-body';
import { notFound } from '../http/not-found';
import { runContextOf } from './run-context';
import { RunStartReader } from './run-start-reader';
import { failRun, inService, KODA_CONFIG, LOGGER, REDIS, RunEventLog, runLogger, type KodaConfig, type Logger } from '@koda/platform';

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
    await this.signal(runId, CANCEL_REASON.cancelled);
    runLogger(this.logger, start).info('run cancel requested');
    setTimeout(() => void this.endIfStillRunning(start, CANCEL_REASON.cancelled), AGENT_GRACE_MS).unref();
    return { run_id: runId, status: 'cancelling' };
  }

  /**
   * Stops `runId` for a newer message of its session (`interrupt`, `rollback`): a cancel whose
   * flag says `interrupted`, so the agent keeps its partial answer marked so. The flag is set
   * even if the run's log is not written yet (its starter is mid-way): its route job reads it.
   */
  async interrupt(runId: string, owner: string, by: string): Promise<void> {
    await this.signal(runId, CANCEL_REASON.interrupted);
    const startEvent = await this.starts.read(runId, owner);
    if (!startEvent) return;
    const start = runContextOf(startEvent, this.config.KODA_RUN_TIMEOUT_MS);
    runLogger(this.logger, start).info({ by }, 'run interrupted by a newer message');
    setTimeout(() => void this.endIfStillRunning(start, CANCEL_REASON.interrupted), AGENT_GRACE_MS).unref();
  }

  /** The flag (for work not yet started) and the message (for an agent mid-call), in one round trip. */
  private async signal(runId: string, reason: string): Promise<void> {
    const prefix = this.config.KODA_PREFIX;
    await this.redis
      .multi()
      .set(keys.runCancel(prefix, runId), reason, 'EX', this.config.KODA_RUN_TTL_SECONDS)
      .publish(keys.cancelChannel(prefix), runId)
      .exec();
  }

  private async endIfStillRunning(run: RunContext, reason: string): Promise<void> {
    const failure =
      reason === CANCEL_REASON.interrupted
        ? { code: 'interrupted' as const, message: INTERRUPTED_MESSAGE }
        : { code: 'cancelled' as const, message: 'The run was cancelled.' };
    const { finished } = await inService('gateway', () => failRun(this.log, run, failure)).catch(() => ({ finished: false }));
    if (finished) runLogger(this.logger, run).warn({ reason: failure.code }, 'no agent ended the stopped run; the gateway ended it');
  }
}
