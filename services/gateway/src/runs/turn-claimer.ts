import { ConflictException, Inject, Injectable } from '@nestjs/common';
import type { MultitaskStrategy, RouteMessagePayload } from '@koda/contracts';
import { LOGGER, RunEventLog, runLogger, type Logger, type TurnClaim } from '@koda/platform';
import { Admission } from '../admission/admission';
import { RunCanceller } from './run-canceller.service';
import { errorBody } from '../http/error-body';

/**
 * Applies a new run's `multitask_strategy` to its session, atomically across replicas (one
 * script on the session's keys): the run takes the session's turn, is queued behind the active
 * run (whose stop is requested under `interrupt`/`rollback`), or is refused with 409.
 */
@Injectable()
export class TurnClaimer {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly log: RunEventLog,
    private readonly admission: Admission,
    private readonly canceller: RunCanceller,
  ) {}

  async claim(run: RouteMessagePayload, strategy: MultitaskStrategy): Promise<Exclude<TurnClaim, { verdict: 'busy' }>> {
    let claim = await this.log.turns.claim(run, run.run_id, strategy);
    // A holder that ended without handing the turn on (its finisher died) does not block the session.
    if (claim.verdict === 'busy' && (await this.log.turns.releaseIfEnded(run, claim.holder))) claim = await this.log.turns.claim(run, run.run_id, strategy);
    if (claim.verdict === 'busy') {
      await this.admission.forget(run.user_id ?? '', run.run_id);
      throw sessionBusy(run.session_id, claim.holder);
    }
    if (claim.verdict === 'queued')
      runLogger(this.logger, run).info({ strategy, holder: claim.holder, position: claim.position }, "run queued behind its session's active run");
    return claim;
  }

  /** Under `interrupt`/`rollback`, the run holding the turn is stopped so the new one can start. */
  async stopHolder(run: RouteMessagePayload, claim: TurnClaim, strategy: MultitaskStrategy): Promise<void> {
    if (claim.verdict !== 'queued' || !claim.running || (strategy !== 'interrupt' && strategy !== 'rollback')) return;
    await this.canceller.interrupt(claim.holder, run.user_id ?? '', run.run_id);
  }
}

function sessionBusy(sessionId: string, activeRunId: string): ConflictException {
  return new ConflictException(
    errorBody(409, {
      code: 'session_busy',
      message: `Session ${sessionId} has a run going (${activeRunId}); send again once it ends, or choose multitask_strategy enqueue, interrupt or rollback.`,
      session_id: sessionId,
      active_run_id: activeRunId,
    }),
  );
}
