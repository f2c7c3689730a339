import { Controller, Inject, type Type } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import type { AgentDefinition, AgentJobPayload, AgentNode, AgentOutcome } from '@koda/contracts';
import { BullMqContext } from '@koda/platform';
import { AgentNodeRunner } from './agent-node-runner';
import type { NodeBody } from './node-context';

/** The body of the agent this worker serves (see `AgentsModule.forAgent`). */
export const AGENT_BODY = Symbol('AGENT_BODY');

/**
 * The one job handler of every agent: it answers the agent's job from the agent table and runs
 * the registered body inside the runner, so no agent can skip `processing`, its attempt fence,
 * cancel or deadline. An agent folder has no handler of its own.
 */
export function agentJobHandler(agent: AgentDefinition): Type {
  @Controller()
  class AgentJob {
    constructor(
      private readonly runner: AgentNodeRunner,
      @Inject(AGENT_BODY) private readonly body: NodeBody,
    ) {}

    @MessagePattern(agent.job)
    handle(@Payload() run: AgentJobPayload, @Ctx() ctx: BullMqContext): Promise<AgentOutcome | null> {
      return this.runner.run(agent.node as AgentNode, run, this.body, ctx.getSignal());
    }
  }
  Object.defineProperty(AgentJob, 'name', { value: `AgentJob(${agent.job})` });
  return AgentJob;
}
