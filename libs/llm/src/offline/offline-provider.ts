import type { LlmProvider, LlmRequest, LlmResult } from '../provider';
import { composeAnswer } from './compose-answer';
import { estimateUsage, truncateToTokens } from './token-count';
import { abortError, streamTokens } from './token-stream';

export const OFFLINE_MODEL = 'koda-offline-1';

export interface OfflineProviderOptions {
  /** Pause between streamed tokens (`KODA_OFFLINE_TOKEN_DELAY_MS`); 0 streams as fast as possible. */
  tokenDelayMs: number;
}

/**
 * The embedded model used when no API key is set: deterministic, no network. It builds a useful
 * answer from the structured task (extractive summaries, cited notes, persona turns), then
 * streams it word by word like a real model would.
 */
export class OfflineProvider implements LlmProvider {
  readonly name = 'offline' as const;
  private readonly tokenDelayMs: number;

  constructor(options: OfflineProviderOptions = { tokenDelayMs: 0 }) {
    this.tokenDelayMs = Math.max(0, options.tokenDelayMs);
  }

  async complete(request: LlmRequest): Promise<LlmResult> {
    if (request.signal.aborted) throw abortError(request.signal, false);
    const text = truncateToTokens(composeAnswer(request.task), request.maxTokens);
    await streamTokens(text, (delta) => request.onText(delta), request.signal, this.tokenDelayMs);
    return {
      text,
      usage: estimateUsage(request.system, request.messages, text),
      cost_eur: 0,
      model: OFFLINE_MODEL,
      provider: 'offline',
    };
  }
}
