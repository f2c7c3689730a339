import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { keys, parseRunEvent, streamEntryJson, type StartEvent } from '@koda/contracts';
import { KODA_CONFIG, REDIS, type KodaConfig } from '@koda/platform';

/** Reads a run's `start` event: whether the run exists, and what any replica needs to end it. */
@Injectable()
export class RunStartReader {
  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async read(runId: string): Promise<StartEvent | null> {
    const [first] = await this.redis.xrange(keys.runEvents(this.config.KODA_PREFIX, runId), '-', '+', 'COUNT', 1);
    if (!first) return null;
    const parsed = parseRunEvent(streamEntryJson(first[1]) ?? '');
    return parsed.ok && parsed.event.type === 'start' ? parsed.event : null;
  }
}
