import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { GatewayLifecycle } from '../lifecycle/gateway-lifecycle';
import { RunStreamRelay } from '../relay/run-stream-relay';
import { RedisMonitor } from './redis-monitor';
import { WorkerPresence } from './worker-presence';

/**
 * Readiness, honestly, and fast (from the Redis monitor's last check, plus live worker counts
 * under the command timeout): 503 while draining, when Redis is unreachable or full; `degraded`
 * when a queue has no worker (runs would wait). Shows Redis's eviction policy and memory.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly relay: RunStreamRelay,
    private readonly monitor: RedisMonitor,
    private readonly lifecycle: GatewayLifecycle,
    private readonly workers: WorkerPresence,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Everything at once: Redis, workers per queue, open streams' })
  @ApiResponse({
    status: 200,
    description: '`ok`, or `degraded` when a queue has no worker.',
    content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
  })
  @ApiResponse({
    status: 503,
    description: '`draining`, `down` (Redis unreachable) or `full`.',
    content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
  })
  async health(@Res() res: Response): Promise<void> {
    const redis = this.monitor.usable ? await this.monitor.check() : this.monitor.state;
    const base = {
      redis: redis.status,
      maxmemory_policy: redis.maxmemory_policy,
      used_memory: redis.used_memory,
      maxmemory: redis.maxmemory,
      streams_open: this.relay.openSubscriptions,
    };
    if (this.lifecycle.draining) return void res.status(503).json({ status: 'draining', ...base });
    if (redis.status === 'unavailable' || redis.status === 'unknown' || !this.monitor.usable)
      return void res.status(503).json({ status: 'down', ...base, redis: 'unavailable' });
    if (redis.status === 'full') return void res.status(503).json({ status: 'full', code: 'redis_full', ...base });
    const workers = await this.workers.counts().catch(() => null);
    if (!workers) return void res.status(503).json({ status: 'down', ...base, redis: 'unavailable' });
    const status = Object.values(workers).every((n) => n > 0) ? 'ok' : 'degraded';
    res.status(200).json({ status, ...base, workers });
  }
}
