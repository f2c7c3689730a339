import 'reflect-metadata';
import { Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BullMqTransport, queuePrefix, redisTarget, PinoNestLogger, PlatformModule, type KodaConfig, type Logger } from '@koda/platform';
import { agentImplementation } from './agent-catalog';
import { AgentsModule } from './agents.module';

/**
 * Starts one agent's worker: a NestJS microservice consuming that agent's queue only (from the
 * agent table), with the generic agent job running the agent's body. Throws on an unknown node.
 */
export async function bootstrapAgent(node: string, config: KodaConfig, rootLogger: Logger): Promise<INestMicroservice> {
  const agent = agentImplementation(node);
  const logger = rootLogger.child({ worker: node });

  @Module({ imports: [PlatformModule.forRoot({ config, logger, service: `agent-${node}` }), AgentsModule.forAgent(agent)] })
  class AgentApp {}

  const app = await NestFactory.createMicroservice(AgentApp, {
    strategy: new BullMqTransport({
      redisUrl: redisTarget(config),
      prefix: config.KODA_PREFIX,
      queuePrefix: queuePrefix(config),
      queues: [agent.definition.queue],
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
