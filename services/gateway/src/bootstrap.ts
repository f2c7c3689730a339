import 'reflect-metadata';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { PinoNestLogger, PlatformModule, type KodaConfig, type Logger } from '@koda/platform';
import { GatewayModule } from './gateway.module';
import { jsonBody, jsonBodyErrors } from './http/json-body';
import { createValidationPipe } from './http/validation-pipe';
import { UnexpectedErrorFilter } from './http/unexpected-error.filter';
import { serveWeb } from './web/serve-web';

/** Starts the HTTP gateway on `config.PORT` (0 picks a free port; read it from the server). */
export async function bootstrapGateway(config: KodaConfig, logger: Logger): Promise<INestApplication> {
  @Module({ imports: [PlatformModule.forRoot({ config, logger, service: 'gateway', commandRetries: 2 }), GatewayModule] })
  class GatewayApp {}

  const app = await NestFactory.create<NestExpressApplication>(GatewayApp, { bodyParser: false, logger: new PinoNestLogger(logger) });
  app.use(jsonBody, jsonBodyErrors);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new UnexpectedErrorFilter(logger));
  app.disable('x-powered-by');
  serveWeb(app, logger);
  await app.listen(config.PORT);
  const { port } = app.getHttpServer().address() as { port: number };
  logger.info({ port, url: `http://localhost:${port}/` }, `gateway listening on http://localhost:${port}/`);
  return app;
}
