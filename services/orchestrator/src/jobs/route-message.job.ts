import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { JobName, type AgentNode, type RouteMessagePayload } from '@koda/contracts';
import {
  BullMqContext,
  endRunOnLastFailure,
  failRun,
  LOGGER,
  noWorkerNotice,
  readSession,
  REDIS,
  RunEventLog,
  runLogger,
  KODA_CONFIG,
  type KodaConfig,
  type Logger,
} from '@koda/platform';
import type Redis from 'ioredis';
import { AgentDispatch } from '../flow/agent-dispatch';
import { IntentRouter } from '../routing/intent-router';
import { CancelCheck } from '../routing/cancel-check';
import { RoutingRecord } from '../routing/routing-record';
import { SessionTurnWait } from '../routing/session-turn-wait';

/** First job of a run: fold the session, decide the agent, queue the agent's job. */
@Controller()
export class RouteMessageJob {
  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly log: RunEventLog,
    private readonly router: IntentRouter,
    private readonly agents: AgentDispatch,
    private readonly cancels: CancelCheck,
    private readonly routings: RoutingRecord,
    private readonly turns: SessionTurnWait,
  ) {}

  @MessagePattern(JobName.RouteMessage)
  async handle(@Payload() run: RouteMessagePayload, @Ctx() ctx: BullMqContext): Promise<void> {
    const log = runLogger(this.logger, run);
    // A cancelled or expired run ends below (and leaves the session's queue) instead of waiting.
    // Checked once per try: a run that waits for its turn is put back and checked again when it comes back.
    const stop = await this.cancels.reasonToStop(run);
    if (!stop) await this.turns.untilTurn(run, ctx, log);
    await endRunOnLastFailure(ctx, this.log, run, log, 'routed', () => this.route(run, stop, log));
  }

  private async route(run: RouteMessagePayload, stop: Awaited<ReturnType<CancelCheck['reasonToStop']>>, log: Logger): Promise<void> {
    if (stop) {
      await failRun(this.log, run, stop);
      return;
    }
    const [history, decided] = await Promise.all([
      readSession(this.redis, this.config.KODA_PREFIX, run.user_id, run.session_id, log),
      this.router.decide(run.mode, run.message, run.run_id),
    ]);
    const { decision: routing, isNew } = await this.routings.claim(run.run_id, decided);
    // The event says who answers and why; what classifying cost travels to the agent, which adds it to the run's result.
    if (run.mode === 'auto' && isNew)
      await this.log.append(run.run_id, {
        type: 'routing',
        intent: routing.intent,
        confidence: routing.confidence,
        node: routing.node,
        classifier: routing.classifier,
      });
    await this.agents.dispatch({ ...run, history, routing });
    if (run.mode === 'auto' && isNew) await this.sayIfNobodyServes(run, routing.node, log);
    log.info(
      { node: routing.node, intent: routing.intent, confidence: routing.confidence, classifier: routing.classifier, history: history.length },
      'run routed',
    );
  }

  /**
   * The gateway tells a run at once when nobody serves the agent its mode names; for `auto` only
   * the routing knows the agent, so the orchestrator says it. A notice: never fails the route.
   */
  private async sayIfNobodyServes(run: RouteMessagePayload, node: AgentNode, log: Logger): Promise<void> {
    const queue = await this.agents.unserved(node).catch(() => null);
    if (!queue) return;
    await this.log.append(run.run_id, noWorkerNotice([queue])).catch(() => undefined);
    log.warn({ queue }, 'run routed to an agent no worker serves');
  }
}
