import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { JobName, type AgentJobPayload, type AgentOutcome } from '@koda/contracts';
import { AgentNodeRunner } from '../node/agent-node-runner';
import { answerAsPlume } from './plume-agent';

@Controller()
export class PlumeAnswerJob {
  constructor(private readonly runner: AgentNodeRunner) {}

  @MessagePattern(JobName.PlumeAnswer)
  handle(@Payload() run: AgentJobPayload): Promise<AgentOutcome | null> {
    return this.runner.run('plume', run, answerAsPlume);
  }
}
