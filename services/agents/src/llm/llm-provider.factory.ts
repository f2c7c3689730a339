import { AnthropicProvider, OfflineProvider, parsePriceTableEnv, type LlmProvider } from '@koda/llm';
import type { KodaConfig, Logger } from '@koda/platform';
import { meteredLlmProvider } from './metered-llm-provider';

export const LLM_PROVIDER = Symbol('LLM_PROVIDER');

/** `anthropic` when a key is configured, else the embedded `offline` model; metered either way. */
export function createLlmProvider(config: KodaConfig, logger: Logger): LlmProvider {
  return meteredLlmProvider(createBareProvider(config, logger));
}

function createBareProvider(config: KodaConfig, logger: Logger): LlmProvider {
  if (!config.ANTHROPIC_API_KEY) return new OfflineProvider({ tokenDelayMs: config.KODA_OFFLINE_TOKEN_DELAY_MS });
  return new AnthropicProvider({
    apiKey: config.ANTHROPIC_API_KEY,
    baseURL: config.ANTHROPIC_BASE_URL,
    models: { plume: config.KODA_MODEL_PLUME, mimir: config.KODA_MODEL_MIMIR, router: config.KODA_MODEL_ROUTER },
    priceTable: parsePriceTableEnv(config.KODA_PRICE_TABLE),
    idleTimeoutMs: config.KODA_LLM_IDLE_TIMEOUT_MS,
    retry: { maxAttempts: config.KODA_LLM_RETRY_ATTEMPTS, baseDelayMs: config.KODA_LLM_RETRY_BASE_MS },
    logger: logger.child({ component: 'anthropic' }),
  });
}
