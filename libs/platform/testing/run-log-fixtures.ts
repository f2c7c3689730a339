import Redis from 'ioredis';
import type { AgentOutcome, RunContext } from '@koda/contracts';

/** A connection for one spec file, under a prefix of its own; `close()` deletes that prefix's keys, then quits. */
export function specRedis(name: string): { prefix: string; redis: Redis; close(): Promise<void> } {
  const prefix = `test-${name}-${process.pid}-${Date.now()}`;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const close = async () => {
    const found = await redis.keys(`${prefix}:*`);
    if (found.length) await redis.del(...found);
    await redis.quit();
  };
  return { prefix, redis, close };
}

/** A plume run accepted now, with ten seconds to live. */
export const specRun = (id: string): RunContext => ({
  run_id: id,
  session_id: `s-${id}`,
  message: 'question',
  mode: 'plume',
  accepted_at: Date.now(),
  deadline_at: Date.now() + 10_000,
});

/** What an agent answered, free of charge. */
export const specOutcome: AgentOutcome = {
  response: 'answer',
  agent_used: 'plume',
  tokens_used: 3,
  input_tokens: 1,
  output_tokens: 2,
  cost_eur: 0,
  metadata: {},
};
