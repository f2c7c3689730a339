import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import type { KodaConfig } from '@koda/platform';

/**
 * Security headers on every answer (helmet; the chat page keeps its own stricter CSP, set by
 * serve-web on the HTML), and cross-origin calls only from the `KODA_CORS_ORIGINS` allow-list
 * (none by default: browsers then reach the API from the page's own origin only).
 */
export function edgeHygiene(app: NestExpressApplication, config: KodaConfig): void {
  app.use(helmet({ contentSecurityPolicy: false }));
  const origins = corsOrigins(config.KODA_CORS_ORIGINS);
  if (origins.length === 0) return;
  app.enableCors({
    origin: origins,
    methods: ['GET', 'POST', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Accept', 'Last-Event-ID', 'Idempotency-Key'],
    exposedHeaders: ['X-Run-Id', 'X-Session-Id', 'Retry-After', 'Idempotent-Replayed'],
    maxAge: 600,
  });
}

export function corsOrigins(setting: string | undefined): string[] {
  return (setting ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}
