import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import { QueueName } from '@koda/contracts';
import { BullMqTransport, queuePrefix, redisTarget, PinoNestLogger, PlatformModule, type KodaConfig, type Logger } from '@koda/platform';
import { Module } from '@nestjs/common';
import { OrchestratorModule } from './orchestrator.module';

/** Starts the orchestrator: a NestJS microservice whose transport is the orchestrator queue. */
export async function bootstrapOrchestrator(config: KodaConfig, logger: Logger): Promise<INestMicroservice> {
  @Module({ imports: [PlatformModule.forRoot({ config, logger, service: 'orchestrator' }), OrchestratorModule] })
  class OrchestratorApp {}

  const app = await NestFactory.createMicroservice(OrchestratorApp, {
    strategy: new BullMqTransport({
      redisUrl: redisTarget(config),
      prefix: config.KODA_PREFIX,
      queuePrefix: queuePrefix(config),
      queues: [QueueName.Orchestrator],
      concurrency: config.KODA_WORKER_CONCURRENCY,
      lockMs: config.KODA_JOB_LOCK_MS,
      shutdownGraceMs: config.KODA_SHUTDOWN_GRACE_MS,
      metricsPort: config.KODA_METRICS_PORT,
      service: 'orchestrator',
      logger,
    }),
    logger: new PinoNestLogger(logger),
    bufferLogs: false,
  });
  await app.listen();
  return app;
}
