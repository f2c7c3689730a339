import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

/** The gateway's Prometheus metrics, on a registry of its own (several apps may share a process). */
@Injectable()
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly runsStarted = new Counter({ name: 'koda_runs_started_total', help: 'Runs accepted', labelNames: ['mode'], registers: [this.registry] });
  readonly streamsOpen = new Gauge({ name: 'koda_sse_streams_open', help: 'SSE streams open on this gateway', registers: [this.registry] });
  readonly eventsSent = new Counter({ name: 'koda_sse_events_sent_total', help: 'Events written to SSE clients', registers: [this.registry] });
  readonly malformedEntries = new Counter({ name: 'koda_relay_malformed_entries_total', help: 'Run-log entries skipped as malformed', registers: [this.registry] });
  readonly rejectedRequests = new Counter({ name: 'koda_requests_rejected_total', help: 'Requests answered 4xx before any work', labelNames: ['status'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'koda_gateway_' });
  }
}
