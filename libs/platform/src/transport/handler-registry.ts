import { jobsOfQueue } from '@koda/contracts';

/**
 * Refuses a wiring where a job of a served queue has no handler, or two, or where a handler
 * answers a job no served queue carries: such a server would silently drop or misroute work.
 */
export function assertHandlersComplete(queues: string[], handlerCounts: Map<string, number>): void {
  const expected = new Set(queues.flatMap((queue) => jobsOfQueue(queue)));
  const problems: string[] = [];
  for (const job of expected) {
    const count = handlerCounts.get(job) ?? 0;
    if (count !== 1) problems.push(`job "${job}" has ${count} handlers (exactly one required)`);
  }
  for (const pattern of handlerCounts.keys()) {
    if (!expected.has(pattern)) problems.push(`handler for "${pattern}" answers no job of queues ${queues.join(', ')}`);
  }
  if (problems.length > 0) throw new Error(`Job handlers are miswired:\n  - ${problems.join('\n  - ')}`);
}
