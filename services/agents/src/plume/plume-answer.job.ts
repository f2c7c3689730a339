import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { JobName, type AgentJobPayload, type AgentOutcome } from '@koda/contracts';
import { BullMqContext } from '@koda/platform';
import { AgentNodeRunner } from '../node/agent-node-runner';
import { answerAsPlume } from './plume-agent';

@Controller()
export class PlumeAnswerJob {
  constructor(private readonly runner: AgentNodeRunner) {}

  @MessagePattern(JobName.PlumeAnswer)
  handle(@Payload() run: AgentJobPayload, @Ctx() ctx: BullMqContext): Promise<AgentOutcome | null> {
    return this.runner.run('plume', run, answerAsPlume, ctx.getSignal());
  }
}
