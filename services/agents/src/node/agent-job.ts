import { Controller, Inject, type Type } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import type { AgentDefinition, AgentJobPayload, AgentNode } from '@koda/contracts';
import { BullMqContext, endRunOnLastFailure, LOGGER, RunEventLog, runLogger, type Logger } from '@koda/platform';
import { AttemptStopped, HandBack } from './attempt-guard';
import { AgentNodeRunner } from './agent-node-runner';
import type { NodeBody } from './node-context';

/** The body of the agent this worker serves (see `AgentsModule.forAgent`). */
export const AGENT_BODY = Symbol('AGENT_BODY');

/**
 * The one job handler of every agent: it answers the agent's job from the agent table and runs
 * the registered body inside the runner, so no agent can skip `processing`, its attempt fence,
 * cancel or deadline. An agent folder has no handler of its own. The runner ends the run; a
 * job that fails its last attempt anyway (Redis refused the finish…) ends it with `agent_failed`,
 * unless the job is someone else's now (a newer attempt, a hand-back).
 */
export function agentJobHandler(agent: AgentDefinition): Type {
  @Controller()
  class AgentJob {
    constructor(
      private readonly runner: AgentNodeRunner,
      private readonly log: RunEventLog,
      @Inject(LOGGER) private readonly logger: Logger,
      @Inject(AGENT_BODY) private readonly body: NodeBody,
    ) {}

    @MessagePattern(agent.job)
    async handle(@Payload() run: AgentJobPayload, @Ctx() ctx: BullMqContext): Promise<void> {
      const log = runLogger(this.logger, run, { node: agent.node });
      await endRunOnLastFailure(ctx, this.log, run, log, 'answered', () => this.runner.run(agent.node as AgentNode, run, this.body, ctx.getSignal()), {
        code: 'agent_failed',
        notOurs: (error) => error instanceof AttemptStopped || error instanceof HandBack,
      });
    }
  }
  Object.defineProperty(AgentJob, 'name', { value: `AgentJob(${agent.job})` });
  return AgentJob;
}
