import type { z } from 'zod';
import type { Intent } from './events';
import type { AgentJobPayloadSchema } from './jobs.schemas';

/**
 * One agent, as every service sees it. Values are persisted (queue and job names sit in
 * Redis, node and mode in run logs and sessions): never rename one, add a new agent.
 */
export interface AgentDefinition<Node extends string = string> {
  /** The node name: `processing`/`token` events, `agent_used`, the worker to start (`main-agent.js <node>`). */
  node: Node;
  /** The `mode` a client asks for to reach it directly. */
  mode: string;
  /** The BullMQ queue its worker consumes. */
  queue: string;
  /** The name of its job on that queue. */
  job: string;
  /** The intent it answers: `auto` routes that intent to the first agent of the table declaring it. */
  intent: Intent;
  /** How people see it (web page, CLI). */
  displayName: string;
  /**
   * Its job payload: the standard agent payload (run, history, routing), or what this returns
   * from it (e.g. `(base) => base.extend({ … })`) when the agent needs more.
   */
  payload?: (base: typeof AgentJobPayloadSchema) => z.ZodTypeAny;
}

/**
 * The agents: the one place an agent is declared. Mode lists (HTTP validation, web page, CLI),
 * queues, job names, payload schemas and types, and the intent routing all derive from it.
 * Adding an agent: one row here and one folder under `services/agents/src` (see README).
 * This file has no runtime import, so the web page can bundle it without zod.
 */
export const AGENT_TABLE = [
  { node: 'plume', mode: 'plume', queue: 'agent-plume', job: 'plume-answer', intent: 'restitution', displayName: 'Plume' },
  { node: 'mimir', mode: 'mimir', queue: 'agent-mimir', job: 'mimir-answer', intent: 'recherche', displayName: 'Mimir' },
  { node: 'discussion', mode: 'discussion', queue: 'agent-discussion', job: 'discussion-run', intent: 'discussion', displayName: 'Discussion' },
] as const satisfies readonly AgentDefinition[];

type BuiltInAgent = (typeof AGENT_TABLE)[number];

/** The agents of the table. An agent registered at run time (`registerAgent`) is checked at run time instead. */
export type AgentNode = BuiltInAgent['node'];
/** `auto` (the orchestrator decides) or an agent's own mode. */
export type ChatMode = 'auto' | BuiltInAgent['mode'];

export const AGENT_NODES: readonly AgentNode[] = AGENT_TABLE.map((agent) => agent.node);
export const CHAT_MODES: readonly ChatMode[] = ['auto', ...AGENT_TABLE.map((agent) => agent.mode)];
