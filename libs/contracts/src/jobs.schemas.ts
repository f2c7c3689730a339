import { z } from 'zod';
import { AGENT_NODES, CHAT_MODES, INTENTS } from './events';
import { JobName } from './queues';
import { SessionMessageSchema } from './session';
import { TRACEPARENT } from './trace-context';

/** Runtime validation of job data when a worker picks a job up (payloads outlive deploys). */
export const RunContextSchema = z.object({
  run_id: z.string().min(1),
  session_id: z.string().min(1),
  /** Who started the run; its session log and notes are that user's (absent: the local user). */
  user_id: z.string().min(1).optional(),
  message: z.string().min(1),
  mode: z.enum(CHAT_MODES),
  accepted_at: z.number().int().positive(),
  deadline_at: z.number().int().positive(),
  /** W3C trace context of the span that queued the job (only while tracing is on). */
  traceparent: z.string().regex(TRACEPARENT).optional(),
});

export const RoutingDecisionSchema = z.object({
  intent: z.enum(INTENTS),
  confidence: z.number().min(0).max(1),
  node: z.enum(AGENT_NODES),
  classifier: z.string(),
});

export const AgentJobPayloadSchema = RunContextSchema.extend({
  history: z.array(SessionMessageSchema),
  routing: RoutingDecisionSchema,
});

export const FinalizeRunPayloadSchema = RunContextSchema.extend({ routing: RoutingDecisionSchema });

/** Every job carries the run context; each schema checks the rest of its job's payload. */
export const JOB_PAYLOAD_SCHEMAS: Record<JobName, z.ZodType<z.infer<typeof RunContextSchema>>> = {
  [JobName.RouteMessage]: RunContextSchema,
  [JobName.FinalizeRun]: FinalizeRunPayloadSchema,
  [JobName.PlumeAnswer]: AgentJobPayloadSchema,
  [JobName.MimirAnswer]: AgentJobPayloadSchema,
  [JobName.DiscussionRun]: AgentJobPayloadSchema,
};
