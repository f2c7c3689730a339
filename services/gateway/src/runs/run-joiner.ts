import { GoneException, Inject, Injectable } from '@nestjs/common';
import { KODA_CONFIG, type KodaConfig } from '@koda/platform';
import { RetryLaterException } from '../http/retry-later';
import { runContextOf } from './run-context';
import { RunStartReader } from './run-start-reader';
import type { EarlierClaim } from './idempotency-keys';
import type { StartedRun } from './run-starter.service';
import { errorBody } from '../http/error-body';

/** How long a retry waits for the run its key names to be written (its first request is mid-way). */
const JOIN_WAIT_MS = 5000;
const POLL_MS = 50;
/**
 * A start opens its run log within seconds (every Redis command it makes times out in less):
 * a key claimed longer ago whose run has no log names a run whose log expired (or whose start
 * failed without freeing the key, Redis gone meanwhile). Waiting would not bring it back.
 */
const OPENED_WITHIN_MS = 30_000;

/**
 * A retried request (same `Idempotency-Key`) joins the run its first request started, from its
 * start; 409 `idempotency_in_progress` while that request is still opening it, 410
 * `idempotency_run_gone` once the run's log is gone (its exchange stays in the session).
 */
@Injectable()
export class RunJoiner {
  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    private readonly starts: RunStartReader,
  ) {}

  async join({ runId, claimedAt }: EarlierClaim, user: string): Promise<StartedRun> {
    const until = Date.now() + JOIN_WAIT_MS;
    for (;;) {
      const start = await this.starts.readEntry(runId, user);
      if (start) return { run: runContextOf(start.event, this.config.KODA_RUN_TIMEOUT_MS), start, replayed: true };
      if (claimedAt !== undefined && Date.now() - claimedAt > OPENED_WITHIN_MS) throw gone(runId, this.config.KODA_RUN_TTL_SECONDS);
      if (Date.now() > until) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    throw new RetryLaterException(
      409,
      errorBody(409, {
        code: 'idempotency_in_progress',
        message: `The request with this Idempotency-Key is still starting run ${runId}; retry in a moment.`,
        run_id: runId,
      }),
      1,
    );
  }
}

function gone(runId: string, ttlSeconds: number): GoneException {
  return new GoneException(
    errorBody(410, {
      code: 'idempotency_run_gone',
      message: `The run this Idempotency-Key started (${runId}) ended and its events are no longer kept (${ttlSeconds} s after its end); its exchange is in the session. Use a new key to ask again.`,
      field: 'Idempotency-Key',
      run_id: runId,
    }),
  );
}
