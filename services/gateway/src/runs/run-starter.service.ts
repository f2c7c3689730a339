import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { randomUUID } from 'crypto';
import type Redis from 'ioredis';
import {
  agentForMode,
  explicitRouting,
  JobName,
  keys,
  QueueName,
  type ChatRequestDto,
  type MultitaskStrategy,
  type RouteMessagePayload,
  type RoutingDecision,
  type StartEvent,
} from '@koda/contracts';
import {
  AgentJobQueue,
  currentTraceparent,
  dropConnectionErrors,
  failRun,
  KEEP_JOBS,
  KODA_CONFIG,
  LOGGER,
  noWorkerNotice,
  queuePrefix,
  readSession,
  REDIS,
  RunEventLog,
  runLogger,
  SpanKind,
  withSpan,
  type KodaConfig,
  type Logger,
  type TurnClaim,
} from '@koda/platform';
import { Admission } from '../admission/admission';
import { WorkerPresence } from '../health/worker-presence';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { IdempotencyKeys } from './idempotency-keys';
import { RunJoiner } from './run-joiner';
import { TurnClaimer } from './turn-claimer';
import { WebhookCheck } from './webhook-check';

export interface StartedRun {
  run: RouteMessagePayload;
  start: { id: string; json: string; event: StartEvent };
  /** The run an earlier request with the same `Idempotency-Key` started (nothing new was started). */
  replayed?: boolean;
  /**
   * The rest of the start (job queued, run indexed, webhook armed…), still going when the run is
   * returned: it resolves true, or false when it failed and ended the run with a fatal error
   * (which the run's stream then shows). Never rejects.
   */
  accepted?: Promise<boolean>;
}

/**
 * Opens a run: its `start` event in the run log, then its first job: the orchestrator's
 * `route-message` when there is routing to do (`auto`) or a turn to wait for, else the agent's
 * own job, queued here (a mode that names its agent needs no classifying: one job per run).
 */
@Injectable()
export class RunStarter implements OnApplicationShutdown {
  private readonly queue: Queue;
  private readonly agents: AgentJobQueue;

  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly log: RunEventLog,
    private readonly metrics: GatewayMetrics,
    private readonly admission: Admission,
    private readonly workers: WorkerPresence,
    private readonly turns: TurnClaimer,
    private readonly idempotency: IdempotencyKeys,
    private readonly joiner: RunJoiner,
    private readonly webhooks: WebhookCheck,
  ) {
    this.queue = dropConnectionErrors(new Queue(QueueName.Orchestrator, { connection: redis, prefix: queuePrefix(config) }));
    this.agents = new AgentJobQueue(redis, queuePrefix(config));
  }

  /**
   * Opens a run for `user` (its session id names one of that user's sessions only); with
   * tracing on, the run's trace starts here and its context travels with the run. With an
   * `Idempotency-Key` an earlier request already used, answers that request's run instead.
   */
  start(request: ChatRequestDto, user: string, idempotencyKey?: string): Promise<StartedRun> {
    return withSpan(
      'POST /api/v1/chat/orchestrated',
      { service: 'gateway', kind: SpanKind.SERVER, attributes: { 'koda.mode': request.mode ?? 'auto' } },
      async (span) => {
        const started = idempotencyKey ? await this.once(request, user, idempotencyKey) : await this.open(request, user, randomUUID());
        span.setAttribute('koda.run_id', started.run.run_id);
        return started;
      },
    );
  }

  /** At most one run per key: the first request opens it, a retry joins it. */
  private async once(request: ChatRequestDto, user: string, key: string): Promise<StartedRun> {
    const runId = randomUUID();
    const existing = await this.idempotency.claim(user, key, request, runId);
    if (existing) return this.joiner.join(existing, user);
    const forget = () => this.idempotency.forget(user, key, runId).catch(() => undefined);
    try {
      const started = await this.open(request, user, runId);
      // A run that failed to start past its log ended with an error: a retry with the key starts afresh.
      void started.accepted?.then(async (ok) => {
        if (!ok) await forget();
      });
      return started;
    } catch (error) {
      await forget();
      throw error;
    }
  }

  private async open(request: ChatRequestDto, user: string, runId: string): Promise<StartedRun> {
    const strategy: MultitaskStrategy = request.multitask_strategy ?? this.config.KODA_MULTITASK_DEFAULT;
    if (request.webhook) await this.webhooks.check(request.webhook);
    const acceptedAt = Date.now();
    const traceparent = currentTraceparent();
    const run: RouteMessagePayload = {
      run_id: runId,
      session_id: request.session_id ?? randomUUID(),
      user_id: user,
      message: request.message,
      mode: request.mode ?? 'auto',
      accepted_at: acceptedAt,
      deadline_at: acceptedAt + this.config.KODA_RUN_TIMEOUT_MS,
      ...(traceparent ? { traceparent } : {}),
    };
    await this.admission.admit(user, run.run_id, run.deadline_at);
    const turn = await this.turns.claim(run, strategy);
    run.seq = turn.seq;
    // Direct: the mode names its agent and the session's turn is the run's now; else the orchestrator routes or waits.
    const direct = turn.verdict === 'started' ? explicitRouting(run.mode) : undefined;
    const { start, rest } = await this.write(run, turn, strategy, request.webhook, direct, request.session_id === undefined).catch(async (error: unknown) => {
      await this.log.turns.release(run, run.run_id).catch(() => undefined);
      throw error;
    });
    // The run is accepted once its log is open: the stream starts now, the rest of the start follows.
    return { run, start, accepted: this.accept(run, turn, strategy, rest, direct) };
  }

  /**
   * What follows the opening of a run's log, off the first byte's path. A failure here comes
   * after the client got its `start`: the run ends with a fatal error its stream shows, then
   * [DONE] (no status code can say it any more).
   */
  private async accept(
    run: RouteMessagePayload,
    turn: Exclude<TurnClaim, { verdict: 'busy' }>,
    strategy: MultitaskStrategy,
    rest: Promise<unknown>,
    direct: RoutingDecision | undefined,
  ): Promise<boolean> {
    const log = runLogger(this.logger, run);
    try {
      await rest;
    } catch (error) {
      log.error({ err: error }, 'run opened but could not be queued; ended');
      await failRun(this.log, run, { code: 'internal', message: 'The run could not be queued; please retry.' }).catch(() => undefined);
      return false;
    }
    // Neither is the run's to fail: a holder not stopped ends on its own, a missing notice is only a notice.
    await this.turns.stopHolder(run, turn, strategy).catch((error: unknown) => log.warn({ err: error }, "could not stop the session's running run"));
    await this.sayIfNobodyServes(run, direct).catch(() => undefined);
    this.metrics.runsStarted.inc({ mode: run.mode });
    const first = direct ? direct.node : 'orchestrator';
    log.info({ mode: run.mode, chars: run.message.length, strategy, turn: turn.verdict, seq: run.seq, first_job: first }, 'run accepted');
    return true;
  }

  /**
   * The run's log, job, index entry and webhook. The job is added only once the log answered
   * open: pipelining the two would not keep them in order when Redis has lost the write script
   * (ioredis resends a NOSCRIPT EVALSHA as EVAL after what was queued behind it), and a log that
   * failed to open must leave no job behind. Resolves once the log is open (the `start` the
   * stream writes at once) with the rest still going. A queued run says so in its log before its
   * job exists, so its stream cannot show it starting before it queued.
   */
  private async write(
    run: RouteMessagePayload,
    turn: Exclude<TurnClaim, { verdict: 'busy' }>,
    strategy: MultitaskStrategy,
    webhook: string | undefined,
    direct: RoutingDecision | undefined,
    newSession: boolean,
  ): Promise<{ start: StartedRun['start']; rest: Promise<unknown> }> {
    const { traceparent } = run;
    const opening = this.log.open(
      run.run_id,
      {
        type: 'start',
        session_id: run.session_id,
        user_id: run.user_id,
        mode: run.mode,
        message: run.message,
        seq: run.seq,
        ...(traceparent ? { traceparent } : {}),
      },
      Math.ceil(this.config.KODA_RUN_TIMEOUT_MS / 1000),
    );
    const add: () => Promise<unknown> = direct
      ? this.agentJobOf(run, direct, newSession)
      : () => this.queue.add(JobName.RouteMessage, run, { jobId: run.run_id, attempts: 3, backoff: { type: 'exponential', delay: 200 }, ...KEEP_JOBS });
    const enqueueing =
      turn.verdict === 'queued'
        ? opening.then(() => this.log.append(run.run_id, { type: 'queued', active_run_id: turn.holder, position: turn.position, reason: strategy })).then(add)
        : opening.then(add);
    const rest = Promise.all([enqueueing, this.index(run.user_id!, run), webhook ? this.webhooks.arm(run, webhook) : undefined]);
    // Settled here too: when the log cannot be opened, the caller hears that and nothing of the rest.
    rest.catch(() => undefined);
    return { start: await opening, rest };
  }

  /**
   * The agent job of a run queued directly, as the orchestrator would have queued it: with the
   * session so far, read while the log opens (a new session has none to read).
   */
  private agentJobOf(run: RouteMessagePayload, routing: RoutingDecision, newSession: boolean): () => Promise<void> {
    const reading = newSession
      ? Promise.resolve([])
      : readSession(this.redis, this.config.KODA_PREFIX, run.user_id, run.session_id, runLogger(this.logger, run));
    reading.catch(() => undefined); // heard by the dispatch below, which waits for the log to open first
    return async () => this.agents.dispatch({ ...run, history: await reading, routing });
  }

  /**
   * A run whose mode no worker serves right now is still accepted (one may start), but its
   * stream says so at once instead of sitting silent until the deadline.
   */
  private async sayIfNobodyServes(run: RouteMessagePayload, direct: RoutingDecision | undefined): Promise<void> {
    const agent = agentForMode(run.mode);
    const needed = [...(direct ? [] : [QueueName.Orchestrator]), ...(agent ? [agent.queue] : [])];
    const missing = await this.workers.missing(needed).catch(() => []);
    if (missing.length === 0) return;
    await this.log.append(run.run_id, noWorkerNotice(missing));
    runLogger(this.logger, run).warn({ queues: missing }, 'run accepted with no worker to serve it');
  }

  /** Lists the run under its user's sessions, for discovery from another device. */
  private async index(user: string, run: RouteMessagePayload): Promise<void> {
    const prefix = this.config.KODA_PREFIX;
    // Pipelined, not MULTI (two commands fewer): each entry stands alone, and both are idempotent.
    await Promise.all([
      this.redis.zadd(keys.userSessions(prefix, user), run.accepted_at, run.session_id),
      this.redis.zadd(keys.sessionRuns(prefix, user, run.session_id), run.accepted_at, run.run_id),
    ]);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.queue.close(), this.agents.close()]);
  }
}
