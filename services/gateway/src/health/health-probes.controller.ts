import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { GatewayLifecycle } from '../lifecycle/gateway-lifecycle';
import { QueueProbe } from './queue-probe';
import { RedisMonitor } from './redis-monitor';

/**
 * Probes for orchestrators: `live` says the process answers (restart it when it does not);
 * `ready` says it can serve runs now (route traffic to it): not draining, Redis reachable and
 * not full, and every queue has a worker. `/health` keeps its all-in-one answer.
 */
@ApiTags('health')
@Controller('health')
export class HealthProbesController {
  constructor(
    private readonly monitor: RedisMonitor,
    private readonly lifecycle: GatewayLifecycle,
    private readonly queues: QueueProbe,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } }, required: ['status'] } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: not draining, Redis usable, every queue has a worker' })
  @ApiResponse({
    status: 200,
    description: 'Ready; workers and depth per queue.',
    content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
  })
  @ApiResponse({
    status: 503,
    description: '`not_ready`, with a `reason`: `draining`, `redis_unavailable`, `redis_full` or `no_worker`.',
    content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
  })
  async ready(@Res() res: Response): Promise<void> {
    const notReady = (body: Record<string, unknown>) => void res.status(503).json({ status: 'not_ready', ready: false, ...body });
    if (this.lifecycle.draining) return notReady({ reason: 'draining' });
    const redis = this.monitor.usable ? await this.monitor.check() : this.monitor.state;
    if (!this.monitor.usable || redis.status === 'unavailable' || redis.status === 'unknown')
      return notReady({ reason: 'redis_unavailable', redis: 'unavailable' });
    if (redis.status === 'full') return notReady({ reason: 'redis_full', redis: 'full' });
    const samples = await this.queues.sample().catch(() => null);
    if (!samples) return notReady({ reason: 'redis_unavailable', redis: 'unavailable' });
    const queues = Object.fromEntries(samples.map(({ queue, counts, workers }) => [queue, { workers, ...counts }]));
    const idle = samples.filter((sample) => sample.workers === 0).map((sample) => sample.queue);
    if (idle.length > 0) return notReady({ reason: 'no_worker', queues_without_worker: idle, redis: 'up', queues });
    res.status(200).json({ status: 'ok', ready: true, redis: 'up', queues });
  }
}
