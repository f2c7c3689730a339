import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { agentDefinitions, agentJob, type AgentJobPayload } from '@koda/contracts';
import type { WorkerCounts } from '../workers/worker-presence';
import { dropConnectionErrors } from './connection-errors';
import { KEEP_JOBS } from './job-retention';

/**
 * Queues a run's agent job, the run's last job: the agent ends the run itself (see
 * `AgentNodeRunner`). The orchestrator queues it after routing `auto`; the gateway queues it
 * directly for a mode that names its agent. The job id is the run id: a job added again (a
 * retried route job) is the same job, and BullMQ keeps the first.
 */
export class AgentJobQueue {
  private readonly queues = new Map<string, Queue>();

  /** `prefix`: the queue prefix every service gives BullMQ (`queuePrefix(config)`). */
  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
  ) {}

  async dispatch(payload: AgentJobPayload): Promise<void> {
    const agent = agentJob(payload.routing.node);
    await this.queueOf(agent.queue).add(agent.job, payload, { jobId: payload.run_id, attempts: 2, backoff: { type: 'fixed', delay: 100 }, ...KEEP_JOBS });
  }

  /** Workers connected to each agent's queue (a `CLIENT LIST` per queue). */
  async workerCounts(): Promise<WorkerCounts> {
    const queues = [...new Set(agentDefinitions().map((agent) => agent.queue))];
    return Object.fromEntries(await Promise.all(queues.map(async (name) => [name, await this.queueOf(name).getWorkersCount()] as const)));
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((queue) => queue.close()));
  }

  private queueOf(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = dropConnectionErrors(new Queue(name, { connection: this.connection, prefix: this.prefix }));
      this.queues.set(name, queue);
    }
    return queue;
  }
}
