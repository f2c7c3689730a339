import type { RunEvent } from '@koda/contracts';
import { ev, plumeRun, result } from '../test/fixtures';
import { answerText, applyEvent, discussionTurns, initialRunState, isEnded, type RunState } from './run-state';
import { runStatus } from './status';

const fold = (events: RunEvent[], state: RunState = initialRunState()) => events.reduce((s, e, i) => applyEvent(s, e, `1000-${i}`), state);

describe('run state', () => {
  it('folds a plume run: text grows with tokens, the result is authoritative', () => {
    const events = plumeRun();
    const midway = fold(events.slice(0, 4));
    expect(midway).toMatchObject({ runId: 'run-1', sessionId: 's-1', mode: 'plume', phase: 'writing', activeAgent: 'plume', lastEventId: '1000-3' });
    expect(answerText(midway)).toBe('Bonjour');
    const end = fold(events);
    expect(end.phase).toBe('complete');
    expect(isEnded(end)).toBe(true);
    expect(answerText(end)).toBe('Bonjour à tous');
  });

  it('ignores an event whose id is not after the last one (dedup)', () => {
    const events = plumeRun();
    const state = fold(events.slice(0, 4));
    expect(applyEvent(state, events[3], '1000-3')).toBe(state);
    expect(applyEvent(state, events[2], '1000-2')).toBe(state);
  });

  it('starts afresh on reset: the replay from the start is applied once, nothing doubled', () => {
    const events = plumeRun();
    const partway = fold(events.slice(0, 4));
    const reset = applyEvent(partway, ev({ type: 'reset', reason: 'not an entry of this run', last_event_id: '9-9' }), '0-0');
    expect(reset).toMatchObject({ runId: 'run-1', phase: 'starting', segments: [] });
    expect(reset.lastEventId).toBeUndefined();
    const end = events.reduce((s, e, i) => applyEvent(s, e, `2000-${i}`), reset);
    expect(answerText(end)).toBe('Bonjour à tous');
    expect(end.phase).toBe('complete');
  });

  it('drops a node’s partial tokens on retrying, then shows only the new attempt', () => {
    const state = fold([
      ev({ type: 'start', session_id: 's', mode: 'mimir', message: 'q' }),
      ev({ type: 'processing', node: 'mimir', status: 'started' }),
      ev({ type: 'token', node: 'mimir', delta: 'Première tentat' }),
      ev({ type: 'error', code: 'llm_overloaded', message: 'Overloaded. Starting over (attempt 2).', fatal: false, node: 'mimir' }),
      ev({ type: 'processing', node: 'mimir', status: 'retrying', attempt: 2 }),
    ]);
    expect(answerText(state)).toBe('');
    expect(state.warnings).toEqual([{ code: 'llm_overloaded', message: 'Overloaded. Starting over (attempt 2).', node: 'mimir' }]);
    const after = applyEvent(state, ev({ type: 'token', node: 'mimir', delta: 'Seconde' }), '1000-9');
    expect(answerText(after)).toBe('Seconde');
  });

  it('keeps discussion turns apart per agent and turn, settled by agent_message', () => {
    const state = fold([
      ev({ type: 'start', session_id: 's', mode: 'discussion', message: 'q' }),
      ev({ type: 'processing', node: 'discussion', status: 'started' }),
      ev({ type: 'token', node: 'discussion', delta: 'Je pense', agent: 'plume', turn: 1 }),
      ev({ type: 'agent_message', node: 'discussion', agent: 'plume', turn: 1, content: 'Je pense que oui.' }),
      ev({ type: 'token', node: 'discussion', delta: 'Mes notes', agent: 'mimir', turn: 2 }),
      ev({ type: 'token', node: 'discussion', delta: ' disent non', agent: 'mimir', turn: 2 }),
      ev({ type: 'token', node: 'discussion', delta: 'En somme', agent: 'synthesis', turn: 3 }),
    ]);
    expect(discussionTurns(state).map((s) => [s.agent, s.turn, s.text, s.final])).toEqual([
      ['plume', 1, 'Je pense que oui.', true],
      ['mimir', 2, 'Mes notes disent non', false],
    ]);
    expect(answerText(state)).toBe('En somme');
    expect(runStatus(state, 'open').label).toBe('Réflexion en cours… (Synthèse)');
  });

  it('names the agent at work from routing and processing events', () => {
    const routed = fold([ev({ type: 'start', session_id: 's', mode: 'auto', message: 'q' })]);
    expect(runStatus(routed, 'open').label).toBe('Réflexion en cours… (aiguillage)');
    const mimir = applyEvent(routed, ev({ type: 'routing', intent: 'recherche', confidence: 0.86, node: 'mimir', classifier: 'tfidf' }), '1000-5');
    expect(mimir.routing).toMatchObject({ intent: 'recherche', node: 'mimir' });
    expect(runStatus(mimir, 'open').label).toBe('Réflexion en cours… (Mimir)');
    expect(runStatus(mimir, 'reconnecting').label).toBe('Connexion perdue, reconnexion…');
  });

  it('ends on a fatal error: cancelled apart from failed', () => {
    const base = fold(plumeRun().slice(0, 3));
    const cancelled = applyEvent(base, ev({ type: 'error', code: 'cancelled', message: 'The run was cancelled.', fatal: true }), '1000-9');
    expect(cancelled.phase).toBe('cancelled');
    const failed = applyEvent(base, ev({ type: 'error', code: 'agent_failed', message: 'boom', fatal: true, node: 'plume' }), '1000-9');
    expect(failed).toMatchObject({ phase: 'failed', error: { code: 'agent_failed', node: 'plume' } });
    expect(runStatus(failed, 'closed').label).toBe('');
  });

  it('is plain JSON, so a page can keep it and resume from it', () => {
    const state = fold([...plumeRun().slice(0, 3), ev({ type: 'complete', result: result('x') })]);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});
