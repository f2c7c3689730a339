import { Inject, Injectable } from '@nestjs/common';
import { explicitRouting, INTENTS, type ChatMode, type Intent, type RoutingDecision } from '@koda/contracts';
import { IntentClassifier, routeIntent, type IntentClassification } from '@koda/intent';
import { classifyWithAnthropic, costEur, DEFAULT_MODELS, findModelPrice, parsePriceTableEnv, type PriceTable } from '@koda/llm';
import { KODA_CONFIG, LOGGER, measureLlmCall, type KodaConfig, type Logger } from '@koda/platform';

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
  private readonly prices: PriceTable;

  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.prices = parsePriceTableEnv(config.KODA_PRICE_TABLE);
    // As the agents do: a model without a price stops the service, rather than every classification failing.
    const router = config.KODA_MODEL_ROUTER || DEFAULT_MODELS.router;
    if (config.ANTHROPIC_API_KEY && !findModelPrice(this.prices, router))
      throw new Error(`No price for the router model "${router}": add it to KODA_PRICE_TABLE`);
  }

  async decide(mode: ChatMode, message: string, runId: string): Promise<RoutingDecision> {
    const named = explicitRouting(mode);
    if (named) return named;
    const classified: IntentClassification & { classifier: string; usage?: RoutingDecision['usage'] } =
      (this.config.ANTHROPIC_API_KEY && (await this.byModel(message, runId))) || this.byLocal(message);
    const routed = routeIntent(classified);
    return {
      intent: routed.intent,
      confidence: round(routed.confidence),
      node: routed.node,
      classifier: classified.classifier,
      ...(classified.usage ? { usage: classified.usage } : {}),
    };
  }

  private byLocal(message: string) {
    return { ...this.local.classify(message), classifier: this.local.id };
  }

  /** The model's classification: an LLM call like an agent's (span, series by model and agent `router`), its cost kept for the run. */
  private async byModel(message: string, runId: string) {
    try {
      const model = this.config.KODA_MODEL_ROUTER || DEFAULT_MODELS.router;
      const result = await measureLlmCall('router', model, async () => {
        const classified = await classifyWithAnthropic(
          { apiKey: this.config.ANTHROPIC_API_KEY!, baseURL: this.config.ANTHROPIC_BASE_URL, model, timeoutMs: MODEL_CLASSIFY_TIMEOUT_MS },
          message,
          AbortSignal.timeout(MODEL_CLASSIFY_TIMEOUT_MS + 500),
        );
        return { ...classified, cost_eur: costEur(this.prices, classified.model, classified.usage) };
      });
      const usage = { model: result.model, input_tokens: result.usage.input_tokens, output_tokens: result.usage.output_tokens, cost_eur: result.cost_eur };
      return { ...withScores(result.intent, result.confidence), classifier: `anthropic:${result.model}`, usage };
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
