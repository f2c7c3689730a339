import { Inject, Injectable } from '@nestjs/common';
import { CANCEL_REASON, INTERRUPTED_MESSAGE, keys, type ErrorCode, type RunContext } from '@koda/contracts';
import { KODA_CONFIG, REDIS, type KodaConfig } from '@koda/platform';
import type Redis from 'ioredis';

/** A run cancelled or past its deadline before dispatch stops here, not in an agent. */
@Injectable()
export class CancelCheck {
  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async reasonToStop(run: RunContext): Promise<{ code: ErrorCode; message: string } | null> {
    if (Date.now() > run.deadline_at) return { code: 'timeout', message: 'The run passed its deadline before an agent could start.' };
    const reason = await this.redis.get(keys.runCancel(this.config.KODA_PREFIX, run.run_id));
    if (reason === null) return null;
    return reason === CANCEL_REASON.interrupted
      ? { code: 'interrupted', message: INTERRUPTED_MESSAGE }
      : { code: 'cancelled', message: 'The run was cancelled.' };
  }
}
