import { Inject, Injectable } from '@nestjs/common';
import { KODA_CONFIG, type KodaConfig } from '@koda/platform';
import { RetryLaterException } from '../http/retry-later';
import { runContextOf } from './run-context';
import { RunStartReader } from './run-start-reader';
import type { StartedRun } from './run-starter.service';
import { errorBody } from '../http/error-body';

/** How long a retry waits for the run its key names to be written (its first request is mid-way). */
const JOIN_WAIT_MS = 5000;
const POLL_MS = 50;

/** A retried request (same `Idempotency-Key`) joins the run its first request started, from its start. */
@Injectable()
export class RunJoiner {
  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    private readonly starts: RunStartReader,
  ) {}

  async join(runId: string, user: string): Promise<StartedRun> {
    const until = Date.now() + JOIN_WAIT_MS;
    for (;;) {
      const start = await this.starts.readEntry(runId, user);
      if (start) return { run: runContextOf(start.event, this.config.KODA_RUN_TIMEOUT_MS), start, replayed: true };
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
