import { isTerminalEvent, parseRunEvent, type RunEvent } from './events';

const now = new Date().toISOString();

describe('run events', () => {
  it('parses a valid event of every type', () => {
    const events: RunEvent[] = [
      { type: 'start', run_id: 'r', timestamp: now, session_id: 's', mode: 'auto', message: 'hi' },
      { type: 'routing', run_id: 'r', timestamp: now, intent: 'recherche', confidence: 0.8, node: 'mimir', classifier: 'local' },
      { type: 'processing', run_id: 'r', timestamp: now, node: 'plume', status: 'started' },
      { type: 'token', run_id: 'r', timestamp: now, node: 'plume', delta: 'Bon' },
      { type: 'agent_message', run_id: 'r', timestamp: now, node: 'discussion', agent: 'plume', turn: 1, content: 'x' },
      { type: 'search', run_id: 'r', timestamp: now, node: 'mimir', query: 'redis', hits: 2 },
      { type: 'error', run_id: 'r', timestamp: now, code: 'timeout', message: 'late', fatal: true },
    ];
    for (const event of events) expect(parseRunEvent(JSON.stringify(event))).toEqual({ ok: true, event });
  });

  it('reports, never throws, on malformed entries', () => {
    expect(parseRunEvent('{oops')).toEqual({ ok: false, reason: 'not JSON' });
    expect(parseRunEvent(JSON.stringify({ type: 'nope' }))).toMatchObject({ ok: false });
    const missing = parseRunEvent(JSON.stringify({ type: 'token', run_id: 'r', timestamp: now, node: 'plume' }));
    expect(missing).toMatchObject({ ok: false, reason: expect.stringContaining('delta') });
  });

  it('knows which events end a run', () => {
    const error = (fatal: boolean): RunEvent => ({ type: 'error', run_id: 'r', timestamp: now, code: 'llm_overloaded', message: 'x', fatal });
    expect(isTerminalEvent(error(true))).toBe(true);
    expect(isTerminalEvent(error(false))).toBe(false);
    expect(isTerminalEvent({ type: 'token', run_id: 'r', timestamp: now, node: 'plume', delta: 'x' })).toBe(false);
  });
});
