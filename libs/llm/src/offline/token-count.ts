import type { LlmMessage, LlmUsage } from '../provider';

/** Characters per token, the usual rule of thumb for English and French with BPE tokenizers. */
export const CHARS_PER_TOKEN = 4;
/** Tokens a chat format spends per message on role and separators. */
export const TOKENS_PER_MESSAGE = 4;

/** Approximate token count: ceil(chars / 4). Good to ±20% on prose, which is all usage needs. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Input = system prompt + every message (content + per-message framing); output = the text. */
export function estimateUsage(system: string, messages: LlmMessage[], output: string): LlmUsage {
  const input = messages.reduce((sum, m) => sum + estimateTokens(m.content) + TOKENS_PER_MESSAGE, estimateTokens(system));
  return { input_tokens: input, output_tokens: estimateTokens(output) };
}

/** Cut `text` to about `maxTokens` tokens, on a word boundary: honours `maxTokens` like a model. */
export function truncateToTokens(text: string, maxTokens: number | undefined): string {
  if (maxTokens === undefined || estimateTokens(text) <= maxTokens) return text;
  const cut = text.slice(0, Math.max(0, maxTokens * CHARS_PER_TOKEN));
  const space = cut.search(/\s\S*$/);
  return (space > 0 ? cut.slice(0, space) : cut).trimEnd();
}
