import type { Intent } from '@koda/contracts';
import { foldAccents } from '@koda/notes';

/**
 * Cue phrases per intent, accent-folded. A fallback only: the real classifier lives in
 * libs/intent; this keeps `classify` answerable with no model at all.
 */
const CUES: Record<Intent, string[]> = {
  recherche: [
    'cherche',
    'recherche',
    'trouve',
    'retrouve',
    'mes notes',
    'dans mes notes',
    "j'ai ecrit",
    'ai-je ecrit',
    "j'ai note",
    'search',
    'find',
    'look up',
    'my notes',
    'did i write',
    'what did i',
    'wrote',
  ],
  discussion: [
    'debat',
    'debattre',
    'discute',
    'discussion',
    'avis',
    'pour et contre',
    'points de vue',
    'compare',
    "qu'en pensez",
    'debate',
    'discuss',
    'pros and cons',
    'opinions',
    'both think',
    'versus',
    ' vs ',
  ],
  restitution: [
    'resume',
    'reformule',
    'redige',
    'ecris',
    'synthese',
    'recapitule',
    'summari',
    'rewrite',
    'rephrase',
    'draft',
    'write',
    'explain',
    'explique',
    'notre conversation',
    'our conversation',
  ],
};

/** On equal cue counts, the more specific intent wins: a search names its object. */
const PRIORITY: Intent[] = ['recherche', 'discussion', 'restitution'];

/** `{"intent": ..., "confidence": ...}`, from cue counts; restitution at 0.4 when nothing matches. */
export function classifyAnswer(message: string): string {
  const text = ` ${foldAccents(message)} `;
  const counts = PRIORITY.map((intent) => ({ intent, hits: CUES[intent].filter((cue) => text.includes(cue)).length }));
  const ranked = [...counts].sort((a, b) => b.hits - a.hits || PRIORITY.indexOf(a.intent) - PRIORITY.indexOf(b.intent));
  const [best, second] = ranked;
  if (best.hits === 0) return JSON.stringify({ intent: 'restitution', confidence: 0.4 });
  const margin = best.hits - second.hits;
  const confidence = Math.min(0.9, 0.55 + 0.1 * best.hits + 0.1 * margin);
  return JSON.stringify({ intent: best.intent, confidence: Math.round(confidence * 100) / 100 });
}
