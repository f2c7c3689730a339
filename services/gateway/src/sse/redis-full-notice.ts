import { Injectable, type OnModuleInit } from '@nestjs/common';
import { RedisMonitor } from '../health/redis-monitor';
import { gatewayErrorEntry } from '../relay/gateway-event';
import { RunStreamRelay } from '../relay/run-stream-relay';

const MESSAGE = 'KODA’s storage (Redis) is full: this answer is paused and may fail. The operators have been warned.';

/** Tells every open stream, once, when Redis runs out of memory: no event can be stored meanwhile. */
@Injectable()
export class RedisFullNotice implements OnModuleInit {
  constructor(
    private readonly monitor: RedisMonitor,
    private readonly relay: RunStreamRelay,
  ) {}

  onModuleInit(): void {
    this.monitor.onChange((state) => {
      if (state.status === 'full') this.relay.broadcastLocal((runId) => gatewayErrorEntry(runId, 'redis_full', MESSAGE, false));
    });
  }
}
