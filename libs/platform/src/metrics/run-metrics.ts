import type { ErrorCode, RunContext } from '@koda/contracts';
import { platformMetrics } from './koda-metrics';

/** `failed` splits by code; cancellation and the deadline are outcomes of their own. */
function outcomeOf(code: ErrorCode | null): 'completed' | 'failed' | 'cancelled' | 'timeout' {
  if (code === null) return 'completed';
  if (code === 'cancelled' || code === 'timeout') return code;
  if (code === 'interrupted') return 'cancelled'; // stopped by a newer message: a cancel, not a failure
  return 'failed';
}

/** Counts a run this service ended (its terminal event was written here, once per run). */
export function recordRunEnd(run: Pick<RunContext, 'mode' | 'accepted_at'>, code: ErrorCode | null): void {
  const outcome = outcomeOf(code);
  platformMetrics.runsFinished.inc({ mode: run.mode, outcome, code: code ?? 'none' });
  platformMetrics.runDuration.observe({ mode: run.mode, outcome }, Math.max(0, Date.now() - run.accepted_at) / 1000);
}
