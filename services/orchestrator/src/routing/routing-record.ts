import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { keys, RoutingDecisionSchema, type RoutingDecision } from '@koda/contracts';
import { KODA_CONFIG, REDIS, type KodaConfig } from '@koda/platform';

/**
 * Keeps a run's first routing decision. A retried route job (its worker died after deciding)
 * reuses it rather than deciding again, so the `routing` event is published once and always
 * names the agent the flow actually went to.
 */
@Injectable()
export class RoutingRecord {
  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** Records `decision` unless one exists; returns the recorded one and whether it is new. */
  async claim(runId: string, decision: RoutingDecision): Promise<{ decision: RoutingDecision; isNew: boolean }> {
    const key = keys.runRouting(this.config.KODA_PREFIX, runId);
    const ttl = Math.ceil(this.config.KODA_RUN_TIMEOUT_MS / 1000) + this.config.KODA_RUN_TTL_SECONDS;
    // One command (Redis ≥ 7.0: NX with GET): the value it replaced, nil when this one was set.
    const existing = (await this.redis.call('SET', key, JSON.stringify(decision), 'EX', ttl, 'NX', 'GET')) as string | null;
    if (existing === null) return { decision, isNew: true };
    return { decision: RoutingDecisionSchema.parse(JSON.parse(existing)), isNew: false };
  }
}
