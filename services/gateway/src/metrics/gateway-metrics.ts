import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { createServiceRegistry, scrapeMetrics } from '@koda/platform';

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** How a resume (a request with `Last-Event-ID`) was answered. */
export type ResumeOutcome = 'exact' | 'reset' | '204' | '404';

/**
 * The gateway's Prometheus metrics, on a registry of its own (several apps may share a process);
 * a scrape merges in the platform series (runs it ended, queues; every service's in `npm start`).
 */
@Injectable()
export class GatewayMetrics {
  readonly registry = createServiceRegistry('gateway');
  private readonly registers = [this.registry];
  readonly runsStarted = new Counter({ name: 'koda_runs_started_total', help: 'Runs accepted', labelNames: ['mode'], registers: this.registers });
  readonly streamsOpen = new Gauge({ name: 'koda_sse_streams_open', help: 'SSE streams open on this gateway', registers: this.registers });
  readonly eventsSent = new Counter({ name: 'koda_sse_events_sent_total', help: 'Events written to SSE clients', registers: this.registers });
  readonly malformedEntries = new Counter({
    name: 'koda_relay_malformed_entries_total',
    help: 'Run-log entries skipped as malformed',
    registers: this.registers,
  });
  readonly rejectedRequests = new Counter({
    name: 'koda_requests_rejected_total',
    help: 'Requests answered 4xx before any work',
    labelNames: ['status'],
    registers: this.registers,
  });
  readonly httpRequests = new Counter({
    name: 'koda_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern (`unmatched` for no route) and status',
    labelNames: ['method', 'route', 'status'],
    registers: this.registers,
  });
  readonly httpDuration = new Histogram({
    name: 'koda_http_request_duration_seconds',
    help: 'From request to response end (a stream: until it closes)',
    labelNames: ['method', 'route', 'status'],
    buckets: HTTP_BUCKETS,
    registers: this.registers,
  });
  readonly sseConnections = new Counter({
    name: 'koda_sse_connections_total',
    help: 'SSE streams by event: opened, closed, resumed',
    labelNames: ['event'],
    registers: this.registers,
  });
  readonly resumes = new Counter({
    name: 'koda_sse_resumes_total',
    help: 'Resumes (Last-Event-ID) by outcome: exact, reset (id not in the run), 204 (run already over), 404 (unknown run)',
    labelNames: ['outcome'],
    registers: this.registers,
  });
  readonly redisUp = new Gauge({
    name: 'koda_redis_up',
    help: '1 while the gateway finds Redis usable (reachable, not full), else 0',
    registers: this.registers,
  });
  readonly redisUsedMemory = new Gauge({ name: 'koda_redis_used_memory_bytes', help: 'Redis used_memory at the last check', registers: this.registers });
  readonly redisMaxMemory = new Gauge({
    name: 'koda_redis_maxmemory_bytes',
    help: 'Redis maxmemory at the last check (0: no limit)',
    registers: this.registers,
  });

  constructor() {
    for (const event of ['opened', 'closed', 'resumed']) this.sseConnections.inc({ event }, 0);
    for (const outcome of ['exact', 'reset', '204', '404'] satisfies ResumeOutcome[]) this.resumes.inc({ outcome }, 0);
  }

  scrape(): Promise<string> {
    return scrapeMetrics(this.registry);
  }
}
