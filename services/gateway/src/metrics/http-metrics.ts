import type { NextFunction, Request, Response } from 'express';
import type { GatewayMetrics } from './gateway-metrics';

/** The one route where a `Last-Event-ID` means a resume. */
const RUN_EVENTS_ROUTE = '/api/v1/runs/:run_id/events';

/**
 * Counts and times every HTTP request by its route pattern (never the raw path: ids would make
 * the label set unbounded), and the resumes answered 204 or 404 (the streamed outcomes, exact
 * and reset, are counted where the stream starts). First middleware, so refusals count too.
 */
export function httpMetrics(metrics: GatewayMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const startedAt = process.hrtime.bigint();
    res.once('close', () => {
      const routePath = (req.route as { path?: string } | undefined)?.path;
      const route = routePath ? `${req.baseUrl ?? ''}${routePath}` : 'unmatched';
      const labels = { method: req.method, route, status: String(res.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - startedAt) / 1e9);
      const resuming = req.headers['last-event-id'] !== undefined || req.query?.last_event_id !== undefined;
      if (route === RUN_EVENTS_ROUTE && resuming && (res.statusCode === 204 || res.statusCode === 404))
        metrics.resumes.inc({ outcome: String(res.statusCode) });
    });
    next();
  };
}
