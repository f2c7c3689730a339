import 'reflect-metadata';
import { Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AGENT_JOB, type AgentNode } from '@koda/contracts';
import { BullMqTransport, queuePrefix, redisTarget, PinoNestLogger, PlatformModule, type KodaConfig, type Logger } from '@koda/platform';
import { AgentsModule } from './agents.module';

/** Starts one agent node's worker: a NestJS microservice consuming that node's queue only. */
export async function bootstrapAgent(node: AgentNode, config: KodaConfig, rootLogger: Logger): Promise<INestMicroservice> {
  const logger = rootLogger.child({ worker: node });

  @Module({ imports: [PlatformModule.forRoot({ config, logger, service: `agent-${node}` }), AgentsModule.forNode(node)] })
  class AgentApp {}

  const app = await NestFactory.createMicroservice(AgentApp, {
    strategy: new BullMqTransport({
      redisUrl: redisTarget(config),
      prefix: config.KODA_PREFIX,
      queuePrefix: queuePrefix(config),
      queues: [AGENT_JOB[node].queue],
      concurrency: config.KODA_WORKER_CONCURRENCY,
      lockMs: config.KODA_JOB_LOCK_MS,
      shutdownGraceMs: config.KODA_SHUTDOWN_GRACE_MS,
      metricsPort: config.KODA_METRICS_PORT,
      service: `agent_${node}`,
      logger,
    }),
    logger: new PinoNestLogger(logger),
  });
  await app.listen();
  return app;
}
