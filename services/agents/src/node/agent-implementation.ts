import type { InjectionToken, Provider } from '@nestjs/common';
import type { AgentDefinition } from '@koda/contracts';
import type { NodeBody } from './node-context';

/**
 * What an agent folder exports: its row of the agent table and its body. The body only
 * computes an answer from a `NodeContext`; the generic agent job (`agent-job.ts`) runs it
 * inside `AgentNodeRunner`, which publishes everything around it.
 */
export interface AgentImplementation {
  definition: AgentDefinition;
  /** What the body needs besides the platform (config, logger, Redis, LLM), e.g. `NotesSearch`. */
  providers?: Provider[];
  /** The tokens handed to `body`, in order. */
  inject?: InjectionToken[];
  /** Builds the node's body from what `inject` names (Nest resolves them; any parameter types fit). */
  body: (...deps: never[]) => NodeBody;
}
