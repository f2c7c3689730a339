import { Module, type DynamicModule } from '@nestjs/common';
import { KODA_CONFIG, LOGGER } from '@koda/platform';
import { createLlmProvider, LLM_PROVIDER } from './llm/llm-provider.factory';
import { AGENT_BODY, agentJobHandler } from './node/agent-job';
import type { AgentImplementation } from './node/agent-implementation';
import { AgentNodeRunner } from './node/agent-node-runner';
import { CancelSignals } from './node/cancel-signals';

/** The worker of one agent: the generic agent job, the runner, and what the agent's body needs. */
@Module({})
export class AgentsModule {
  static forAgent(agent: AgentImplementation): DynamicModule {
    return {
      module: AgentsModule,
      controllers: [agentJobHandler(agent.definition)],
      providers: [
        AgentNodeRunner,
        CancelSignals,
        { provide: LLM_PROVIDER, useFactory: createLlmProvider, inject: [KODA_CONFIG, LOGGER] },
        ...(agent.providers ?? []),
        { provide: AGENT_BODY, useFactory: agent.body, inject: agent.inject ?? [] },
      ],
    };
  }
}
