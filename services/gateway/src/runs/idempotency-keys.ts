import { Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { keys, LIMITS, type ChatRequestDto } from '@koda/contracts';
import { KODA_CONFIG, REDIS, type KodaConfig } from '@koda/platform';
import { fieldError } from '../http/field-error';
import { errorBody } from '../http/error-body';

/** How long a key names its run: a retry within it gets the same run. */
export const IDEMPOTENCY_TTL_S = 24 * 3600;

/** The header as the OpenAPI description shows it (optional; Express hands it over lower-cased). */
export const IDEMPOTENCY_KEY_HEADER = {
  name: 'idempotency-key',
  required: false,
  description: 'Idempotency-Key: a retry with the same key (same user, 24 h) and body gets the same run; another body answers 422.',
};

/** Printable ASCII, as in the IETF draft's examples (UUIDs, random strings). */
const KEY_PATTERN = new RegExp(`^[\\x20-\\x7E]{1,${LIMITS.idempotencyKeyMaxChars}}$`);

/** The run a key already names, and when its first request claimed it (ms; absent on records older than this field). */
export interface EarlierClaim {
  runId: string;
  claimedAt?: number;
}

/** Compare-and-delete: a failed start frees its key only if the key still names that run. */
const FORGET = `local record = redis.call('GET', KEYS[1])
if record and cjson.decode(record).run_id == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * `Idempotency-Key` on the POST endpoints: the first request with a key (per user, 24 h) names
 * the run it starts (SET NX, so two racing retries agree on one run); a retry with the same
 * body gets that run back, with another body a 422. A start that fails frees its key.
 */
@Injectable()
export class IdempotencyKeys {
  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** Validates the header (400 naming it when malformed); undefined when the request has none. */
  static parse(header: string | string[] | undefined): string | undefined {
    if (header === undefined) return undefined;
    const value = Array.isArray(header) ? header[0] : header;
    if (!KEY_PATTERN.test(value) || !value.trim()) throw fieldError('Idempotency-Key', `must be 1-${LIMITS.idempotencyKeyMaxChars} printable ASCII characters`);
    return value;
  }

  /** Claims `key` for `runId`; returns the run the key already names (the same request), or null when claimed. */
  async claim(user: string, key: string, body: ChatRequestDto, runId: string): Promise<EarlierClaim | null> {
    const record = JSON.stringify({ run_id: runId, request: requestHash(body), at: Date.now() });
    const redisKey = this.key(user, key);
    const claimed = await this.redis.set(redisKey, record, 'EX', IDEMPOTENCY_TTL_S, 'NX');
    if (claimed === 'OK') return null;
    const existing = await this.redis.get(redisKey);
    // Freed between our two reads (its start failed): this request takes the key over.
    if (existing === null) return this.claim(user, key, body, runId);
    const earlier = JSON.parse(existing) as { run_id: string; request: string; at?: number };
    if (earlier.request !== requestHash(body)) {
      throw new UnprocessableEntityException(
        errorBody(422, {
          code: 'idempotency_key_reused',
          message: `Idempotency-Key was already used with another request body (run ${earlier.run_id}); use a new key for a new request.`,
          field: 'Idempotency-Key',
          run_id: earlier.run_id,
        }),
      );
    }
    return { runId: earlier.run_id, claimedAt: earlier.at };
  }

  /** The run could not be started: a retry with the key may try again. */
  async forget(user: string, key: string, runId: string): Promise<void> {
    await this.redis.eval(FORGET, 1, this.key(user, key), runId);
  }

  private key(user: string, key: string): string {
    return keys.idempotencyKey(this.config.KODA_PREFIX, user, createHash('sha256').update(key).digest('hex'));
  }
}

/** The request as it matters: its fields, in a fixed order, absent ones left out. */
function requestHash(body: ChatRequestDto): string {
  const fields = ['message', 'mode', 'session_id', 'multitask_strategy', 'webhook'] as const;
  const canonical = fields.map((f) => [f, body[f] ?? null]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
