import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { keys, type AgentJobPayload, type AgentMessageEvent, type AgentNode, type AgentOutcome, type RunEventDraft } from '@koda/contracts';
import type { LlmProvider } from '@koda/llm';
import { failRun, KODA_CONFIG, LOGGER, platformMetrics, REDIS, RunEventLog, runLogger, type KodaConfig, type Logger } from '@koda/platform';
import { LLM_PROVIDER } from '../llm/llm-provider.factory';
import { AttemptGuard, AttemptStopped, HandBack } from './attempt-guard';
import { CancelSignals } from './cancel-signals';
import type { NodeAnswer, NodeBody, NodeContext, NodeEventDraft } from './node-context';
import { toNodeFailure } from './node-failure';
import { TokenCoalescer } from './token-coalescer';

/**
 * The one wrapper every agent node runs in, so no node can forget to publish (the seed's bug):
 * `processing` started, the node's tokens, then `processing` completed, or on failure a
 * `retrying` start-over or a fatal `error` that ends the run. A node body only computes.
 *
 * Every attempt is fenced: it writes with its attempt number, and the run log refuses the
 * writes of an attempt older than the node's current one. An attempt whose write is refused,
 * or whose worker lost the job's lock, stops its LLM call and writes nothing more.
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

  /**
   * Runs a node; returns its outcome for the flow parent, or null when the node ended the run
   * (or found it ended). `job` aborts when the worker loses the job or hands it back.
   */
  async run(node: AgentNode, run: AgentJobPayload, body: NodeBody, job?: AbortSignal): Promise<AgentOutcome | null> {
    const log = runLogger(this.logger, run, { node });
    const { signal: cancel, release } = await this.cancels.register(run);
    try {
      return await this.attempts(node, run, body, cancel, log, job);
    } catch (error) {
      if (error instanceof AttemptStopped && error.reason !== 'write_failed') return this.stopQuietly(error, log);
      throw error;
    } finally {
      release();
    }
  }

  private async attempts(
    node: AgentNode,
    run: AgentJobPayload,
    body: NodeBody,
    cancel: AbortSignal,
    log: Logger,
    job?: AbortSignal,
  ): Promise<AgentOutcome | null> {
    let guard = new AttemptGuard(node, await this.nextAttempt(node, run), cancel, job);
    await this.startAttempt(guard, run, log);
    const firstToken = once(() => platformMetrics.timeToFirstToken.observe({ mode: run.mode, agent: node }, Math.max(0, Date.now() - run.accepted_at) / 1000));
    for (;;) {
      const attempt = guard.attempt;
      const current = guard;
      const tokens = new TokenCoalescer(
        1000 / this.config.KODA_TOKEN_EVENTS_PER_S,
        (delta, tag) => this.publish(current, run, { type: 'token', node, delta, ...tag, attempt }).then(firstToken),
        (error) => current.stop('write_failed', error),
      );
      try {
        const ctx = await this.context(current, run, tokens, log);
        const answer = await body(ctx);
        await tokens.flush();
        await this.publish(current, run, { type: 'processing', node, status: 'completed', attempt });
        return outcomeOf(node, answer);
      } catch (error) {
        await tokens.flush().catch(() => undefined);
        const stopped = current.stopped ?? (error instanceof AttemptStopped ? error : null);
        if (stopped && stopped.reason !== 'write_failed') throw stopped;
        const failure = stopped ? writeFailure(node, stopped) : toNodeFailure(node, error, current.signal);
        if (failure.retryable && attempt < this.config.KODA_LLM_MAX_ATTEMPTS) {
          log.warn({ code: failure.code, attempt, err: error }, 'node failed; starting over');
          guard = new AttemptGuard(node, await this.nextAttempt(node, run), cancel, job);
          await this.announceRetry(guard, run, failure.code, failure.message);
          continue;
        }
        log.warn({ code: failure.code, attempt, err: error }, 'node failed; ending the run');
        // Written past the guard: a node whose token write failed still says why, if Redis lets it.
        await this.log.write(run.run_id, { type: 'processing', node, status: 'error', attempt, detail: failure.code }, current.fence);
        await failRun(this.log, run, { code: failure.code, message: failure.message, node, partial: tokens.text, fence: current.fence });
        return null;
      }
    }
  }

  /**
   * An attempt stopped from outside writes nothing more. Superseded or lock lost: the job is
   * someone else's now (throwing keeps this worker from completing it). Shutdown: hand the job
   * back. Log gone or run ended: there is nothing left to answer.
   */
  private stopQuietly(stopped: AttemptStopped, log: Logger): null {
    log.warn({ reason: stopped.reason }, 'attempt stopped; writing nothing more');
    if (stopped.reason === 'shutdown') throw new HandBack();
    if (stopped.reason === 'superseded' || stopped.reason === 'lock_lost') throw stopped;
    return null;
  }

  /** Counts attempts in Redis; the count is also the fence every write of the attempt carries. */
  private async nextAttempt(node: AgentNode, run: AgentJobPayload): Promise<number> {
    const key = keys.runAttempts(this.config.KODA_PREFIX, run.run_id, node);
    const [[, attempt]] = (await this.redis.multi().incr(key).expire(key, this.config.KODA_RUN_TTL_SECONDS).exec()) as [[null, number]];
    return attempt;
  }

  /** A node that finds an earlier attempt was lost (its worker died or froze) says it starts over. */
  private async startAttempt(guard: AttemptGuard, run: AgentJobPayload, log: Logger): Promise<void> {
    const { node, attempt } = guard.fence;
    if (attempt > 1) {
      log.warn({ attempt }, 'an earlier attempt was lost; starting over');
      await this.announceRetry(guard, run, 'worker_lost', 'A worker stopped mid-answer.');
    } else await this.publish(guard, run, { type: 'processing', node: node as AgentNode, status: 'started', attempt });
  }

  private async announceRetry(guard: AttemptGuard, run: AgentJobPayload, code: NodeFailureCode, message: string): Promise<void> {
    const node = guard.fence.node as AgentNode;
    platformMetrics.nodeRetries.inc({ agent: node, code });
    await this.publish(guard, run, { type: 'error', code, message: `${message} Starting over (attempt ${guard.attempt}).`, fatal: false, node });
    await this.publish(guard, run, { type: 'processing', node, status: 'retrying', attempt: guard.attempt });
  }

  /** A fenced write; a refusal stops the attempt (and its LLM call) and throws. */
  private async publish(guard: AttemptGuard, run: AgentJobPayload, draft: RunEventDraft): Promise<void> {
    if (guard.stopped) throw guard.stopped;
    const result = await this.log.write(run.run_id, draft, guard.fence);
    if (result.ok) return;
    guard.stop(result.refused);
    throw guard.stopped;
  }

  private async context(guard: AttemptGuard, run: AgentJobPayload, tokens: TokenCoalescer, log: Logger): Promise<NodeContext> {
    const node = guard.fence.node as AgentNode;
    return {
      run,
      node,
      signal: guard.signal,
      llm: this.llm,
      log,
      finishedTurns: guard.attempt > 1 ? await this.finishedTurns(node, run) : [],
      token: (delta, tag) => tokens.push(delta, tag),
      publish: async (draft: NodeEventDraft) => {
        // The type already says so; this keeps an untyped caller from writing a lifecycle event.
        if (!NODE_EVENT_TYPES.includes(draft.type)) throw new Error(`a node body cannot publish a "${String(draft.type)}" event`);
        await tokens.flush();
        await this.publish(guard, run, { ...draft, node });
      },
    };
  }

  /** The turns an earlier attempt finished (1, 2, … without a gap), so a resumed node does not redo them. */
  private async finishedTurns(node: AgentNode, run: AgentJobPayload): Promise<AgentMessageEvent[]> {
    const byTurn = new Map<number, AgentMessageEvent>();
    for (const event of await this.log.events(run.run_id)) {
      if (event.type === 'agent_message' && event.node === node && !byTurn.has(event.turn)) byTurn.set(event.turn, event);
    }
    const turns: AgentMessageEvent[] = [];
    for (let turn = 1; byTurn.has(turn); turn++) turns.push(byTurn.get(turn)!);
    return turns;
  }
}

type NodeFailureCode = ReturnType<typeof toNodeFailure>['code'];

/** The event types a node body may publish (see `NodeEventDraft`). */
const NODE_EVENT_TYPES: readonly string[] = ['search', 'agent_message'] satisfies NodeEventDraft['type'][];

/** Calls `fn` the first time only. */
function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

/** A token write Redis refused (full, down): the node fails cleanly, the run ends with an error. */
function writeFailure(node: AgentNode, stopped: AttemptStopped): ReturnType<typeof toNodeFailure> {
  const detail = stopped.cause instanceof Error ? stopped.cause.message : String(stopped.cause);
  return { code: 'agent_failed', message: `The ${node} agent could not write its answer: ${detail}`, retryable: false };
}

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
