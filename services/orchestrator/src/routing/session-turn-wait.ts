import { Inject, Injectable } from '@nestjs/common';
import { DelayedError } from 'bullmq';
import type { RunContext } from '@koda/contracts';
import { RunEventLog, type BullMqContext, type Logger } from '@koda/platform';

/** How often a queued run looks whether its session's turn came (a delayed job, not a busy worker slot). */
export const TURN_POLL_MS = 200;

/**
 * A run accepted while its session was busy (`enqueue`, `interrupt`, `rollback`) starts only
 * once the runs before it ended. Its route job checks the session's turn; while it must wait,
 * the job goes back to BullMQ's delayed set and looks again a moment later.
 */
@Injectable()
export class SessionTurnWait {
  constructor(@Inject(RunEventLog) private readonly log: RunEventLog) {}

  /** Returns when the run may start; otherwise re-delays the job and throws BullMQ's `DelayedError`. */
  async untilTurn(run: RunContext, ctx: BullMqContext, log: Logger): Promise<void> {
    let holder = await this.log.turns.waitsFor(run, run.run_id);
    // The run before it ended but its finisher died before handing the turn on: take it over.
    if (holder && (await this.log.turns.releaseIfEnded(run, holder))) {
      log.warn({ holder }, 'released the turn of a run that had ended without handing it on');
      holder = await this.log.turns.waitsFor(run, run.run_id);
    }
    if (!holder) return;
    const job = ctx.getJob();
    await job.moveToDelayed(Date.now() + TURN_POLL_MS, ctx.getToken());
    throw new DelayedError(`waiting for run ${holder} to end`);
  }
}
