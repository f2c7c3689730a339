import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { JobName, type AgentJobPayload, type AgentOutcome } from '@koda/contracts';
import { BullMqContext, KODA_CONFIG, type KodaConfig } from '@koda/platform';
import { NotesSearch } from '../mimir/notes-search';
import { AgentNodeRunner } from '../node/agent-node-runner';
import { runDiscussion } from './discussion-agent';

@Controller()
export class DiscussionRunJob {
  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    private readonly runner: AgentNodeRunner,
    private readonly notes: NotesSearch,
  ) {}

  @MessagePattern(JobName.DiscussionRun)
  handle(@Payload() run: AgentJobPayload, @Ctx() ctx: BullMqContext): Promise<AgentOutcome | null> {
    return this.runner.run('discussion', run, runDiscussion(this.notes, this.config.KODA_DISCUSSION_MAX_TURNS), ctx.getSignal());
  }
}
