import { z } from 'zod';
import { AgentNodeSchema, ClickableObjectSchema } from './events';

export const SessionMessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  run_id: z.string(),
  timestamp: z.string(),
  agent: AgentNodeSchema.optional(),
  /** The run was cancelled, interrupted by a newer message, or failed; `content` is the partial answer. */
  status: z.enum(['complete', 'cancelled', 'failed', 'interrupted']).optional(),
  /** The run's place in the session's acceptance order: the session is folded by it (absent on older messages). */
  seq: z.number().int().positive().optional(),
  clickable_objects: z.array(ClickableObjectSchema).optional(),
  /** What the answer cost, so a conversation read back shows what a live one did. */
  metrics: z
    .object({
      processing_time_ms: z.number().nonnegative(),
      tokens_used: z.number().int().nonnegative(),
      input_tokens: z.number().int().nonnegative(),
      output_tokens: z.number().int().nonnegative(),
      cost_eur: z.number().nonnegative(),
    })
    .optional(),
});
export type SessionMessage = z.infer<typeof SessionMessageSchema>;

/** One of a user's sessions, as `GET /api/v1/sessions` lists it (most recent first). */
export interface SessionSummary {
  session_id: string;
  /** The session's first message (its title), cut to 120 characters. */
  title: string;
  /** Last activity, ISO-8601. */
  last_activity: string;
  /** The session's run still going, to rejoin from another device. */
  active_run_id: string | null;
}

export interface SessionView {
  session_id: string;
  messages: SessionMessage[];
}
