import { Intent } from '@koda/contracts';
import { IntentClassification } from './classifier';
import { DEFAULT_CONFIDENCE_THRESHOLD, routeIntent } from './routing';

function result(intent: Intent, confidence: number): IntentClassification {
  const rest = (1 - confidence) / 2;
  const scores = { restitution: rest, recherche: rest, discussion: rest };
  scores[intent] = confidence;
  return { intent, confidence, scores };
}

describe('routeIntent', () => {
  it('follows a confident classification to its agent', () => {
    expect(routeIntent(result('recherche', 0.9))).toMatchObject({
      intent: 'recherche',
      node: 'mimir',
      confidence: 0.9,
      fallback: false,
    });
    expect(routeIntent(result('discussion', 0.8)).node).toBe('discussion');
    expect(routeIntent(result('restitution', 0.7)).node).toBe('plume');
  });

  it('falls back to restitution / Plume below the threshold, reporting restitution’s own probability', () => {
    const decision = routeIntent(result('discussion', 0.45));
    expect(decision).toEqual({
      intent: 'restitution',
      node: 'plume',
      confidence: 0.275,
      fallback: true,
      classified: { intent: 'discussion', confidence: 0.45 },
    });
  });

  it('uses 0.5 by default and treats the threshold itself as confident enough', () => {
    expect(DEFAULT_CONFIDENCE_THRESHOLD).toBe(0.5);
    expect(routeIntent(result('recherche', 0.5)).fallback).toBe(false);
    expect(routeIntent(result('recherche', 0.4999)).fallback).toBe(true);
  });

  it('honours a custom threshold', () => {
    expect(routeIntent(result('recherche', 0.8), 0.85).intent).toBe('restitution');
    expect(routeIntent(result('recherche', 0.8), 0).intent).toBe('recherche');
  });

  it('does not flag a low-confidence restitution as a fallback', () => {
    expect(routeIntent(result('restitution', 0.4))).toMatchObject({ intent: 'restitution', fallback: false });
  });

  it.each([-0.1, 1.5, Number.NaN])('rejects threshold %p', (threshold) => {
    expect(() => routeIntent(result('recherche', 0.9), threshold)).toThrow(RangeError);
  });
});
