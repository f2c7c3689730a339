import type { AgentOutcome, ErrorCode, RoutingDecision, RunContext, RunEventDraft, RunResult, SessionMessage } from '@koda/contracts';
import { recordRunEnd } from '../metrics/run-metrics';
import { withRunSpan } from '../tracing/tracing';
import type { AttemptFence, RunEventLog } from './run-event-log';

/** What the run ended with: the complete result, or nothing when someone else ended it first. */
export type FinishOutcome = { finished: boolean; id: string | null };

function userMessage(run: RunContext): SessionMessage {
  return { role: 'user', content: run.message, run_id: run.run_id, timestamp: new Date(run.accepted_at).toISOString(), ...seqOf(run) };
}

/** Messages carry their run's acceptance order: the session is folded by it, whatever order runs end in. */
function seqOf(run: RunContext): { seq?: number } {
  return run.seq ? { seq: run.seq } : {};
}

/**
 * Whoever ended the run hands its session's turn to the next queued run and sends its webhook.
 * Not part of the finish script (other hash slots); a finisher that dies in between leaves a
 * turn that the next claimant releases when it sees the holder ended
 * (`SessionTurns.releaseIfEnded`), and a webhook that goes out past the run's deadline.
 */
async function afterEnd(log: RunEventLog, run: RunContext): Promise<void> {
  await Promise.all([log.turns.release(run, run.run_id).catch(() => undefined), log.webhooks.release(run.run_id).catch(() => undefined)]);
}

/**
 * The agent's outcome as the run's result: its cost and tokens include the model classification
 * that routed it (auto mode with a model), its metadata says how it was routed.
 */
export function routedOutcome(outcome: AgentOutcome, routing: RoutingDecision): AgentOutcome {
  const metadata = { ...outcome.metadata, intent: routing.intent, confidence: routing.confidence, classifier: routing.classifier };
  const usage = routing.usage;
  if (!usage) return { ...outcome, metadata };
  return {
    ...outcome,
    metadata,
    input_tokens: outcome.input_tokens + usage.input_tokens,
    output_tokens: outcome.output_tokens + usage.output_tokens,
    tokens_used: outcome.tokens_used + usage.input_tokens + usage.output_tokens,
    cost_eur: Math.round((outcome.cost_eur + usage.cost_eur) * 1e6) / 1e6,
  };
}

const STATUS_OF_CODE: Partial<Record<ErrorCode, SessionMessage['status']>> = { cancelled: 'cancelled', interrupted: 'interrupted' };

/**
 * Ends a run successfully: session gets the question and the answer, clients get `complete`.
 * The agent attempt that answered passes its fence: once a newer attempt of its node started,
 * the finish is refused, so a superseded attempt cannot end the run its successor is answering.
 */
export async function completeRun(log: RunEventLog, run: RunContext, outcome: AgentOutcome, fence?: AttemptFence): Promise<FinishOutcome> {
  const result: RunResult = {
    ...outcome,
    session_id: run.session_id,
    run_id: run.run_id,
    processing_time_ms: Math.max(0, Date.now() - run.accepted_at),
  };
  const answer: SessionMessage = {
    role: 'assistant',
    content: outcome.response,
    run_id: run.run_id,
    timestamp: new Date().toISOString(),
    ...seqOf(run),
    agent: outcome.agent_used,
    status: 'complete',
    metrics: {
      processing_time_ms: result.processing_time_ms,
      tokens_used: result.tokens_used,
      input_tokens: result.input_tokens,
      output_tokens: result.output_tokens,
      cost_eur: result.cost_eur,
    },
    ...(outcome.metadata.clickable_objects?.length ? { clickable_objects: outcome.metadata.clickable_objects } : {}),
  };
  const id = await tracedFinish(log, run, { type: 'complete', result }, [userMessage(run), answer], fence);
  // Counted once, by whoever wrote the terminal event; a lost count only errs in the user's favour.
  if (id !== null) await log.addSpend(run.user_id, result.cost_eur).catch(() => undefined);
  if (id !== null) recordRunEnd(run, null);
  if (id !== null) await afterEnd(log, run);
  return { finished: id !== null, id };
}

/**
 * Ends a run on a failure with a fatal `error` the user can read. A partial answer is kept in
 * the session, marked as cancelled or failed, so the conversation shows what was said.
 */
export async function failRun(
  log: RunEventLog,
  run: RunContext,
  failure: { code: ErrorCode; message: string; node?: RunResult['agent_used']; partial?: string; fence?: AttemptFence },
): Promise<FinishOutcome> {
  const session: SessionMessage[] = [userMessage(run)];
  if (failure.partial) {
    session.push({
      role: 'assistant',
      content: failure.partial,
      run_id: run.run_id,
      timestamp: new Date().toISOString(),
      ...seqOf(run),
      agent: failure.node,
      status: STATUS_OF_CODE[failure.code] ?? 'failed',
    });
  }
  const draft = { type: 'error' as const, code: failure.code, message: failure.message, fatal: true, ...(failure.node ? { node: failure.node } : {}) };
  const id = await tracedFinish(log, run, draft, session, failure.fence);
  if (id !== null) recordRunEnd(run, failure.code);
  if (id !== null) await afterEnd(log, run);
  return { finished: id !== null, id };
}

/** The finish script as a span of the run's trace: which terminal event, and whether this writer's won. */
function tracedFinish(log: RunEventLog, run: RunContext, draft: RunEventDraft, session: SessionMessage[], fence?: AttemptFence): Promise<string | null> {
  const outcome = draft.type === 'error' ? draft.code : draft.type;
  return withRunSpan('run finish', run.traceparent, { attributes: { 'koda.run_id': run.run_id, 'koda.outcome': outcome } }, async (span) => {
    const id = await log.finish(run, draft, session, fence);
    span.setAttribute('koda.finished', id !== null);
    return id;
  });
}
