import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { keys, type AgentJobPayload, type AgentNode, type AgentOutcome, type RunEventDraft } from '@koda/contracts';
import type { LlmProvider } from '@koda/llm';
import { failRun, KODA_CONFIG, LOGGER, REDIS, RunEventLog, runLogger, type KodaConfig, type Logger } from '@koda/platform';
import { LLM_PROVIDER } from '../llm/llm-provider.factory';
import { CancelSignals } from './cancel-signals';
import type { NodeAnswer, NodeBody, NodeContext } from './node-context';
import { toNodeFailure } from './node-failure';
import { TokenCoalescer } from './token-coalescer';

/**
 * The one wrapper every agent node runs in, so no node can forget to publish (the seed's bug):
 * `processing` started, the node's tokens, then `processing` completed, or on failure a
 * `retrying` start-over or a fatal `error` that ends the run. A node body only computes.
 */
@Injectable()
export class AgentNodeRunner {
  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LLM_PROVIDER) private readonly llm: LlmProvider,
    private readonly log: RunEventLog,
    private readonly cancels: CancelSignals,
  ) {}

  /** Runs a node; returns its outcome for the flow parent, or null when the node ended the run. */
  async run(node: AgentNode, run: AgentJobPayload, body: NodeBody): Promise<AgentOutcome | null> {
    const log = runLogger(this.logger, run, { node });
    const [{ signal, release }, firstAttempt] = await Promise.all([this.cancels.register(run), this.startAttempt(node, run)]);
    try {
      let attempt = firstAttempt;
      for (;;) {
        const tokens = new TokenCoalescer(1000 / this.config.KODA_TOKEN_EVENTS_PER_S, (delta, tag) => this.log.append(run.run_id, { type: 'token', node, delta, ...tag }));
        const ctx = this.context(node, run, signal, tokens, log);
        try {
          const answer = await body(ctx);
          await tokens.flush();
          await this.log.append(run.run_id, { type: 'processing', node, status: 'completed', attempt });
          return outcomeOf(node, answer);
        } catch (error) {
          await tokens.flush();
          const failure = toNodeFailure(node, error, signal);
          if (failure.retryable && attempt < this.config.KODA_LLM_MAX_ATTEMPTS) {
            log.warn({ code: failure.code, attempt, err: error }, 'node failed; starting over');
            attempt += 1;
            await this.announceRetry(node, run, attempt, failure.code, failure.message);
            continue;
          }
          log.warn({ code: failure.code, attempt, err: error }, 'node failed; ending the run');
          await this.log.append(run.run_id, { type: 'processing', node, status: 'error', attempt, detail: failure.code });
          await failRun(this.log, run, { code: failure.code, message: failure.message, node, partial: tokens.text });
          return null;
        }
      }
    } finally {
      release();
    }
  }

  /** Counts attempts in Redis: a node that finds an earlier attempt was lost says it starts over. */
  private async startAttempt(node: AgentNode, run: AgentJobPayload): Promise<number> {
    const key = keys.runAttempts(this.config.KODA_PREFIX, run.run_id, node);
    const [[, attempt]] = (await this.redis.multi().incr(key).expire(key, this.config.KODA_RUN_TTL_SECONDS).exec()) as [[null, number]];
    if (attempt > 1) await this.announceRetry(node, run, attempt, 'worker_lost', 'A worker stopped mid-answer.');
    else await this.log.append(run.run_id, { type: 'processing', node, status: 'started', attempt });
    return attempt;
  }

  private async announceRetry(node: AgentNode, run: AgentJobPayload, attempt: number, code: NodeFailureCode, message: string): Promise<void> {
    await this.log.append(run.run_id, { type: 'error', code, message: `${message} Starting over (attempt ${attempt}).`, fatal: false, node });
    await this.log.append(run.run_id, { type: 'processing', node, status: 'retrying', attempt });
  }

  private context(node: AgentNode, run: AgentJobPayload, signal: AbortSignal, tokens: TokenCoalescer, log: Logger): NodeContext {
    return {
      run,
      node,
      signal,
      llm: this.llm,
      log,
      token: (delta, tag) => tokens.push(delta, tag),
      publish: async (draft: RunEventDraft) => {
        await tokens.flush();
        await this.log.append(run.run_id, draft);
      },
    };
  }
}

type NodeFailureCode = ReturnType<typeof toNodeFailure>['code'];

function outcomeOf(node: AgentNode, answer: NodeAnswer): AgentOutcome {
  const { input_tokens, output_tokens } = answer.usage;
  return {
    response: answer.response,
    agent_used: node,
    input_tokens,
    output_tokens,
    tokens_used: input_tokens + output_tokens,
    cost_eur: answer.cost_eur,
    metadata: {
      provider: answer.provider,
      model: answer.model,
      ...(answer.clickable_objects ? { clickable_objects: answer.clickable_objects } : {}),
      ...(answer.turns ? { turns: answer.turns } : {}),
    },
  };
}
