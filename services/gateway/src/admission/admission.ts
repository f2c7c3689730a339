import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { keys } from '@koda/contracts';
import { KODA_CONFIG, REDIS, type KodaConfig } from '@koda/platform';
import { RetryLaterException } from '../http/retry-later';

/**
 * One atomic step per run, shared by every replica: forget active runs past their deadline,
 * refuse when the user has too many going, count the run in its minute, then record it as
 * active. KEYS: minute counter, active set. ARGV: now, per-minute limit, active limit, run id, deadline.
 */
const ADMIT = `
local now = tonumber(ARGV[1])
local perMinute = tonumber(ARGV[2])
local maxActive = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if maxActive > 0 and redis.call('ZCARD', KEYS[2]) >= maxActive then return 'active' end
if perMinute > 0 then
  local n = redis.call('INCR', KEYS[1])
  if n == 1 then redis.call('PEXPIRE', KEYS[1], 61000) end
  if n > perMinute then return 'rate' end
end
if maxActive > 0 then
  redis.call('ZADD', KEYS[2], ARGV[5], ARGV[4])
  redis.call('PEXPIREAT', KEYS[2], ARGV[5])
end
return 'ok'`;

/** How long a client refused for too many active runs waits: runs of the offline model end in seconds. */
const ACTIVE_RETRY_S = 2;

/** Per-user admission of new runs (`KODA_RUNS_PER_MINUTE`, `KODA_MAX_ACTIVE_RUNS`), state in Redis. */
@Injectable()
export class Admission {
  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  private get enabled(): boolean {
    return this.config.KODA_RUNS_PER_MINUTE > 0 || this.config.KODA_MAX_ACTIVE_RUNS > 0 || this.config.KODA_DAILY_BUDGET_EUR > 0;
  }

  /** Admits `runId` for `user` or throws 429 naming the limit, with `Retry-After`. */
  async admit(user: string, runId: string, deadlineAt: number): Promise<void> {
    if (!this.enabled) return;
    const now = Date.now();
    const prefix = this.config.KODA_PREFIX;
    await this.checkBudget(user, now);
    await this.forgetEnded(user);
    const verdict = await this.redis.eval(
      ADMIT,
      2,
      keys.userRunsMinute(prefix, user, Math.floor(now / 60_000)),
      keys.userActiveRuns(prefix, user),
      now,
      this.config.KODA_RUNS_PER_MINUTE,
      this.config.KODA_MAX_ACTIVE_RUNS,
      runId,
      deadlineAt,
    );
    if (verdict === 'rate') throw limited('runs_per_minute', this.config.KODA_RUNS_PER_MINUTE, Math.ceil((60_000 - (now % 60_000)) / 1000), `at most ${this.config.KODA_RUNS_PER_MINUTE} runs per minute`);
    if (verdict === 'active') throw limited('active_runs', this.config.KODA_MAX_ACTIVE_RUNS, ACTIVE_RETRY_S, `at most ${this.config.KODA_MAX_ACTIVE_RUNS} runs going at once`);
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
      { statusCode: 429, error: 'Too Many Requests', code: 'budget_exhausted', limit: 'daily_budget_eur', limit_value: budget, spent_eur: spent, retry_after_s: retryAfterS, message: `Today's budget of ${budget} EUR is spent (${spent.toFixed(4)} EUR); runs start again at 00:00 UTC.` },
      retryAfterS,
    );
  }

  /** Drops the user's runs that have written their terminal event (their `final` marker exists). */
  private async forgetEnded(user: string): Promise<void> {
    if (this.config.KODA_MAX_ACTIVE_RUNS === 0) return;
    const prefix = this.config.KODA_PREFIX;
    const active = keys.userActiveRuns(prefix, user);
    const runIds = await this.redis.zrange(active, 0, -1);
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
    { statusCode: 429, error: 'Too Many Requests', code: 'rate_limited', limit, limit_value: value, retry_after_s: retryAfterS, message: `Too many runs: ${what} per user. Retry in ${retryAfterS} s.` },
    retryAfterS,
  );
}
