import type { z } from 'zod';
import { agentDefinition, agentDefinitions, agentForMode } from './agent-registry';
import type { AgentNode } from './agent-table';
import type { RunResult } from './events';
import type { AgentJobPayloadSchema, DeliverWebhookPayloadSchema, RoutingDecisionSchema, RunContextSchema } from './jobs.schemas';

/**
 * The orchestrator's queue; each agent's queue is in the agent table (`agent-table.ts`).
 * Values are persisted in Redis: never rename one, add a new one.
 */
export enum QueueName {
  Orchestrator = 'orchestrator',
}

/**
 * The orchestrator's jobs; each agent's job is in the agent table. Values are persisted in
 * Redis: never rename one, add a new one.
 */
export enum JobName {
  RouteMessage = 'route-message',
  // On the orchestrator's queue: a receiver's outage only delays its own deliveries (backoff).
  DeliverWebhook = 'deliver-webhook',
}

/** Every queue: the orchestrator's, then each agent's. */
export function allQueues(): string[] {
  return [QueueName.Orchestrator, ...agentDefinitions().map((agent) => agent.queue)];
}

/** The jobs a queue carries: a transport serving a queue must handle all of them. */
export function jobsOfQueue(queue: string): string[] {
  if (queue === String(QueueName.Orchestrator)) return Object.values(JobName);
  return agentDefinitions()
    .filter((agent) => agent.queue === queue)
    .map((agent) => agent.job);
}

/** Where an agent node's job goes. */
export function agentJob(node: string): { queue: string; job: string } {
  const { queue, job } = agentDefinition(node);
  return { queue, job };
}

/**
 * The routing of a mode that names its agent: nothing to classify, so the gateway queues the
 * agent's job itself (README, "A run, step by step"). Undefined for `auto`.
 */
export function explicitRouting(mode: string): RoutingDecision | undefined {
  const named = agentForMode(mode);
  return named && { intent: named.intent, confidence: 1, node: named.node as AgentNode, classifier: 'explicit' };
}

/** What every job of a run knows about it. */
export type RunContext = z.infer<typeof RunContextSchema>;

export type RoutingDecision = z.infer<typeof RoutingDecisionSchema>;

export type RouteMessagePayload = RunContext;

/** The standard agent job payload: the run, the session so far, the routing decision. */
export type AgentJobPayload = z.infer<typeof AgentJobPayloadSchema>;

/** What an agent answered, before the run's ids and time are added (see `completeRun`). */
export type AgentOutcome = Omit<RunResult, 'session_id' | 'run_id' | 'processing_time_ms'>;

type AgentOf<N extends AgentNode> = Extract<(typeof import('./agent-table'))['AGENT_TABLE'][number], { node: N }>;

/** The job payload of an agent of the table: its row's `payload` schema, inferred. */
export type AgentPayloadOf<N extends AgentNode> = AgentOf<N> extends { payload: (base: never) => infer S extends z.ZodTypeAny } ? z.infer<S> : AgentJobPayload;

/** Tells a run's `webhook` URL how the run ended; its job id is `<run_id>-webhook`. */
export type DeliverWebhookPayload = z.infer<typeof DeliverWebhookPayloadSchema>;

export interface JobPayloads {
  [JobName.RouteMessage]: RouteMessagePayload;
  [JobName.DeliverWebhook]: DeliverWebhookPayload;
}
export type JobOf<N extends JobName> = JobPayloads[N];
