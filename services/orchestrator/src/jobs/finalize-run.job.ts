import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { JobName, type AgentOutcome, type FinalizeRunPayload } from '@koda/contracts';
import { BullMqContext, completeRun, failRun, LOGGER, RunEventLog, runLogger, type Logger } from '@koda/platform';
import { endRunOnLastFailure } from './end-run-on-last-failure';

/**
 * Flow parent: runs once the agent job is done. Publishes `complete` with the agent's outcome
 * and appends the exchange to the session, once (the log's finish guard makes retries no-ops).
 * An agent job that failed for good ends the run with a fatal `agent_failed` error instead.
 */
@Controller()
export class FinalizeRunJob {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly log: RunEventLog,
  ) {}

  @MessagePattern(JobName.FinalizeRun)
  async handle(@Payload() run: FinalizeRunPayload, @Ctx() ctx: BullMqContext): Promise<void> {
    const log = runLogger(this.logger, run);
    await endRunOnLastFailure(ctx, this.log, run, log, 'finished', () => this.finalize(run, ctx, log));
  }

  private async finalize(run: FinalizeRunPayload, ctx: BullMqContext, log: Logger): Promise<void> {
    const job = ctx.getJob();
    const outcome = Object.values(await job.getChildrenValues())[0] as AgentOutcome | null | undefined;
    if (outcome) {
      const metadata = { ...outcome.metadata, intent: run.routing.intent, confidence: run.routing.confidence, classifier: run.routing.classifier };
      const { finished } = await completeRun(this.log, run, { ...withRoutingCost(outcome, run.routing.usage), metadata });
      log.info({ finished, agent: outcome.agent_used, tokens: outcome.tokens_used }, finished ? 'run completed' : 'run had already ended');
      return;
    }
    const failures = Object.values(await job.getIgnoredChildrenFailures());
    const reason = failures[0] ?? 'the agent returned nothing';
    await failRun(this.log, run, { code: 'agent_failed', node: run.routing.node, message: `The ${run.routing.node} agent failed: ${reason}` });
    log.error({ reason }, 'run failed in its agent');
  }
}

/** The run's cost and tokens include the model classification that routed it (auto mode with a model). */
function withRoutingCost(outcome: AgentOutcome, usage: FinalizeRunPayload['routing']['usage']): AgentOutcome {
  if (!usage) return outcome;
  return {
    ...outcome,
    input_tokens: outcome.input_tokens + usage.input_tokens,
    output_tokens: outcome.output_tokens + usage.output_tokens,
    tokens_used: outcome.tokens_used + usage.input_tokens + usage.output_tokens,
    cost_eur: Math.round((outcome.cost_eur + usage.cost_eur) * 1e6) / 1e6,
  };
}
