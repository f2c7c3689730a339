import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { keys } from '@koda/contracts';
import { KODA_CONFIG, REDIS, type KodaConfig } from '@koda/platform';
import { errorBody } from '../http/error-body';
import { RetryLaterException } from '../http/retry-later';

/**
 * One atomic step per run, shared by every replica: forget active runs past their deadline,
 * refuse when the user has too many going, else record the run as active until its deadline.
 * KEYS: active set. ARGV: now, active limit, run id, deadline.
 */
const ADMIT_ACTIVE = `
local now = tonumber(ARGV[1])
local maxActive = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= maxActive then return 'active' end
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[3])
redis.call('PEXPIREAT', KEYS[1], ARGV[4])
return 'ok'`;

/** How long a client refused for too many active runs waits: runs of the offline model end in seconds. */
const ACTIVE_RETRY_S = 2;
const MINUTE_S = 60;

/**
 * Per-user admission of new runs, state in Redis: runs per minute (`KODA_RUNS_PER_MINUTE`,
 * counted by `rate-limiter-flexible`), runs going at once (`KODA_MAX_ACTIVE_RUNS`, a set of run
 * ids with their deadlines) and the daily budget (`KODA_DAILY_BUDGET_EUR`).
 */
@Injectable()
export class Admission {
  /** A fixed window of one minute per user, opened by the user's first run in it. */
  private readonly perMinute: RateLimiterRedis | null;

  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.perMinute =
      config.KODA_RUNS_PER_MINUTE > 0
        ? new RateLimiterRedis({
            storeClient: redis,
            keyPrefix: keys.runsLimiterPrefix(config.KODA_PREFIX),
            points: config.KODA_RUNS_PER_MINUTE,
            duration: MINUTE_S,
          })
        : null;
  }

  private get enabled(): boolean {
    return this.config.KODA_RUNS_PER_MINUTE > 0 || this.config.KODA_MAX_ACTIVE_RUNS > 0 || this.config.KODA_DAILY_BUDGET_EUR > 0;
  }

  /** Admits `runId` for `user` or throws 429 naming the limit, with `Retry-After`. */
  async admit(user: string, runId: string, deadlineAt: number): Promise<void> {
    if (!this.enabled) return;
    const now = Date.now();
    await this.checkBudget(user, now);
    await this.countInMinute(user);
    await this.forgetEnded(user);
    if (this.config.KODA_MAX_ACTIVE_RUNS === 0) return;
    const verdict = await this.redis.eval(
      ADMIT_ACTIVE,
      1,
      keys.userActiveRuns(this.config.KODA_PREFIX, user),
      now,
      this.config.KODA_MAX_ACTIVE_RUNS,
      runId,
      deadlineAt,
    );
    if (verdict !== 'active') return;
    // A run refused here did not start: it does not count in the minute either.
    await this.perMinute?.reward(keys.userRunsLimiterKey(user), 1).catch(() => undefined);
    throw limited('active_runs', this.config.KODA_MAX_ACTIVE_RUNS, ACTIVE_RETRY_S, `at most ${this.config.KODA_MAX_ACTIVE_RUNS} runs going at once`);
  }

  /** Counts the run in the user's minute; past the limit, 429 with the seconds until the window ends. */
  private async countInMinute(user: string): Promise<void> {
    if (!this.perMinute) return;
    try {
      await this.perMinute.consume(keys.userRunsLimiterKey(user), 1);
    } catch (refusal) {
      // The library rejects with its verdict when the limit is reached, with an Error when Redis fails (a 503).
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      const retryAfterS = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw limited('runs_per_minute', this.config.KODA_RUNS_PER_MINUTE, retryAfterS, `at most ${this.config.KODA_RUNS_PER_MINUTE} runs per minute`);
    }
  }

  /** Refuses every run once the user's completed runs cost the daily budget, until the next UTC day. */
  private async checkBudget(user: string, now: number): Promise<void> {
    const budget = this.config.KODA_DAILY_BUDGET_EUR;
    if (budget === 0) return;
    const spent = Number((await this.redis.get(keys.userSpend(this.config.KODA_PREFIX, user, new Date(now).toISOString().slice(0, 10)))) ?? 0);
    if (spent < budget) return;
    const retryAfterS = Math.ceil((86_400_000 - (now % 86_400_000)) / 1000);
    throw new RetryLaterException(
      429,
      errorBody(429, {
        code: 'budget_exhausted',
        limit: 'daily_budget_eur',
        limit_value: budget,
        spent_eur: spent,
        retry_after_s: retryAfterS,
        message: `Today's budget of ${budget} EUR is spent (${spent.toFixed(4)} EUR); runs start again at 00:00 UTC.`,
      }),
      retryAfterS,
    );
  }

  /** A run admitted but then refused (its session busy) no longer counts as going. */
  async forget(user: string, runId: string): Promise<void> {
    if (this.config.KODA_MAX_ACTIVE_RUNS === 0) return;
    await this.redis.zrem(keys.userActiveRuns(this.config.KODA_PREFIX, user), runId);
  }

  /** Drops the user's runs that have written their terminal event (their `final` marker exists). */
  private async forgetEnded(user: string): Promise<void> {
    if (this.config.KODA_MAX_ACTIVE_RUNS === 0) return;
    const prefix = this.config.KODA_PREFIX;
    const active = keys.userActiveRuns(prefix, user);
    const runIds = await this.redis.zrange(active, 0, '-1');
    if (runIds.length === 0) return;
    // One command per run (each run's keys have their own slot on a cluster), not one pipeline.
    const ended = await Promise.all(runIds.map((id) => this.redis.exists(keys.runFinal(prefix, id))));
    const done = runIds.filter((_, i) => ended[i] === 1);
    if (done.length > 0) await this.redis.zrem(active, ...done);
  }
}

function limited(limit: 'runs_per_minute' | 'active_runs', value: number, retryAfterS: number, what: string): RetryLaterException {
  return new RetryLaterException(
    429,
    errorBody(429, {
      code: 'rate_limited',
      limit,
      limit_value: value,
      retry_after_s: retryAfterS,
      message: `Too many runs: ${what} per user. Retry in ${retryAfterS} s.`,
    }),
    retryAfterS,
  );
}
