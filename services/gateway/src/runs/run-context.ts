import type { RunContext, StartEvent } from '@koda/contracts';

/** A run's context rebuilt from its `start` event: what any replica needs to end the run. */
export function runContextOf(start: StartEvent, timeoutMs: number): RunContext {
  const accepted_at = Date.parse(start.timestamp);
  // The traceparent lets the gateway's own ending of a run (cancel, deadline) be a span of its trace.
  return {
    run_id: start.run_id,
    session_id: start.session_id,
    ...(start.user_id && { user_id: start.user_id }),
    mode: start.mode,
    message: start.message,
    accepted_at,
    deadline_at: accepted_at + timeoutMs,
    ...(start.seq && { seq: start.seq }),
    ...(start.traceparent && { traceparent: start.traceparent }),
  };
}
