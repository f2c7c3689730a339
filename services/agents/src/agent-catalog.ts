import { registerAgent, type AgentNode } from '@koda/contracts';
import { discussionAgent } from './discussion';
import { mimirAgent } from './mimir';
import type { AgentImplementation } from './node/agent-implementation';
import { plumeAgent } from './plume';

/** Each agent of the table and its folder: the compiler asks for the line of a new row. */
const BUILT_IN: Record<AgentNode, AgentImplementation> = { plume: plumeAgent, mimir: mimirAgent, discussion: discussionAgent };

const registered = new Map<string, AgentImplementation>();

/**
 * Adds an agent that is not in the table (a test-only one): its row goes into this process's
 * agent table (`registerAgent`), so the gateway, the orchestrator and this worker all see it.
 */
export function registerAgentImplementation(agent: AgentImplementation): void {
  registerAgent(agent.definition);
  registered.set(agent.definition.node, agent);
}

/** The folder of a node; throws naming the node when there is none. */
export function agentImplementation(node: string): AgentImplementation {
  const agent = (BUILT_IN as Record<string, AgentImplementation>)[node] ?? registered.get(node);
  if (!agent) throw new Error(`no agent "${node}": known agents are ${[...Object.keys(BUILT_IN), ...registered.keys()].join(', ')}`);
  return agent;
}
