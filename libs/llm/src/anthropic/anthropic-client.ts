import Anthropic from '@anthropic-ai/sdk';

/** Structured logger (pino-compatible), optional: the library logs nothing without one. */
export interface LlmLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** How to reach the Messages API. The config loader fills it from the environment. */
export interface AnthropicClientOptions {
  /** `ANTHROPIC_API_KEY`. Required: this provider is only built when a key is configured. */
  apiKey: string;
  /** `ANTHROPIC_BASE_URL`; defaults to https://api.anthropic.com. */
  baseURL?: string;
  logger?: LlmLogger;
}

export const DEFAULT_BASE_URL = 'https://api.anthropic.com';

/**
 * An SDK client that reads nothing from the environment (everything comes from `options`) and
 * never retries on its own: `retry.ts` owns retries (see why there).
 */
export function createAnthropicClient(options: AnthropicClientOptions): Anthropic {
  if (!options.apiKey) throw new Error('ANTHROPIC_API_KEY is empty: the anthropic provider needs a key');
  return new Anthropic({
    apiKey: options.apiKey,
    // Explicit, so the SDK neither reads ANTHROPIC_BASE_URL itself nor lets a profile override it.
    baseURL: options.baseURL || DEFAULT_BASE_URL,
    maxRetries: 0,
    ...(options.logger && { logger: sdkLogger(options.logger) }),
  });
}

/** The SDK logs `(message, ...details)`; ours takes `(object, message)`. */
function sdkLogger(logger: LlmLogger) {
  const wrap =
    (fn: (obj: object, msg?: string) => void) =>
    (message: string, ...rest: unknown[]) =>
      fn.call(logger, { component: 'anthropic-sdk', ...(rest.length > 0 && { details: rest }) }, message);
  return {
    error: wrap(logger.error),
    warn: wrap(logger.warn),
    info: wrap(logger.info),
    debug: () => undefined,
  };
}
