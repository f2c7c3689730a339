import { Inject, Injectable } from '@nestjs/common';
import { keys, type ErrorCode, type RunContext } from '@koda/contracts';
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
    const cancelled = await this.redis.exists(keys.runCancel(this.config.KODA_PREFIX, run.run_id));
    return cancelled ? { code: 'cancelled', message: 'The run was cancelled.' } : null;
  }
}
