import { agentForIntent, AgentNode, Intent } from '@koda/contracts';
import { IntentClassification } from './classifier';

/**
 * Below this calibrated confidence the classifier's guess is not trusted and the message goes
 * to Plume. With three intents the top probability is never under 1/3; at 0.5 the classifier
 * must at least favour its intent over the other two together.
 */
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.5;

/** Plume can answer anything from the conversation, so it is the safe default when unsure. */
export const FALLBACK_INTENT: Intent = 'restitution';

export interface RoutingDecision {
  intent: Intent;
  node: AgentNode;
  /** Calibrated probability of `intent` (on fallback: of restitution, honestly low). */
  confidence: number;
  /** True when the classifier was unsure and the fallback was used instead of its guess. */
  fallback: boolean;
  /** What the classifier predicted, kept for logs whether or not it was followed. */
  classified: { intent: Intent; confidence: number };
}

/** Follows the classifier when it is confident enough, otherwise falls back to Plume. */
export function routeIntent(result: IntentClassification, threshold: number = DEFAULT_CONFIDENCE_THRESHOLD): RoutingDecision {
  if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`threshold must be in [0, 1], got ${threshold}`);
  const classified = { intent: result.intent, confidence: result.confidence };
  const fallback = result.confidence < threshold && result.intent !== FALLBACK_INTENT;
  const intent = fallback ? FALLBACK_INTENT : result.intent;
  const confidence = fallback ? result.scores[FALLBACK_INTENT] : result.confidence;
  // The agent table says which agent answers an intent.
  return { intent, node: agentForIntent(intent).node as AgentNode, confidence, fallback, classified };
}
