import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { RunStreamRelay } from '../relay/run-stream-relay';
import { Heartbeat } from './heartbeat';
import { SseResponse } from './sse-response';

/** Pipes a run's log into an SSE response, from a given id, until the terminal event and `[DONE]`. */
@Injectable()
export class RunStreamService {
  constructor(
    private readonly relay: RunStreamRelay,
    private readonly heartbeat: Heartbeat,
    private readonly metrics: GatewayMetrics,
  ) {}

  pipe(req: Request, res: Response, runId: string, afterId?: string, first?: { id: string; json: string }): void {
    let unsubscribe = () => {};
    const sse = new SseResponse(req, res, () => {
      // A disconnect releases the reader at once; the run itself goes on.
      unsubscribe();
      this.heartbeat.remove(sse);
      this.metrics.streamsOpen.dec();
    });
    this.metrics.streamsOpen.inc();
    this.heartbeat.add(sse);
    if (first) sse.send(first.id, first.json);
    unsubscribe = this.relay.subscribe(runId, first?.id ?? afterId, {
      onEntry: (entry) => {
        sse.send(entry.id, entry.json);
        this.metrics.eventsSent.inc();
      },
      onEnd: () => sse.done(),
    });
  }
}
