import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { LOGGER, REDIS, type Logger } from '@koda/platform';
import type { RedisTrouble } from '../http/redis-trouble';
import { GatewayMetrics } from '../metrics/gateway-metrics';

const CHECK_EVERY_MS = 1000;

export interface RedisState {
  status: 'up' | RedisTrouble | 'unknown';
  maxmemory_policy?: string;
  used_memory?: number;
  maxmemory?: number;
  checked_at?: string;
}

/**
 * Watches the Redis this gateway depends on, once a second: reachable, out of memory, and its
 * eviction policy (KODA's logs must never be evicted: anything but `noeviction` is warned
 * about at start). Requests read the last verdict instead of queueing commands on a Redis that
 * is gone, and open streams are told when Redis fills up.
 */
@Injectable()
export class RedisMonitor implements OnModuleInit, OnApplicationShutdown {
  private current: RedisState = { status: 'unknown' };
  private timer: NodeJS.Timeout | null = null;
  private warnedPolicy = false;
  private readonly listeners = new Set<(state: RedisState, previous: RedisState) => void>();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: GatewayMetrics,
  ) {}

  get state(): RedisState {
    return this.current;
  }

  /** True when a request can go to Redis now; false answers 503 at once. */
  get usable(): boolean {
    return this.redis.status === 'ready' && this.current.status !== 'unavailable';
  }

  onChange(listener: (state: RedisState, previous: RedisState) => void): void {
    this.listeners.add(listener);
  }

  async onModuleInit(): Promise<void> {
    await this.check();
    this.timer = setInterval(() => void this.check(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** A request met this trouble: take it into account now rather than at the next check. */
  report(trouble: RedisTrouble): void {
    this.set({ ...this.current, status: trouble, checked_at: new Date().toISOString() });
  }

  async check(): Promise<RedisState> {
    try {
      const info = parseInfo(await this.redis.info('memory'));
      const used = Number(info.used_memory);
      const max = Number(info.maxmemory);
      const full = max > 0 && used >= max && info.maxmemory_policy === 'noeviction';
      this.set({
        status: full ? 'full' : 'up',
        maxmemory_policy: info.maxmemory_policy,
        used_memory: used,
        maxmemory: max,
        checked_at: new Date().toISOString(),
      });
      this.warnAboutPolicy(info.maxmemory_policy);
    } catch {
      this.set({ ...this.current, status: 'unavailable', checked_at: new Date().toISOString() });
    }
    return this.current;
  }

  private set(next: RedisState): void {
    const previous = this.current;
    this.current = next;
    this.metrics.redisUp.set(next.status === 'up' ? 1 : 0);
    if (next.used_memory !== undefined) this.metrics.redisUsedMemory.set(next.used_memory);
    if (next.maxmemory !== undefined) this.metrics.redisMaxMemory.set(next.maxmemory);
    if (previous.status === next.status) return;
    if (next.status === 'up') this.logger.info({ redis: next.status, was: previous.status }, 'Redis is usable');
    else this.logger.warn({ redis: next.status, was: previous.status, used_memory: next.used_memory, maxmemory: next.maxmemory }, `Redis is ${next.status}`);
    for (const listener of this.listeners) listener(next, previous);
  }

  private warnAboutPolicy(policy: string | undefined): void {
    if (this.warnedPolicy || !policy || policy === 'noeviction') return;
    this.warnedPolicy = true;
    this.logger.warn(
      { maxmemory_policy: policy },
      `Redis maxmemory-policy is ${policy}: Redis may evict run logs, sessions, notes and queued jobs under memory pressure. Set it to noeviction (CONFIG SET maxmemory-policy noeviction, or in redis.conf).`,
    );
  }
}

function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}
