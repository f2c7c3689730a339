export * from './provider';
// anthropic provider
export { AnthropicProvider, DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_TOKENS, type AnthropicProviderOptions } from './anthropic/anthropic-provider';
export type { AnthropicClientOptions } from './anthropic/anthropic-client';
export {
  classifyWithAnthropic,
  CLASSIFY_TOOL_NAME,
  type AnthropicClassification,
  type AnthropicClassifierOptions,
} from './anthropic/anthropic-intent-classifier';
export {
  costEur,
  DEFAULT_MODELS,
  DEFAULT_PRICE_TABLE,
  findModelPrice,
  parsePriceTableEnv,
  USD_TO_EUR,
  type AgentModels,
  type ModelPrice,
  type PriceTable,
} from './anthropic/price-table';
export type { RetryOptions } from './anthropic/retry';
// offline provider
export * from './offline';
export {
  supportsTools,
  DEFAULT_MAX_TOOL_ROUNDS,
  DEFAULT_MAX_TOTAL_OUTPUT_TOKENS,
  type ToolLoopRequest,
  type ToolLoopResult,
  type ToolSpec,
  type ToolUseProvider,
} from './anthropic/tool-use';
