import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { FlowProducer } from 'bullmq';
import type Redis from 'ioredis';
import { agentJob, JobName, QueueName, type AgentJobPayload, type FinalizeRunPayload } from '@koda/contracts';
import { createRedis, dropConnectionErrors, KEEP_JOBS, KODA_CONFIG, LOGGER, queuePrefix, redisTarget, type KodaConfig, type Logger } from '@koda/platform';

/**
 * Dispatches a run's agent job as a BullMQ flow: the agent job is the child, `finalize-run`
 * the parent, which runs once the child is done (or failed: `ignoreDependencyOnFailure`), so
 * every dispatched run is finalised. Job ids derive from the run id: a retried route job
 * adds the same flow again and BullMQ keeps the first.
 */
@Injectable()
export class AgentFlow implements OnApplicationShutdown {
  private readonly producer: FlowProducer;
  private readonly connection: Redis;

  constructor(@Inject(KODA_CONFIG) config: KodaConfig, @Inject(LOGGER) logger: Logger) {
    this.connection = createRedis(redisTarget(config), `${config.KODA_PREFIX}:orchestrator:flow`, { logger });
    this.producer = dropConnectionErrors(new FlowProducer({ connection: this.connection, prefix: queuePrefix(config) }));
  }

  async dispatch(payload: AgentJobPayload): Promise<void> {
    const { history: _history, ...runWithRouting } = payload;
    const parent: FinalizeRunPayload = runWithRouting;
    const agent = agentJob(payload.routing.node);
    await this.producer.add({
      name: JobName.FinalizeRun,
      queueName: QueueName.Orchestrator,
      data: parent,
      opts: { jobId: `${payload.run_id}-finalize`, attempts: 3, backoff: { type: 'exponential', delay: 200 }, ...KEEP_JOBS },
      children: [
        {
          name: agent.job,
          queueName: agent.queue,
          data: payload,
          opts: { jobId: payload.run_id, attempts: 2, backoff: { type: 'fixed', delay: 100 }, ignoreDependencyOnFailure: true, ...KEEP_JOBS },
        },
      ],
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.close();
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
