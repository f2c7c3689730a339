import { Module, type DynamicModule, type Type } from '@nestjs/common';
import type { AgentNode } from '@koda/contracts';
import { KODA_CONFIG, LOGGER } from '@koda/platform';
import { DiscussionRunJob } from './discussion/discussion-run.job';
import { createLlmProvider, LLM_PROVIDER } from './llm/llm-provider.factory';
import { MimirAnswerJob } from './mimir/mimir-answer.job';
import { NotesSearch } from './mimir/notes-search';
import { AgentNodeRunner } from './node/agent-node-runner';
import { CancelSignals } from './node/cancel-signals';
import { PlumeAnswerJob } from './plume/plume-answer.job';

const JOB_HANDLERS: Record<AgentNode, Type> = { plume: PlumeAnswerJob, mimir: MimirAnswerJob, discussion: DiscussionRunJob };
const NEEDS_NOTES: Record<AgentNode, boolean> = { plume: false, mimir: true, discussion: true };

/** The worker of one agent node: its job handler and what it needs, nothing more. */
@Module({})
export class AgentsModule {
  static forNode(node: AgentNode): DynamicModule {
    return {
      module: AgentsModule,
      controllers: [JOB_HANDLERS[node]],
      providers: [
        AgentNodeRunner,
        CancelSignals,
        { provide: LLM_PROVIDER, useFactory: createLlmProvider, inject: [KODA_CONFIG, LOGGER] },
        ...(NEEDS_NOTES[node] ? [NotesSearch] : []),
      ],
    };
  }
}

