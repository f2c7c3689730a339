import { ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath, type SchemaObject } from '@nestjs/swagger';
import {
  AGENT_NODES,
  CHAT_MODES,
  ERROR_CODES,
  INTENTS,
  MULTITASK_STRATEGIES,
  PROCESSING_STATUSES,
  type AgentMessageEvent,
  type AgentNode,
  type ChatMode,
  type ClickableObject,
  type CompleteEvent,
  type ErrorCode,
  type ErrorEvent,
  type Intent,
  type MultitaskStrategy,
  type ProcessingEvent,
  type QueuedEvent,
  type ResetEvent,
  type RoutingEvent,
  type RunEventType,
  type RunResult,
  type SearchEvent,
  type StartEvent,
  type TokenEvent,
} from '@koda/contracts';

/**
 * The run events of `libs/contracts` (zod) as OpenAPI schemas, one per `type`, and their union.
 * Written by hand (zod 3 and 4 convert differently); each class `implements` its contracts type,
 * and `test/openapi-events.spec.ts` checks every event type has one with the same fields, and
 * validates the events of real runs against the published document.
 */
abstract class EventBase {
  @ApiProperty({ description: 'The run this event belongs to.', example: '5b0e7c1e-…' })
  run_id!: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-30T09:00:00.000Z' })
  timestamp!: string;
}

@ApiSchema({ name: 'StartEvent' })
export class StartEventDoc extends EventBase implements StartEvent {
  @ApiProperty({ enum: ['start'] })
  type!: 'start';

  @ApiProperty()
  session_id!: string;

  @ApiPropertyOptional({ description: 'Who started the run (absent on runs written before users existed).' })
  user_id?: string;

  @ApiProperty({ enum: CHAT_MODES })
  mode!: ChatMode;

  @ApiProperty()
  message!: string;

  @ApiPropertyOptional({ description: 'W3C trace context of the run (only while tracing is on).', pattern: '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$' })
  traceparent?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: "The run's place in its session's acceptance order." })
  seq?: number;
}

@ApiSchema({ name: 'RoutingEvent' })
export class RoutingEventDoc extends EventBase implements RoutingEvent {
  @ApiProperty({ enum: ['routing'] })
  type!: 'routing';

  @ApiProperty({ enum: INTENTS })
  intent!: Intent;

  @ApiProperty({ minimum: 0, maximum: 1 })
  confidence!: number;

  @ApiProperty({ enum: AGENT_NODES })
  node!: AgentNode;

  @ApiProperty({ description: '`explicit`, the local classifier id, or `anthropic:<model>`.' })
  classifier!: string;
}

@ApiSchema({ name: 'ProcessingEvent' })
export class ProcessingEventDoc extends EventBase implements ProcessingEvent {
  @ApiProperty({ enum: ['processing'] })
  type!: 'processing';

  @ApiProperty({ enum: AGENT_NODES })
  node!: AgentNode;

  @ApiProperty({ enum: PROCESSING_STATUSES, description: '`retrying`: the node starts over; drop its earlier tokens.' })
  status!: ProcessingEvent['status'];

  @ApiPropertyOptional({ type: 'integer', minimum: 1 })
  attempt?: number;

  @ApiPropertyOptional()
  detail?: string;
}

@ApiSchema({ name: 'TokenEvent' })
export class TokenEventDoc extends EventBase implements TokenEvent {
  @ApiProperty({ enum: ['token'] })
  type!: 'token';

  @ApiProperty({ enum: AGENT_NODES })
  node!: AgentNode;

  @ApiProperty({ description: 'Text to append.' })
  delta!: string;

  @ApiPropertyOptional({ description: 'The persona speaking inside a node (discussion turns, `synthesis`).', minLength: 1, maxLength: 64 })
  agent?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1 })
  turn?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'The node attempt that wrote it.' })
  attempt?: number;
}

@ApiSchema({ name: 'AgentMessageEvent' })
export class AgentMessageEventDoc extends EventBase implements AgentMessageEvent {
  @ApiProperty({ enum: ['agent_message'] })
  type!: 'agent_message';

  @ApiProperty({ enum: AGENT_NODES })
  node!: AgentNode;

  @ApiProperty({ minLength: 1, maxLength: 64 })
  agent!: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  turn!: number;

  @ApiProperty()
  content!: string;
}

@ApiSchema({ name: 'SearchEvent' })
export class SearchEventDoc extends EventBase implements SearchEvent {
  @ApiProperty({ enum: ['search'] })
  type!: 'search';

  @ApiProperty({ enum: AGENT_NODES })
  node!: AgentNode;

  @ApiProperty()
  query!: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  hits!: number;
}

@ApiSchema({ name: 'ErrorEvent' })
export class ErrorEventDoc extends EventBase implements ErrorEvent {
  @ApiProperty({ enum: ['error'] })
  type!: 'error';

  @ApiProperty({ enum: ERROR_CODES })
  code!: ErrorCode;

  @ApiProperty()
  message!: string;

  @ApiProperty({ description: 'A fatal error is the terminal event of the run.' })
  fatal!: boolean;

  @ApiPropertyOptional({ enum: AGENT_NODES })
  node?: AgentNode;

  @ApiPropertyOptional({ description: '`message` again, under the name clients of the original KODA read.' })
  error?: string;
}

@ApiSchema({ name: 'ClickableObject' })
export class ClickableObjectDoc implements ClickableObject {
  @ApiProperty({ enum: ['note'] })
  type!: 'note';

  @ApiProperty()
  id!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  snippet!: string;

  @ApiProperty()
  score!: number;
}

/** Open: agents may add keys (`passthrough` in contracts). */
@ApiSchema({ name: 'RunResultMetadata' })
export class RunResultMetadataDoc {
  [key: string]: unknown;

  @ApiPropertyOptional({ enum: INTENTS })
  intent?: Intent;

  @ApiPropertyOptional({ minimum: 0, maximum: 1 })
  confidence?: number;

  @ApiPropertyOptional()
  classifier?: string;

  @ApiPropertyOptional({ type: [ClickableObjectDoc], description: 'The notes Mimir cited.' })
  clickable_objects?: ClickableObjectDoc[];

  @ApiPropertyOptional({ type: 'integer' })
  turns?: number;

  @ApiPropertyOptional()
  provider?: string;

  @ApiPropertyOptional()
  model?: string;
}

/** What a run cost: in its result, and on its answer in the session. */
@ApiSchema({ name: 'RunMetrics' })
export class RunMetricsDoc {
  @ApiProperty({ minimum: 0 })
  processing_time_ms!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  tokens_used!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  input_tokens!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  output_tokens!: number;

  @ApiProperty({ minimum: 0, description: 'What the run cost in EUR (the agents’ calls and, in `auto`, the model classification).' })
  cost_eur!: number;
}

@ApiSchema({ name: 'RunResult' })
export class RunResultDoc extends RunMetricsDoc implements RunResult {
  @ApiProperty({ description: 'The answer (authoritative over the tokens).' })
  response!: string;

  @ApiProperty({ enum: AGENT_NODES })
  agent_used!: AgentNode;

  @ApiProperty()
  session_id!: string;

  @ApiProperty()
  run_id!: string;

  @ApiProperty({ type: RunResultMetadataDoc, additionalProperties: true })
  metadata!: RunResultMetadataDoc;
}

@ApiSchema({ name: 'CompleteEvent' })
export class CompleteEventDoc extends EventBase implements CompleteEvent {
  @ApiProperty({ enum: ['complete'] })
  type!: 'complete';

  @ApiProperty({ type: RunResultDoc })
  result!: RunResultDoc;
}

@ApiSchema({ name: 'ResetEvent' })
export class ResetEventDoc extends EventBase implements ResetEvent {
  @ApiProperty({ enum: ['reset'] })
  type!: 'reset';

  @ApiProperty({ description: 'Why the resume point was not found.' })
  reason!: string;

  @ApiProperty({ description: 'The `Last-Event-ID` the client resumed from.' })
  last_event_id!: string;
}

@ApiSchema({ name: 'QueuedEvent' })
export class QueuedEventDoc extends EventBase implements QueuedEvent {
  @ApiProperty({ enum: ['queued'] })
  type!: 'queued';

  @ApiProperty({ description: 'The run of the session this one waits for.' })
  active_run_id!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Runs ahead of it (1: it is next).' })
  position!: number;

  @ApiProperty({
    enum: MULTITASK_STRATEGIES,
    description: 'Why it waits: queued behind the active run (`enqueue`), or that run is being stopped for it (`interrupt`, `rollback`).',
  })
  reason!: MultitaskStrategy;
}

/** One schema per event type; a type missing here fails the build. */
export const RUN_EVENT_DOCS: Record<RunEventType, new () => object> = {
  start: StartEventDoc,
  routing: RoutingEventDoc,
  processing: ProcessingEventDoc,
  token: TokenEventDoc,
  agent_message: AgentMessageEventDoc,
  search: SearchEventDoc,
  error: ErrorEventDoc,
  complete: CompleteEventDoc,
  reset: ResetEventDoc,
  queued: QueuedEventDoc,
};

export const RUN_EVENT_SCHEMA = 'RunEvent';

/** The `data:` of every SSE event: a `oneOf` discriminated on `type`. */
export function runEventUnion(): SchemaObject {
  const entries = Object.entries(RUN_EVENT_DOCS);
  return {
    description:
      'The JSON of one SSE `data:` line (the stream ends with `data: [DONE]`). Every event has an `id:` (a Redis Stream id) but `reset`, whose id is `0-0`.',
    oneOf: entries.map(([, doc]) => ({ $ref: getSchemaPath(doc) })),
    discriminator: { propertyName: 'type', mapping: Object.fromEntries(entries.map(([type, doc]) => [type, getSchemaPath(doc)])) },
  };
}
