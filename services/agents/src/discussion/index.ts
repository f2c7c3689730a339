import { agentDefinition } from '@koda/contracts';
import { KODA_CONFIG, type KodaConfig } from '../node/agent-platform';
import { NotesSearch } from '../mimir/notes-search';
import type { AgentImplementation } from '../node/agent-implementation';
import { runDiscussion } from './discussion-agent';

/** Discussion: Plume and Mimir take turns on a question, then a synthesis. */
export const discussionAgent: AgentImplementation = {
  definition: agentDefinition('discussion'),
  providers: [NotesSearch],
  inject: [NotesSearch, KODA_CONFIG],
  body: (notes: NotesSearch, config: KodaConfig) => runDiscussion(notes, config.KODA_DISCUSSION_MAX_TURNS),
};
