import type { RunContext } from '@koda/contracts';
import { failRun, type BullMqContext, type Logger, type RunEventLog } from '@koda/platform';
import { UnrecoverableError } from 'bullmq';

/**
 * Runs a job's work; when it throws on the job's last attempt, ends the run at once with a
 * fatal `internal` error the user can read, instead of leaving it silent until the gateway's
 * deadline. Earlier attempts just throw: BullMQ retries them.
 */
export async function endRunOnLastFailure<T>(
  ctx: BullMqContext,
  events: RunEventLog,
  run: RunContext,
  log: Logger,
  what: string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isLastAttempt(ctx, error)) {
      const detail = error instanceof Error ? error.message : String(error);
      const ended = await failRun(events, run, { code: 'internal', message: `The run could not be ${what}: ${detail}` }).catch((failure: unknown) => {
        log.error({ err: failure }, 'could not end the run after its job failed for good');
        return { finished: false };
      });
      log.error({ err: error, finished: ended.finished }, `job failed its last attempt; run ended (${what})`);
    }
    throw error;
  }
}

function isLastAttempt(ctx: BullMqContext, error: unknown): boolean {
  const job = ctx.getJob();
  if (ctx.getSignal()?.aborted) return false;
  if (error instanceof UnrecoverableError) return true;
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
