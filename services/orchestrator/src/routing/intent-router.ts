import { Inject, Injectable } from '@nestjs/common';
import { agentForMode, INTENTS, type AgentNode, type ChatMode, type Intent, type RoutingDecision } from '@koda/contracts';
import { IntentClassifier, routeIntent, type IntentClassification } from '@koda/intent';
import { classifyWithAnthropic } from '@koda/llm';
import { KODA_CONFIG, LOGGER, type KodaConfig, type Logger } from '@koda/platform';

/** The model gets this long to classify before the local classifier decides instead. */
const MODEL_CLASSIFY_TIMEOUT_MS = 4000;

/**
 * Decides which agent answers: the agent whose mode it is (agent table) when the mode names one; in `auto`, the model (structured
 * output) when Anthropic is configured, else, or when that fails, the local classifier.
 * Low confidence routes to Plume, which can always write something useful.
 */
@Injectable()
export class IntentRouter {
  private readonly local = IntentClassifier.default();

  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async decide(mode: ChatMode, message: string, runId: string): Promise<RoutingDecision> {
    const named = agentForMode(mode);
    if (named) return { intent: named.intent, confidence: 1, node: named.node as AgentNode, classifier: 'explicit' };
    const classified = (this.config.ANTHROPIC_API_KEY && (await this.byModel(message, runId))) || this.byLocal(message);
    const routed = routeIntent(classified);
    return { intent: routed.intent, confidence: round(routed.confidence), node: routed.node, classifier: classified.classifier };
  }

  private byLocal(message: string) {
    return { ...this.local.classify(message), classifier: this.local.id };
  }

  private async byModel(message: string, runId: string) {
    try {
      const result = await classifyWithAnthropic(
        { apiKey: this.config.ANTHROPIC_API_KEY!, baseURL: this.config.ANTHROPIC_BASE_URL, model: this.config.KODA_MODEL_ROUTER, timeoutMs: MODEL_CLASSIFY_TIMEOUT_MS },
        message,
        AbortSignal.timeout(MODEL_CLASSIFY_TIMEOUT_MS + 500),
      );
      return { ...withScores(result.intent, result.confidence), classifier: `anthropic:${result.model}` };
    } catch (err) {
      this.logger.warn({ run_id: runId, err }, 'model classification failed; using the local classifier');
      return null;
    }
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The model gives one confidence; the rest of the mass is spread over the other intents. */
function withScores(intent: Intent, confidence: number): IntentClassification {
  const rest = (1 - confidence) / (INTENTS.length - 1);
  const scores = Object.fromEntries(INTENTS.map((i) => [i, i === intent ? confidence : rest])) as Record<Intent, number>;
  return { intent, confidence, scores };
}
