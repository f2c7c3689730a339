import { z } from 'zod';
import type { AgentImplementation } from '@koda/agents';
import { answerAsEcho } from './echo-agent';

/** Longest message Echo takes: its own payload schema says so (the table's `payload` column). */
export const ECHO_MAX_CHARS = 200;

/**
 * A test-only fourth agent, written as the README says a new agent is: this folder (its
 * definition, i.e. its row of the agent table, and its body). `registerAgentImplementation`
 * puts the row into the table at run time instead of `AGENT_TABLE`'s source.
 */
export const echoAgent: AgentImplementation = {
  definition: {
    node: 'echo',
    mode: 'echo',
    queue: 'agent-echo',
    job: 'echo-answer',
    intent: 'restitution',
    displayName: 'Écho',
    payload: (base) => base.extend({ message: z.string().min(1).max(ECHO_MAX_CHARS) }),
  },
  body: () => answerAsEcho,
};
