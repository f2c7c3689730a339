import type { RunEvent, RunEventDraft, RunResult } from '@koda/contracts';

/** Builds run events as the gateway would send them, with ids `1000-0`, `1000-1`… */
export const RUN_ID = 'run-1';

export function ev(draft: RunEventDraft): RunEvent {
  return { ...draft, run_id: RUN_ID, timestamp: '2025-01-01T00:00:00.000Z' };
}

export const result = (response: string, extra: Partial<RunResult> = {}): RunResult => ({
  response,
  agent_used: 'plume',
  session_id: 's-1',
  run_id: RUN_ID,
  processing_time_ms: 812,
  tokens_used: 975,
  input_tokens: 700,
  output_tokens: 275,
  cost_eur: 0.0029,
  metadata: { intent: 'restitution', confidence: 0.9 },
  ...extra,
});

/** A plume run: start, processing, tokens `Bon`,`jour`,` à`,` tous`, completed, complete. */
export function plumeRun(): RunEvent[] {
  return [
    ev({ type: 'start', session_id: 's-1', mode: 'plume', message: 'Salut' }),
    ev({ type: 'processing', node: 'plume', status: 'started' }),
    ...['Bon', 'jour', ' à', ' tous'].map((delta) => ev({ type: 'token', node: 'plume', delta })),
    ev({ type: 'processing', node: 'plume', status: 'completed' }),
    ev({ type: 'complete', result: result('Bonjour à tous') }),
  ];
}

export const idOf = (index: number): string => `1000-${index}`;

/** SSE frames for events (ids by position), optionally followed by `[DONE]`. */
export function frames(events: RunEvent[], from = 0, done = true): string[] {
  const out = events.map((event, i) => `id: ${idOf(from + i)}\ndata: ${JSON.stringify(event)}\n\n`);
  return done ? [...out, 'data: [DONE]\n\n'] : out;
}
