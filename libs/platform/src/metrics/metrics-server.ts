import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { scrapeMetrics } from './koda-metrics';

/** What `/health/ready` answers: ready or not, and why, per dependency. */
export interface Readiness {
  ready: boolean;
  [detail: string]: unknown;
}

export interface MetricsServerOptions {
  port: number;
  /** The service's own registry (process metrics); the platform series are merged in. */
  registry: Registry;
  readiness: () => Promise<Readiness>;
  logger: Logger;
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * A worker's small HTTP port (`KODA_METRICS_PORT`): `/metrics` for Prometheus, `/health/live`
 * (the process answers) and `/health/ready` (503 with details while it cannot do its work).
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const answer = (status: number, type: string, body: string) => res.writeHead(status, { 'Content-Type': type }).end(body);
    const json = (status: number, body: unknown) => answer(status, 'application/json; charset=utf-8', JSON.stringify(body));
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'method_not_allowed' });
    if (path === '/metrics') {
      return void scrapeMetrics(options.registry).then(
        (text) => answer(200, 'text/plain; version=0.0.4; charset=utf-8', text),
        (err: unknown) => json(500, { error: 'metrics_failed', message: (err as Error).message }),
      );
    }
    if (path === '/health/live') return json(200, { status: 'ok' });
    if (path === '/health/ready') {
      return void options.readiness().then(
        (readiness) => json(readiness.ready ? 200 : 503, { status: readiness.ready ? 'ok' : 'not_ready', ...readiness }),
        (err: unknown) => json(503, { status: 'not_ready', ready: false, error: (err as Error).message }),
      );
    }
    json(404, { error: 'not_found', message: 'Try /metrics, /health/live or /health/ready.' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  options.logger.info({ metrics_port: port }, `metrics and health on http://localhost:${port}/metrics`);
  return { port, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
