import { agentDefinition } from '@koda/contracts';
import type { AgentImplementation } from '../node/agent-implementation';
import { answerAsPlume } from './plume-agent';

/** Plume: writes from the conversation so far. */
export const plumeAgent: AgentImplementation = {
  definition: agentDefinition('plume'),
  body: () => answerAsPlume,
};
