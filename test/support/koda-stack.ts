import type { INestApplication, INestMicroservice } from '@nestjs/common';
import Redis, { Cluster } from 'ioredis';
import { AGENT_NODES } from '@koda/contracts';
import { bootstrapAgent } from '@koda/agents';
import { bootstrapGateway } from '@koda/gateway';
import { bootstrapOrchestrator } from '@koda/orchestrator';
import { createLogger, createRedis, loadConfig, redisTarget, type KodaConfig } from '@koda/platform';

export interface KodaStack {
  config: KodaConfig;
  baseUrl: string;
  redis: Redis;
  gateway: INestApplication;
  workers: INestMicroservice[];
  close(): Promise<void>;
}

export interface StackOptions {
  config?: Partial<Record<keyof KodaConfig, string | number>>;
  /** Which agent workers to start (every agent of the table by default); a registered agent by its node. */
  agents?: readonly string[];
  orchestrator?: boolean;
}

let counter = 0;
export const uniquePrefix = (name: string) => `test-${name}-${process.pid}-${Date.now().toString(36)}-${counter++}`;

/** The whole of KODA in this process, on its own key prefix and a free port. */
export async function startStack(name: string, options: StackOptions = {}): Promise<KodaStack> {
  const config = loadConfig(
    { ...process.env, ANTHROPIC_API_KEY: '' },
    {
      KODA_PREFIX: uniquePrefix(name),
      PORT: 0,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      KODA_OFFLINE_TOKEN_DELAY_MS: 1,
      ...(options.config as object),
    },
  );
  const logger = createLogger(`test-${name}`, config.LOG_LEVEL);
  const workers: INestMicroservice[] = [];
  if (options.orchestrator !== false) workers.push(await bootstrapOrchestrator(config, logger));
  for (const node of options.agents ?? AGENT_NODES) workers.push(await bootstrapAgent(node, config, logger));
  const gateway = await bootstrapGateway(config, logger);
  const { port } = gateway.getHttpServer().address() as { port: number };
  const redis = createRedis(redisTarget(config), `${config.KODA_PREFIX}:test`);
  return {
    config,
    baseUrl: `http://127.0.0.1:${port}`,
    redis,
    gateway,
    workers,
    close: async () => {
      await gateway.close();
      await Promise.all(workers.map((w) => w.close()));
      await deleteKeys(redis, config.KODA_PREFIX);
      await redis.quit();
    },
  };
}

/** Deletes the prefix's keys (its queues' keys too, hash-tagged on a cluster), on every master of a cluster. */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  const servers = redis instanceof Cluster ? (redis as Cluster).nodes('master') : [redis];
  for (const server of servers) {
    for (const pattern of [`${prefix}:*`, `{${prefix}:*`]) {
      let cursor = '0';
      do {
        const [next, found] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        // One key per command: on a cluster, keys of one node still span slots.
        await Promise.all(found.map((key) => redis.unlink(key)));
        cursor = next;
      } while (cursor !== '0');
    }
  }
}
