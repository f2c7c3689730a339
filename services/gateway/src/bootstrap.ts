import 'reflect-metadata';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { PinoNestLogger, PlatformModule, type KodaConfig, type Logger } from '@koda/platform';
import { authenticate } from './auth/auth-middleware';
import { authStartupProblem, AuthStartupError } from './auth/auth-startup';
import { Authenticator } from './auth/authenticator';
import { StreamTokens } from './auth/stream-tokens';
import { GatewayModule } from './gateway.module';
import { RedisMonitor } from './health/redis-monitor';
import { edgeHygiene } from './http/edge-hygiene';
import { refuseRepeatedHeaders } from './http/repeated-headers';
import { jsonBody, jsonBodyErrors } from './http/json-body';
import { serveOpenApi } from './http/openapi';
import { refuseStructuredQuery } from './http/query-param';
import { createValidationPipe } from './http/validation-pipe';
import { UnexpectedErrorFilter } from './http/unexpected-error.filter';
import { GatewayLifecycle } from './lifecycle/gateway-lifecycle';
import { GatewayMetrics } from './metrics/gateway-metrics';
import { httpMetrics } from './metrics/http-metrics';
import { requestGate } from './lifecycle/request-gate';
import { RequestsInFlight } from './sse/client-presence';
import { serveWeb } from './web/serve-web';

/**
 * Starts the HTTP gateway on `config.HOST`:`config.PORT` (0 picks a free port; read it from the
 * server). Refuses to start without authentication on a non-loopback address.
 */
export async function bootstrapGateway(config: KodaConfig, logger: Logger): Promise<INestApplication> {
  const authProblem = authStartupProblem(config);
  if (authProblem) throw new AuthStartupError(authProblem);
  @Module({
    imports: [
      PlatformModule.forRoot({ config, logger, service: 'gateway', commandRetries: 0, commandTimeoutMs: config.KODA_REDIS_COMMAND_TIMEOUT_MS }),
      GatewayModule,
    ],
  })
  class GatewayApp {}

  const app = await NestFactory.create<NestExpressApplication>(GatewayApp, { bodyParser: false, logger: new PinoNestLogger(logger) });
  const monitor = app.get(RedisMonitor);
  const lifecycle = app.get(GatewayLifecycle);
  app.use(httpMetrics(app.get(GatewayMetrics)));
  // Presence first: a client that hangs up during any later step is still seen leaving.
  app.use(app.get(RequestsInFlight).track);
  app.use(
    requestGate({
      get draining() {
        return lifecycle.draining;
      },
      get redisUsable() {
        return monitor.usable;
      },
      get redisFull() {
        return monitor.state.status === 'full';
      },
    }),
  );
  edgeHygiene(app, config);
  app.use(refuseRepeatedHeaders);
  app.use(authenticate(app.get(Authenticator), app.get(StreamTokens)));
  app.use(refuseStructuredQuery, jsonBody, jsonBodyErrors);
  app.set('query parser', 'simple');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new UnexpectedErrorFilter(logger, (trouble) => monitor.report(trouble)));
  app.disable('x-powered-by');
  serveWeb(app, logger);
  serveOpenApi(app);
  await app.listen(config.PORT, config.HOST);
  const { port } = app.getHttpServer().address() as { port: number };
  logger.info({ port, host: config.HOST, auth: config.KODA_AUTH, url: `http://localhost:${port}/` }, `gateway listening on http://localhost:${port}/`);
  return app;
}
