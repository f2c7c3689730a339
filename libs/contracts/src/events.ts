import { TRACEPARENT } from './trace-context';
import { z } from 'zod';
import { isAgentNode, isChatMode } from './agent-registry';
import type { AgentNode, ChatMode } from './agent-table';

/**
 * Every event a client can see on a run's stream. A discriminated union on `type`.
 * Events outlive the code that wrote them (they sit in Redis Streams): version an event by
 * adding a new type, never by changing an existing one.
 */

/** An agent's node or a mode, checked against the agent table (`agent-table.ts`) when parsed. */
export const AgentNodeSchema = z.custom<AgentNode>(isAgentNode, 'must be an agent of the agent table');
export const ChatModeSchema = z.custom<ChatMode>(isChatMode, 'must be auto or the mode of an agent of the agent table');

/**
 * What a new message does while its session has a run going (see README, "Double-texting"):
 * refuse it (409), queue it after the active run, or stop the active run first, keeping its
 * partial answer (`interrupt`) or removing its exchange from the session (`rollback`).
 */
export const MULTITASK_STRATEGIES = ['reject', 'enqueue', 'interrupt', 'rollback'] as const;
export type MultitaskStrategy = (typeof MULTITASK_STRATEGIES)[number];

export const INTENTS = ['restitution', 'recherche', 'discussion'] as const;
export type Intent = (typeof INTENTS)[number];

/** Who speaks inside a node: the node itself, or a persona taking a discussion turn. */
export const AgentPersonaSchema = z.string().min(1).max(64);

export const ERROR_CODES = [
  'cancelled',
  'timeout',
  'agent_failed',
  'worker_lost',
  'llm_overloaded',
  'llm_rate_limited',
  'llm_invalid_request',
  'llm_auth',
  'llm_error',
  'internal',
  'redis_full',
  'shutting_down',
  'no_worker',
  'interrupted',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const base = {
  run_id: z.string().min(1),
  timestamp: z.iso.datetime({ offset: true }),
};

export const ClickableObjectSchema = z.object({
  type: z.literal('note'),
  id: z.string(),
  title: z.string(),
  snippet: z.string(),
  score: z.number(),
});
export type ClickableObject = z.infer<typeof ClickableObjectSchema>;

export const RunResultSchema = z.object({
  response: z.string(),
  agent_used: AgentNodeSchema,
  session_id: z.string(),
  run_id: z.string(),
  processing_time_ms: z.number().nonnegative(),
  tokens_used: z.number().int().nonnegative(),
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cost_eur: z.number().nonnegative(),
  metadata: z.looseObject({
    intent: z.enum(INTENTS).optional(),
    confidence: z.number().min(0).max(1).optional(),
    classifier: z.string().optional(),
    clickable_objects: z.array(ClickableObjectSchema).optional(),
    turns: z.number().int().optional(),
    provider: z.string().optional(),
    model: z.string().optional(),
  }),
});
export type RunResult = z.infer<typeof RunResultSchema>;

export const StartEventSchema = z.object({
  type: z.literal('start'),
  ...base,
  session_id: z.string(),
  /** Who started the run (absent on runs written before users existed: the local user). */
  user_id: z.string().min(1).optional(),
  mode: ChatModeSchema,
  message: z.string(),
  /** W3C trace context of the run's trace (only while tracing is on). */
  traceparent: z.string().regex(TRACEPARENT).optional(),
  /** The run's place in its session's acceptance order (absent on runs written before it existed). */
  seq: z.number().int().positive().optional(),
});

/**
 * The run waits for its session's active run to end (`multitask_strategy` enqueue, interrupt
 * or rollback); its `routing`/`processing` events follow once it starts.
 */
export const QueuedEventSchema = z.object({
  type: z.literal('queued'),
  ...base,
  /** The run it waits for. */
  active_run_id: z.string().min(1),
  /** Runs ahead of it (1: it is next). */
  position: z.number().int().positive(),
  /** Why it waits: queued behind the active run, or that run is being stopped for it. */
  reason: z.enum(MULTITASK_STRATEGIES),
});

export const RoutingEventSchema = z.object({
  type: z.literal('routing'),
  ...base,
  intent: z.enum(INTENTS),
  confidence: z.number().min(0).max(1),
  node: AgentNodeSchema,
  classifier: z.string(),
});

export const PROCESSING_STATUSES = ['started', 'completed', 'error', 'retrying'] as const;
export const ProcessingEventSchema = z.object({
  type: z.literal('processing'),
  ...base,
  node: AgentNodeSchema,
  status: z.enum(PROCESSING_STATUSES),
  attempt: z.number().int().positive().optional(),
  detail: z.string().optional(),
});

export const TokenEventSchema = z.object({
  type: z.literal('token'),
  ...base,
  node: AgentNodeSchema,
  delta: z.string(),
  agent: AgentPersonaSchema.optional(),
  turn: z.number().int().positive().optional(),
  /** The node attempt that wrote it (as on `processing`): after a `retrying`, only the current one's. */
  attempt: z.number().int().positive().optional(),
});

export const AgentMessageEventSchema = z.object({
  type: z.literal('agent_message'),
  ...base,
  node: AgentNodeSchema,
  agent: AgentPersonaSchema,
  turn: z.number().int().positive(),
  content: z.string(),
});

/** Mimir's retrieval step, so the search itself is visible in the stream. */
export const SearchEventSchema = z.object({
  type: z.literal('search'),
  ...base,
  node: AgentNodeSchema,
  query: z.string(),
  hits: z.number().int().nonnegative(),
});

export const ErrorEventSchema = z.object({
  type: z.literal('error'),
  ...base,
  code: z.enum(ERROR_CODES),
  message: z.string(),
  fatal: z.boolean(),
  node: AgentNodeSchema.optional(),
  /**
   * The readable message again, under the name clients of the original KODA read
   * (`{type: 'error', error, timestamp}`). The log stamps it from `message`; optional only so
   * entries written before it existed still parse.
   */
  error: z.string().optional(),
});

export const CompleteEventSchema = z.object({
  type: z.literal('complete'),
  ...base,
  result: RunResultSchema,
});

/**
 * Written by the gateway, never stored in a run log: the `Last-Event-ID` a client resumed from
 * is not an entry of this run's log (another run's id, or a position lost with a trimmed or
 * failed-over stream). The whole run follows from its start; a client discards what it had.
 * Its SSE id is `0-0`, so a client that drops right after it resumes from the start again.
 */
export const ResetEventSchema = z.object({
  type: z.literal('reset'),
  ...base,
  reason: z.string(),
  last_event_id: z.string(),
});

export const RunEventSchema = z.discriminatedUnion('type', [
  StartEventSchema,
  RoutingEventSchema,
  ProcessingEventSchema,
  TokenEventSchema,
  AgentMessageEventSchema,
  SearchEventSchema,
  ErrorEventSchema,
  CompleteEventSchema,
  ResetEventSchema,
  QueuedEventSchema,
]);

export type RunEvent = z.infer<typeof RunEventSchema>;
export type RunEventType = RunEvent['type'];
export type RunEventOf<T extends RunEventType> = Extract<RunEvent, { type: T }>;
export type StartEvent = RunEventOf<'start'>;
export type RoutingEvent = RunEventOf<'routing'>;
export type ProcessingEvent = RunEventOf<'processing'>;
export type TokenEvent = RunEventOf<'token'>;
export type AgentMessageEvent = RunEventOf<'agent_message'>;
export type SearchEvent = RunEventOf<'search'>;
export type ErrorEvent = RunEventOf<'error'>;
export type CompleteEvent = RunEventOf<'complete'>;
export type ResetEvent = RunEventOf<'reset'>;
export type QueuedEvent = RunEventOf<'queued'>;

/** An event as a producer hands it over: the log stamps `run_id`, `timestamp` (and an error's `error`). */
export type RunEventDraft = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'run_id' | 'timestamp' | 'error'> : never) : never;

/** A terminal event ends a run: `complete`, or an `error` with `fatal: true`. */
export function isTerminalEvent(event: RunEvent): event is CompleteEvent | ErrorEvent {
  return event.type === 'complete' || (event.type === 'error' && event.fatal);
}

export type ParsedEvent = { ok: true; event: RunEvent } | { ok: false; reason: string };

/** Runtime validation of an event read back from Redis; never throws. */
export function parseRunEvent(raw: string): ParsedEvent {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const parsed = RunEventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `${issue.path.join('.') || 'event'}: ${issue.message}` };
  }
  return { ok: true, event: parsed.data };
}
