import type { ErrorCode, RunContext } from '@koda/contracts';
import { UnrecoverableError } from 'bullmq';
import type { Logger } from '../logging/logger';
import { sleepFor } from '../redis/backoff';
import { failRun } from '../events/run-finisher';
import type { RunEventLog } from '../events/run-event-log';
import type { BullMqContext } from './bullmq-context';

/** How a job's final failure ends its run: the code, and which errors are not the run's to end. */
export interface LastFailure {
  code?: ErrorCode;
  /** An error that says the job is someone else's now (a superseded attempt): the run is not ended here. */
  notOurs?: (error: unknown) => boolean;
}

/**
 * Runs a job's work; when it throws on the job's last attempt, ends the run at once with a
 * fatal error the user can read (`internal` unless told otherwise), instead of leaving it
 * silent until its deadline. Earlier attempts just throw: BullMQ retries them.
 */
export async function endRunOnLastFailure<T>(
  ctx: BullMqContext,
  events: RunEventLog,
  run: RunContext,
  log: Logger,
  what: string,
  work: () => Promise<T>,
  last: LastFailure = {},
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isLastAttempt(ctx, error) && !last.notOurs?.(error)) {
      const detail = error instanceof Error ? error.message : String(error);
      const code = last.code ?? 'internal';
      const ended = await endWithRetries(() => failRun(events, run, { code, message: `The run could not be ${what}: ${detail}` })).catch((failure: unknown) => {
        log.error({ err: failure }, 'could not end the run after its job failed for good');
        return { finished: false };
      });
      log.error({ err: error, finished: ended.finished }, `job failed its last attempt; run ended (${what})`);
    }
    throw error;
  }
}

/**
 * Pauses between tries of the ending: a job that failed for good because Redis refused writes
 * for a moment (full, failing over) still ends its run once Redis is back, not at its deadline.
 */
const END_RETRY_MS = [250, 500, 1000, 2000];

async function endWithRetries<T>(end: () => Promise<T>): Promise<T> {
  for (const pause of END_RETRY_MS) {
    try {
      return await end();
    } catch {
      await sleepFor(pause);
    }
  }
  return end();
}

function isLastAttempt(ctx: BullMqContext, error: unknown): boolean {
  const job = ctx.getJob();
  if (ctx.getSignal()?.aborted) return false;
  if (error instanceof UnrecoverableError) return true;
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
