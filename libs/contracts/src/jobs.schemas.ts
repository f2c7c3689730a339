import { z } from 'zod';
import { agentDefinitions } from './agent-registry';
import { AgentNodeSchema, ChatModeSchema, INTENTS } from './events';
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
  mode: ChatModeSchema,
  /** Epoch ms when the gateway accepted the run. */
  accepted_at: z.number().int().positive(),
  /** Epoch ms after which the run fails with a `timeout`. */
  deadline_at: z.number().int().positive(),
  /** W3C trace context of the span that queued the job (only while tracing is on). */
  traceparent: z.string().regex(TRACEPARENT).optional(),
  /** The run's place in its session's acceptance order. */
  seq: z.number().int().positive().optional(),
});

export const RoutingDecisionSchema = z.object({
  intent: z.enum(INTENTS),
  confidence: z.number().min(0).max(1),
  node: AgentNodeSchema,
  classifier: z.string(),
  /** What the model classification cost (absent: the local classifier decided, for free). */
  usage: z
    .object({
      model: z.string(),
      input_tokens: z.number().int().nonnegative(),
      output_tokens: z.number().int().nonnegative(),
      cost_eur: z.number().nonnegative(),
    })
    .optional(),
});

export const AgentJobPayloadSchema = RunContextSchema.extend({
  history: z.array(SessionMessageSchema),
  routing: RoutingDecisionSchema,
});

export const DeliverWebhookPayloadSchema = z.object({
  run_id: z.string().min(1),
  session_id: z.string().min(1),
  user_id: z.string().min(1).optional(),
  url: z.url(),
  traceparent: z.string().regex(TRACEPARENT).optional(),
});

const ORCHESTRATOR_SCHEMAS: Record<JobName, z.ZodTypeAny> = {
  [JobName.RouteMessage]: RunContextSchema,
  [JobName.DeliverWebhook]: DeliverWebhookPayloadSchema,
};

/** The schema a job's data must pass before a handler sees it; undefined for an unknown job. */
export function jobPayloadSchema(job: string): z.ZodTypeAny | undefined {
  if (job in ORCHESTRATOR_SCHEMAS) return ORCHESTRATOR_SCHEMAS[job as JobName];
  const agent = agentDefinitions().find((a) => a.job === job);
  if (!agent) return undefined;
  return agent.payload ? agent.payload(AgentJobPayloadSchema) : AgentJobPayloadSchema;
}
