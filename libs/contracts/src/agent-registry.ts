import type { Intent } from './events';
import { AGENT_TABLE, type AgentDefinition, type AgentNode, type ChatMode } from './agent-table';

/** Agents registered at run time (a test-only agent), after the table's. */
const registered: AgentDefinition[] = [];

/** Every agent: the table's rows, then those registered in this process. */
export function agentDefinitions(): readonly AgentDefinition[] {
  return [...AGENT_TABLE, ...registered];
}

/**
 * Adds an agent to this process's table, before any service starts: a test-only agent goes
 * through exactly what a row of `AGENT_TABLE` does. Its node, mode, queue and job must be new.
 */
export function registerAgent(definition: AgentDefinition): void {
  const clash = agentDefinitions().find(
    (agent) => agent.node === definition.node || agent.mode === definition.mode || agent.queue === definition.queue || agent.job === definition.job,
  );
  if (clash || definition.mode === 'auto')
    throw new Error(`agent "${definition.node}" clashes with "${clash?.node ?? 'auto'}": node, mode, queue and job must be unique`);
  registered.push(definition);
}

/** The agent of a node; throws on an unknown node (a caller that got one past validation is a bug). */
export function agentDefinition(node: string): AgentDefinition {
  const agent = agentDefinitions().find((a) => a.node === node);
  if (!agent) throw new Error(`unknown agent node "${node}"`);
  return agent;
}

/** The agent a mode names, or undefined for `auto`. */
export function agentForMode(mode: string): AgentDefinition | undefined {
  return agentDefinitions().find((agent) => agent.mode === mode);
}

/** The agent `auto` sends an intent to: the first of the table declaring it. */
export function agentForIntent(intent: Intent): AgentDefinition {
  const agent = agentDefinitions().find((a) => a.intent === intent);
  if (!agent) throw new Error(`no agent answers the intent "${intent}"`);
  return agent;
}

/** A node of the table or a registered agent (the type names the table's). */
export function isAgentNode(value: unknown): value is AgentNode {
  return agentDefinitions().some((agent) => agent.node === value);
}

/** `auto` or an agent's mode (the type names the table's). */
export function isChatMode(value: unknown): value is ChatMode {
  return value === 'auto' || agentDefinitions().some((agent) => agent.mode === value);
}

/** Every mode a client may ask for, `auto` first. */
export function chatModes(): string[] {
  return ['auto', ...agentDefinitions().map((agent) => agent.mode)];
}

/** How people see an agent (its node name, capitalised, when unknown). */
export function agentDisplayName(node: string): string {
  return agentDefinitions().find((agent) => agent.node === node)?.displayName ?? node.charAt(0).toUpperCase() + node.slice(1);
}
