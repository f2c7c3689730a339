import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'crypto';
import type Redis from 'ioredis';
import { keys } from '@koda/contracts';
import { KODA_CONFIG, REDIS, type KodaConfig } from '@koda/platform';
import { hashKey } from './api-key-store';

/** How long a stream token can be used to open (or reopen) a run's stream. */
export const STREAM_TOKEN_TTL_S = 60;

/**
 * Tokens for plain `EventSource` clients, which cannot send headers: bound to one run and one
 * user, short-lived, passed as `?access_token=`; stored hashed in Redis so every replica accepts them.
 */
@Injectable()
export class StreamTokens {
  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async mint(runId: string, user: string): Promise<{ token: string; expires_at: string }> {
    const token = `kst_${randomBytes(24).toString('base64url')}`;
    await this.redis.set(keys.streamToken(this.config.KODA_PREFIX, hashKey(token)), JSON.stringify({ run_id: runId, user }), 'EX', STREAM_TOKEN_TTL_S);
    return { token, expires_at: new Date(Date.now() + STREAM_TOKEN_TTL_S * 1000).toISOString() };
  }

  /** The user a token speaks for on `runId`'s stream; null when unknown, expired or for another run. */
  async userFor(token: string, runId: string): Promise<string | null> {
    const raw = await this.redis.get(keys.streamToken(this.config.KODA_PREFIX, hashKey(token)));
    if (!raw) return null;
    const bound = JSON.parse(raw) as { run_id: string; user: string };
    return bound.run_id === runId ? bound.user : null;
  }
}
