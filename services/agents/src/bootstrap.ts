import 'reflect-metadata';
import { Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { RunContextSchema, type RunResult } from '@koda/contracts';
import { BullMqTransport, failRun, queuePrefix, redisTarget, PinoNestLogger, PlatformModule, RunEventLog, type KodaConfig, type Logger } from '@koda/platform';
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

  // The run log comes from the app, which exists once the transport does.
  let events: RunEventLog | null = null;
  const onRefused = async (data: unknown, reason: string) => {
    const run = RunContextSchema.safeParse(data);
    if (!run.success || !events) return;
    await failRun(events, run.data, {
      code: 'agent_failed',
      node: agent.definition.node as RunResult['agent_used'],
      message: `The ${node} agent failed: ${reason}`,
    });
  };
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
      onRefused,
    }),
    logger: new PinoNestLogger(logger),
  });
  events = app.get(RunEventLog);
  await app.listen();
  return app;
}
