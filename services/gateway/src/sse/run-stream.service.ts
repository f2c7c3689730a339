import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { ORIGIN_ID, type ResetEvent, type StartEvent } from '@koda/contracts';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { RunStreamRelay } from '../relay/run-stream-relay';
import { RunWatchdog } from '../runs/run-watchdog';
import type { ClientPresence } from './client-presence';
import { Heartbeat } from './heartbeat';
import { SseResponse } from './sse-response';

/** How soon a client cut off by this gateway (shutdown, a relay fault) should reconnect. */
export const RESUME_RETRY_MS = 1000;

export interface PipeOptions {
  /** Resume after this (canonical) id; from the start when absent. */
  afterId?: string;
  /** The run's first entry, already in hand (a new run): written at once, read from after it. */
  first?: { id: string; json: string };
  /** The client's id is not in this run's log: say so, then send the whole run. */
  reset?: Pick<ResetEvent, 'reason' | 'last_event_id'>;
}

/**
 * Pipes a run's log into an SSE response, from a given id, until the terminal event and
 * `[DONE]`; while it does, the watchdog makes sure the run ends by its deadline. Everything
 * registered here is undone when the client leaves, even if it left before we got here.
 */
@Injectable()
export class RunStreamService {
  private readonly open = new Set<SseResponse>();
  /** Set once shutdown began: a stream opened after that is handed to another replica at once. */
  private closing = false;

  constructor(
    private readonly relay: RunStreamRelay,
    private readonly heartbeat: Heartbeat,
    private readonly metrics: GatewayMetrics,
    private readonly watchdog: RunWatchdog,
  ) {}

  get openStreams(): number {
    return this.open.size;
  }

  pipe(presence: ClientPresence, res: Response, start: StartEvent, options: PipeOptions = {}): void {
    if (presence.isGone) return;
    const sse = new SseResponse(res);
    this.open.add(sse);
    this.metrics.streamsOpen.inc();
    this.metrics.sseConnections.inc({ event: 'opened' });
    if (options.reset || options.afterId) {
      this.metrics.sseConnections.inc({ event: 'resumed' });
      this.metrics.resumes.inc({ outcome: options.reset ? 'reset' : 'exact' });
    }
    this.heartbeat.add(sse);
    const unwatch = this.watchdog.watch(start);
    if (options.reset) sse.send(ORIGIN_ID, JSON.stringify(resetEvent(start, options.reset)));
    if (options.first) sse.send(options.first.id, options.first.json);
    const unsubscribe = this.relay.subscribe(start.run_id, options.first?.id ?? options.afterId, {
      onEntry: (entry) => {
        sse.send(entry.id, entry.json);
        this.metrics.eventsSent.inc();
      },
      onEnd: () => sse.done(),
      onAbort: (reason) => sse.closeForResume(RESUME_RETRY_MS, reason),
    });
    if (this.closing) sse.closeForResume(RESUME_RETRY_MS, 'shutting down');
    presence.onGone(() => {
      // A disconnect releases the reader at once; the run itself goes on.
      unsubscribe();
      unwatch();
      this.heartbeat.remove(sse);
      this.open.delete(sse);
      this.metrics.streamsOpen.dec();
      this.metrics.sseConnections.inc({ event: 'closed' });
    });
  }

  /**
   * Shutdown: every stream closes with `retry:`, for its client to resume on another replica.
   * Resolves once their connections are closed: exiting before that could cut a client before
   * it read the end.
   */
  closeAllForResume(reason: string): Promise<void> {
    this.closing = true;
    const streams = [...this.open];
    for (const sse of streams) sse.closeForResume(RESUME_RETRY_MS, reason);
    return Promise.all(streams.map((sse) => sse.connectionClosed())).then(() => undefined);
  }
}

function resetEvent(start: StartEvent, reset: Pick<ResetEvent, 'reason' | 'last_event_id'>): ResetEvent {
  return { type: 'reset', run_id: start.run_id, timestamp: new Date().toISOString(), ...reset };
}
