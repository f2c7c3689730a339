import { agentDefinition } from '@koda/contracts';
import type { AgentImplementation } from '../node/agent-implementation';
import { answerAsMimir } from './mimir-agent';
import { NotesSearch } from './notes-search';

/** Mimir: answers from the user's notes, citing them. */
export const mimirAgent: AgentImplementation = {
  definition: agentDefinition('mimir'),
  providers: [NotesSearch],
  inject: [NotesSearch],
  body: (notes: NotesSearch) => answerAsMimir(notes),
};
