import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { keys, type AgentJobPayload, type AgentMessageEvent, type AgentNode, type AgentOutcome, type RunEventDraft } from '@koda/contracts';
import type { LlmProvider } from '@koda/llm';
import {
  completeRun,
  failRun,
  KODA_CONFIG,
  LOGGER,
  platformMetrics,
  REDIS,
  routedOutcome,
  RunEventLog,
  runLogger,
  withRetries,
  type AppendResult,
  type KodaConfig,
  type Logger,
} from '@koda/platform';
import { LLM_PROVIDER } from '../llm/llm-provider.factory';
import { AttemptGuard, AttemptStopped, HandBack } from './attempt-guard';
import { CancelSignals } from './cancel-signals';
import type { NodeAnswer, NodeBody, NodeContext, NodeEventDraft } from './node-context';
import { toNodeFailure } from './node-failure';
import { TokenCoalescer } from './token-coalescer';

/**
 * The one wrapper every agent node runs in, so no node can forget to publish (the seed's bug):
 * `processing` started, the node's tokens, then `processing` completed and the run's `complete`,
 * or on failure a `retrying` start-over or a fatal `error` that ends the run. A node body only computes.
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
   * Runs a node and ends the run: `complete` with its answer through the exactly-once finish,
   * fenced with the attempt that answered, or a fatal `error`. `job` aborts when the worker
   * loses the job or hands it back.
   */
  async run(node: AgentNode, run: AgentJobPayload, body: NodeBody, job?: AbortSignal): Promise<void> {
    const log = runLogger(this.logger, run, { node });
    const { registered, attempt, started } = await this.startUp(node, run);
    const { signal: cancel, release } = registered;
    try {
      const answered = await this.attempts(node, run, body, cancel, log, attempt, started, job);
      if (answered) await this.complete(run, answered, log);
    } catch (error) {
      if (error instanceof AttemptStopped && error.reason !== 'write_failed') return this.stopQuietly(error, log);
      throw error;
    } finally {
      release();
    }
  }

  /**
   * Start-up in one round trip: the cancel flag, the attempt count and, optimistically, the
   * first attempt's `processing` started go out together on the one connection, in that order.
   * The write is fenced as attempt 1, so on a retried job (the count came back > 1) the log
   * refuses it as superseded and the retry announces itself instead: the fence is never weaker.
   */
  private async startUp(node: AgentNode, run: AgentJobPayload): Promise<{ registered: Registered; attempt: number; started: AppendResult }> {
    const registering = this.cancels.register(run);
    const counting = this.nextAttempt(node, run);
    const starting = this.log.write(run.run_id, { type: 'processing', node, status: 'started', attempt: 1 }, { node, attempt: 1 });
    const [registered, attempt, started] = await Promise.allSettled([registering, counting, starting]);
    if (registered.status === 'rejected') throw registered.reason;
    if (attempt.status === 'fulfilled' && started.status === 'fulfilled')
      return { registered: registered.value, attempt: attempt.value, started: started.value };
    registered.value.release();
    throw attempt.status === 'rejected' ? attempt.reason : (started as PromiseRejectedResult).reason;
  }

  private async attempts(
    node: AgentNode,
    run: AgentJobPayload,
    body: NodeBody,
    cancel: AbortSignal,
    log: Logger,
    firstAttempt: number,
    started: AppendResult,
    job?: AbortSignal,
  ): Promise<Answered | null> {
    let guard = new AttemptGuard(node, firstAttempt, cancel, job);
    await this.startAttempt(guard, run, started, log);
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
        return { outcome: outcomeOf(node, answer), guard: current };
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
   * The agent ends its run itself (no flow parent, one job fewer per run): `complete` with the
   * routed outcome, fenced with the attempt that answered. A Redis error here is retried in
   * place (the finish is idempotent) rather than failing the job, which would redo the answer.
   */
  private async complete(run: AgentJobPayload, { outcome, guard }: Answered, log: Logger): Promise<void> {
    const result = routedOutcome(outcome, run.routing);
    const { finished } = await withRetries(() => completeRun(this.log, run, result, guard.fence), {
      attempts: FINISH_TRIES,
      backoff: { initialMs: FINISH_RETRY_MS },
      onRetry: (error, attempt) => log.warn({ err: error, attempt }, "could not write the run's end; trying again"),
    });
    log.info({ finished, tokens: result.tokens_used }, finished ? 'run completed' : 'run had already ended (or a newer attempt owns it)');
  }

  /**
   * An attempt stopped from outside writes nothing more. Superseded or lock lost: the job is
   * someone else's now (throwing keeps this worker from completing it). Shutdown: hand the job
   * back. Log gone or run ended: there is nothing left to answer.
   */
  private stopQuietly(stopped: AttemptStopped, log: Logger): void {
    log.warn({ reason: stopped.reason }, 'attempt stopped; writing nothing more');
    if (stopped.reason === 'shutdown') throw new HandBack();
    if (stopped.reason === 'superseded' || stopped.reason === 'lock_lost') throw stopped;
  }

  /** Counts attempts in Redis; the count is also the fence every write of the attempt carries. */
  private async nextAttempt(node: AgentNode, run: AgentJobPayload): Promise<number> {
    const key = keys.runAttempts(this.config.KODA_PREFIX, run.run_id, node);
    // Pipelined, not MULTI (two commands fewer): both go out in one write on one connection.
    const [attempt] = await Promise.all([this.redis.incr(key), this.redis.expire(key, this.config.KODA_RUN_TTL_SECONDS)]);
    return attempt;
  }

  /** A node that finds an earlier attempt was lost (its worker died or froze) says it starts over. */
  private async startAttempt(guard: AttemptGuard, run: AgentJobPayload, started: AppendResult, log: Logger): Promise<void> {
    const { attempt } = guard.fence;
    if (attempt > 1) {
      log.warn({ attempt }, 'an earlier attempt was lost; starting over');
      await this.announceRetry(guard, run, 'worker_lost', 'A worker stopped mid-answer.');
      return;
    }
    // Attempt 1's `processing` started was written (or refused) during start-up.
    if (guard.stopped) throw guard.stopped;
    if (started.ok) return;
    guard.stop(started.refused);
    throw guard.stopped;
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
type Registered = Awaited<ReturnType<CancelSignals['register']>>;
/** A node's answer and the attempt that gave it (its fence guards the finish). */
type Answered = { outcome: AgentOutcome; guard: AttemptGuard };

/** Tries of the run's finish after the answer, and the pause between them (× the try). */
const FINISH_TRIES = 3;
const FINISH_RETRY_MS = 200;

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
