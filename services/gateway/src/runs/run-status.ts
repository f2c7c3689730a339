import { isTerminalEvent, type RunEvent, type RunResult, type StartEvent } from '@koda/contracts';

export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

/** What `GET /api/v1/runs/:run_id` answers: where a run stands, from its first and last events. */
export interface RunSummary {
  run_id: string;
  session_id: string;
  mode: StartEvent['mode'];
  message: string;
  status: RunStatus;
  created_at: string;
  updated_at: string;
  result?: RunResult;
  error?: { code: string; message: string };
}

export function summarizeRun(start: StartEvent, last: RunEvent, length: number): RunSummary {
  const summary: RunSummary = {
    run_id: start.run_id,
    session_id: start.session_id,
    mode: start.mode,
    message: start.message,
    status: statusOf(last, length),
    created_at: start.timestamp,
    updated_at: last.timestamp,
  };
  if (last.type === 'complete') summary.result = last.result;
  if (last.type === 'error' && isTerminalEvent(last)) summary.error = { code: last.code, message: last.message };
  return summary;
}

function statusOf(last: RunEvent, length: number): RunStatus {
  if (last.type === 'complete') return 'completed';
  if (isTerminalEvent(last)) return last.type === 'error' && (last.code === 'cancelled' || last.code === 'interrupted') ? 'cancelled' : 'failed';
  // Waiting for its session's turn (a `queued` event last) is still queued.
  return length <= 1 || last.type === 'queued' ? 'queued' : 'running';
}
