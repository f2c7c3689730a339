import { Queue } from 'bullmq';
import { allQueues } from '@koda/contracts';
import { queuePrefix } from '@koda/platform';
import type { KodaStack } from './koda-stack';

/** Jobs in every queue of the stack, whatever their state: a run's first job may be the orchestrator's or its agent's. */
export async function jobsInAllQueues(stack: KodaStack): Promise<number> {
  let total = 0;
  for (const name of allQueues()) {
    const queue = new Queue(name, { connection: stack.redis, prefix: queuePrefix(stack.config) });
    try {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized', 'waiting-children');
      total += Object.values(counts).reduce((a, b) => a + b, 0);
    } finally {
      await queue.close();
    }
  }
  return total;
}
