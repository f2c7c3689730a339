import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { CANCEL_REASON, INTERRUPTED_MESSAGE, keys, type RunContext } from '@koda/contracts';
import { LlmError } from '@koda/llm';
import { createRedis, redisTarget, KODA_CONFIG, LOGGER, REDIS, type KodaConfig, type Logger } from '@koda/platform';

/**
 * One AbortSignal per running node, aborted when the run is cancelled (from any gateway, via
 * Redis pub/sub and a flag for cancels that came before) or passes its deadline. The abort
 * reason is an `LlmError` carrying the code the run ends with.
 */
@Injectable()
export class CancelSignals implements OnModuleInit, OnApplicationShutdown {
  private readonly running = new Map<string, Set<AbortController>>();
  private readonly subscriber: Redis;

  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    // Reconnects (and resubscribes) with createRedis's capped exponential backoff, logging state changes once.
    this.subscriber = createRedis(redisTarget(config), `${config.KODA_PREFIX}:agents:cancel`, { logger });
  }

  async onModuleInit(): Promise<void> {
    this.subscriber.on('message', (_channel: string, runId: string) => void this.abortRun(runId));
    await this.subscriber.subscribe(keys.cancelChannel(this.config.KODA_PREFIX));
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscriber.disconnect();
  }

  /** A signal for one node of a run; call the returned `release` when the node is done. */
  async register(run: RunContext): Promise<{ signal: AbortSignal; release: () => void }> {
    const controller = new AbortController();
    const set = this.running.get(run.run_id) ?? new Set();
    set.add(controller);
    this.running.set(run.run_id, set);
    const deadline = setTimeout(() => controller.abort(timeoutError(this.config.KODA_RUN_TIMEOUT_MS)), Math.max(0, run.deadline_at - Date.now()));
    const release = () => {
      clearTimeout(deadline);
      set.delete(controller);
      if (set.size === 0) this.running.delete(run.run_id);
    };
    try {
      const reason = await this.redis.get(keys.runCancel(this.config.KODA_PREFIX, run.run_id));
      if (reason !== null) controller.abort(stopError(reason));
    } catch (error) {
      release();
      throw error;
    }
    return { signal: controller.signal, release };
  }

  /** The cancel flag's value says why (`interrupted` by a newer message, or a plain cancel). */
  private async abortRun(runId: string): Promise<void> {
    if (!this.running.has(runId)) return;
    const reason = await this.redis.get(keys.runCancel(this.config.KODA_PREFIX, runId)).catch(() => null);
    const controllers = this.running.get(runId);
    if (!controllers) return;
    this.logger.info({ run_id: runId, nodes: controllers.size, reason: reason ?? 'cancelled' }, 'cancelling run');
    controllers.forEach((c) => c.abort(stopError(reason)));
  }
}

/** What a cancel flag's value means; `interrupted` keeps the partial answer marked so. */
function stopError(reason: string | null): LlmError {
  if (reason === CANCEL_REASON.interrupted) return new LlmError('interrupted', INTERRUPTED_MESSAGE, false);
  return new LlmError('cancelled', 'The run was cancelled.', false);
}
const timeoutError = (ms: number) => new LlmError('timeout', `The run took longer than its ${Math.round(ms / 1000)} s limit.`, false);
