import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { JobName, type AgentJobPayload, type AgentOutcome } from '@koda/contracts';
import { BullMqContext } from '@koda/platform';
import { AgentNodeRunner } from '../node/agent-node-runner';
import { answerAsMimir } from './mimir-agent';
import { NotesSearch } from './notes-search';

@Controller()
export class MimirAnswerJob {
  constructor(
    private readonly runner: AgentNodeRunner,
    private readonly notes: NotesSearch,
  ) {}

  @MessagePattern(JobName.MimirAnswer)
  handle(@Payload() run: AgentJobPayload, @Ctx() ctx: BullMqContext): Promise<AgentOutcome | null> {
    return this.runner.run('mimir', run, answerAsMimir(this.notes), ctx.getSignal());
  }
}
