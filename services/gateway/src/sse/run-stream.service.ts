import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { StartEvent } from '@koda/contracts';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { RunStreamRelay } from '../relay/run-stream-relay';
import { RunWatchdog } from '../runs/run-watchdog';
import { Heartbeat } from './heartbeat';
import { SseResponse } from './sse-response';

/**
 * Pipes a run's log into an SSE response, from a given id, until the terminal event and
 * `[DONE]`; while it does, the watchdog makes sure the run ends by its deadline.
 */
@Injectable()
export class RunStreamService {
  constructor(
    private readonly relay: RunStreamRelay,
    private readonly heartbeat: Heartbeat,
    private readonly metrics: GatewayMetrics,
    private readonly watchdog: RunWatchdog,
  ) {}

  pipe(req: Request, res: Response, start: StartEvent, afterId?: string, first?: { id: string; json: string }): void {
    let unsubscribe = () => {};
    const unwatch = this.watchdog.watch(start);
    const sse = new SseResponse(req, res, () => {
      // A disconnect releases the reader at once; the run itself goes on.
      unsubscribe();
      unwatch();
      this.heartbeat.remove(sse);
      this.metrics.streamsOpen.dec();
    });
    this.metrics.streamsOpen.inc();
    this.heartbeat.add(sse);
    if (first) sse.send(first.id, first.json);
    unsubscribe = this.relay.subscribe(start.run_id, first?.id ?? afterId, {
      onEntry: (entry) => {
        sse.send(entry.id, entry.json);
        this.metrics.eventsSent.inc();
      },
      onEnd: () => sse.done(),
    });
  }
}
