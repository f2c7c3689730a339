import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { JobName, type AgentJobPayload, type AgentOutcome } from '@koda/contracts';
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
  handle(@Payload() run: AgentJobPayload): Promise<AgentOutcome | null> {
    return this.runner.run('mimir', run, answerAsMimir(this.notes));
  }
}
