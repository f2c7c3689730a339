import type { AgentNode, ChatMode, Intent, RunResult } from './events';
import type { SessionMessage } from './session';

/** Queue names. Values are persisted in Redis: never rename one, add a new one. */
export enum QueueName {
  Orchestrator = 'orchestrator',
  Plume = 'agent-plume',
  Mimir = 'agent-mimir',
  Discussion = 'agent-discussion',
}

/** Job names. Values are persisted in Redis: never rename one, add a new one. */
export enum JobName {
  RouteMessage = 'route-message',
  FinalizeRun = 'finalize-run',
  PlumeAnswer = 'plume-answer',
  MimirAnswer = 'mimir-answer',
  DiscussionRun = 'discussion-run',
}

/** Which queue carries each job: a transport serving a queue must handle all of its jobs. */
export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.RouteMessage]: QueueName.Orchestrator,
  [JobName.FinalizeRun]: QueueName.Orchestrator,
  [JobName.PlumeAnswer]: QueueName.Plume,
  [JobName.MimirAnswer]: QueueName.Mimir,
  [JobName.DiscussionRun]: QueueName.Discussion,
};

export const AGENT_JOB: Record<AgentNode, { queue: QueueName; job: JobName }> = {
  plume: { queue: QueueName.Plume, job: JobName.PlumeAnswer },
  mimir: { queue: QueueName.Mimir, job: JobName.MimirAnswer },
  discussion: { queue: QueueName.Discussion, job: JobName.DiscussionRun },
};

export function jobsOfQueue(queue: QueueName): JobName[] {
  return (Object.keys(JOB_QUEUE) as JobName[]).filter((job) => JOB_QUEUE[job] === queue);
}

/** What every job of a run knows about it. */
export interface RunContext {
  run_id: string;
  session_id: string;
  /** Who started the run: its session log and the notes Mimir searches are theirs (absent: the local user). */
  user_id?: string;
  message: string;
  mode: ChatMode;
  /** Epoch ms when the gateway accepted the run. */
  accepted_at: number;
  /** Epoch ms after which the run fails with a `timeout`. */
  deadline_at: number;
  /** W3C trace context of the span that queued the job (only while tracing is on). */
  traceparent?: string;
}

export interface RoutingDecision {
  intent: Intent;
  confidence: number;
  node: AgentNode;
  classifier: string;
  /** What the model classification cost; it counts in the run's result (absent: the local classifier decided). */
  usage?: { model: string; input_tokens: number; output_tokens: number; cost_eur: number };
}

export type RouteMessagePayload = RunContext;

export interface AgentJobPayload extends RunContext {
  history: SessionMessage[];
  routing: RoutingDecision;
}

export interface FinalizeRunPayload extends RunContext {
  routing: RoutingDecision;
}

/** What an agent job returns to its flow parent. */
export type AgentOutcome = Omit<RunResult, 'session_id' | 'run_id' | 'processing_time_ms'>;

export interface JobPayloads {
  [JobName.RouteMessage]: RouteMessagePayload;
  [JobName.FinalizeRun]: FinalizeRunPayload;
  [JobName.PlumeAnswer]: AgentJobPayload;
  [JobName.MimirAnswer]: AgentJobPayload;
  [JobName.DiscussionRun]: AgentJobPayload;
}
export type JobOf<N extends JobName> = JobPayloads[N];
