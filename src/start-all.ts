import 'reflect-metadata';
import { AGENT_NODES } from '@koda/contracts';
import { bootstrapAgent } from '@koda/agents';
import { bootstrapGateway } from '@koda/gateway';
import { bootstrapOrchestrator } from '@koda/orchestrator';
import { createLogger, DEFAULT_REDIS_URL, loadConfig, locateRedis, runUntilSignal } from '@koda/platform';

/**
 * `npm start`: the whole of KODA in one process (gateway, orchestrator and the three agent
 * workers), against REDIS_URL, the local Redis, or a private redis-server started for it.
 * Each service also runs alone (see README); this is the same code, started together.
 */
async function main(): Promise<void> {
  const bootLogger = createLogger('koda', process.env.LOG_LEVEL || 'info');
  let located;
  try {
    // A cluster (KODA_REDIS_CLUSTER_NODES) is used as configured; REDIS_URL is then unused.
    located = process.env.KODA_REDIS_CLUSTER_NODES
      ? { url: process.env.REDIS_URL || DEFAULT_REDIS_URL, origin: 'configured' as const, stop: async () => undefined }
      : await locateRedis(process.env.REDIS_URL || undefined);
  } catch (error) {
    bootLogger.fatal((error as Error).message);
    process.exit(1);
  }
  let config;
  try {
    config = loadConfig(process.env, { REDIS_URL: located.url });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    await located.stop();
    process.exit(78);
  }
  const logger = createLogger('koda', config.LOG_LEVEL);
  logger.info(
    {
      redis: config.KODA_REDIS_CLUSTER_NODES ? `cluster ${config.KODA_REDIS_CLUSTER_NODES}` : located.url,
      origin: located.origin,
      provider: config.ANTHROPIC_API_KEY ? 'anthropic' : 'offline',
    },
    'starting KODA',
  );
  // One process, one port: the gateway's /metrics serves every service's series merged.
  const workerConfig = Object.assign(Object.create(Object.getPrototypeOf(config) as object) as typeof config, config, { KODA_METRICS_PORT: 0 });
  runUntilSignal(
    logger,
    async () => [
      await bootstrapOrchestrator(workerConfig, createLogger('orchestrator', config.LOG_LEVEL)),
      ...(await Promise.all(AGENT_NODES.map((node) => bootstrapAgent(node, workerConfig, createLogger('agents', config.LOG_LEVEL))))),
      await bootstrapGateway(config, createLogger('gateway', config.LOG_LEVEL)),
    ],
    () => located.stop(),
    { graceMs: config.KODA_SHUTDOWN_GRACE_MS },
  );
}

void main();
