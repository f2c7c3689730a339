import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { LlmError, type LlmMessage, type LlmProvider, type LlmRequest, type LlmResult } from '../provider';
import { type AnthropicClientOptions, createAnthropicClient } from './anthropic-client';
import { abortError, classifyRequestError, type RequestFailure, streamError } from './anthropic-errors';
import { applyEvent, CallbackError, IdleWatchdog, newStreamState, type StreamState } from './anthropic-stream';
import { type AgentModels, costEur, DEFAULT_MODELS, DEFAULT_PRICE_TABLE, findModelPrice, type PriceTable } from './price-table';
import { backoffDelayMs, resolveRetry, type ResolvedRetryOptions, type RetryOptions, sleep } from './retry';
import { AssistantBlocks } from './tool-blocks';
import { DEFAULT_MAX_TOOL_ROUNDS, DEFAULT_MAX_TOTAL_OUTPUT_TOKENS, type ToolLoopRequest, type ToolLoopResult, type ToolUseProvider } from './tool-use';

export interface AnthropicProviderOptions extends AnthropicClientOptions {
  /** Model per agent (`KODA_MODEL_PLUME`, `KODA_MODEL_MIMIR`); unset ones use `DEFAULT_MODELS`. */
  models?: Partial<AgentModels>;
  /** From `parsePriceTableEnv(KODA_PRICE_TABLE)`; defaults to `DEFAULT_PRICE_TABLE`. */
  priceTable?: PriceTable;
  /** `max_tokens` when the request names none. Default 2000. */
  maxTokens?: number;
  /** Give up on a stream (or a response) that sends nothing for this long. Default 30000 ms. */
  idleTimeoutMs?: number;
  retry?: RetryOptions;
}

export const DEFAULT_MAX_TOKENS = 2000;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

type Attempt = { ok: true; state: StreamState; blocks: AssistantBlocks } | { ok: false; failure: RequestFailure };

/**
 * The `anthropic` provider: streams an answer from the Messages API through `@anthropic-ai/sdk`.
 *
 * Sampling: `request.temperature` is not sent. The SDK (1.x) speaks API version 2026-10-21, which
 * rejects `temperature`, `top_p` and `top_k` with a 400 even at their default values, and the
 * current models (Sonnet 5.x, Haiku 5.5) reject non-default ones on any version.
 *
 * Failures before the stream starts (429, 529, 5xx, connection errors) are retried here, with
 * backoff (see `retry.ts`); failures after it started surface as retryable `LlmError`s so the
 * caller can start the node over and tell clients to drop the earlier tokens.
 */
export class AnthropicProvider implements LlmProvider, ToolUseProvider {
  readonly name = 'anthropic' as const;
  private readonly client: Anthropic;
  private readonly models: AgentModels;
  private readonly priceTable: PriceTable;
  private readonly maxTokens: number;
  private readonly idleTimeoutMs: number;
  private readonly retry: ResolvedRetryOptions;

  constructor(options: AnthropicProviderOptions) {
    this.client = createAnthropicClient(options);
    this.models = { ...DEFAULT_MODELS, ...definedOnly(options.models) };
    this.priceTable = options.priceTable ?? DEFAULT_PRICE_TABLE;
    this.maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.retry = resolveRetry(options.retry);
    assertPriced(this.models, this.priceTable);
  }

  /** The model an agent's requests go to. */
  modelFor(agent: LlmRequest['agent']): string {
    return this.models[agent];
  }

  async complete(request: LlmRequest): Promise<LlmResult> {
    assertAnswerable(request.messages);
    const model = this.models[request.agent];
    const { state, retries } = await this.send(this.buildParams(request, model), request);
    return { ...this.toResult(state, model), retries };
  }

  /**
   * Tool use: the model may call `request.tools` (each call run by `request.runTool`, its
   * result sent back) for up to `maxToolRounds` turns or until `maxTotalOutputTokens` output
   * tokens were spent, then must answer with tools off. Text of every turn streams to
   * `onText`; the result's text is all of it. Usage and cost add up over the turns.
   */
  async completeWithTools(request: ToolLoopRequest): Promise<ToolLoopResult> {
    assertAnswerable(request.messages);
    const model = this.models[request.agent];
    const maxRounds = request.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS;
    const budget = request.maxTotalOutputTokens ?? DEFAULT_MAX_TOTAL_OUTPUT_TOKENS;
    const messages: MessageParam[] = request.messages.map(toMessageParam);
    const usage = { input_tokens: 0, output_tokens: 0 };
    let text = '';
    let toolCalls = 0;
    let retries = 0;
    for (let round = 1; ; round++) {
      const mustAnswer = round > maxRounds || usage.output_tokens >= budget;
      const params: MessageCreateParamsStreaming = {
        ...this.buildParams(request, model),
        messages: [...messages],
        tools: request.tools,
        tool_choice: mustAnswer ? { type: 'none' } : { type: 'auto' },
      };
      const sent = await this.send(params, request);
      const { state, blocks } = sent;
      retries += sent.retries;
      usage.input_tokens += state.usage.input_tokens;
      usage.output_tokens += state.usage.output_tokens;
      text += state.text;
      const calls = blocks.toolCalls();
      if (mustAnswer || state.stopReason !== 'tool_use' || calls.length === 0) {
        const result = this.toResult({ ...state, text, usage }, model);
        return { ...result, rounds: round, toolCalls, retries };
      }
      toolCalls += calls.length;
      messages.push({ role: 'assistant', content: blocks.content() });
      const results = [];
      for (const call of calls) {
        results.push({ type: 'tool_result' as const, tool_use_id: call.id, content: await request.runTool(call.name, call.input) });
      }
      messages.push({ role: 'user', content: results });
    }
  }

  /** One model turn, retried on transient failures before its stream starts (`retries`: how many times). */
  private async send(params: MessageCreateParamsStreaming, request: LlmRequest): Promise<{ state: StreamState; blocks: AssistantBlocks; retries: number }> {
    for (let attempt = 1; ; attempt++) {
      if (request.signal.aborted) throw abortError(request.signal, false);
      const outcome = await this.attempt(params, request);
      if (outcome.ok) return { state: outcome.state, blocks: outcome.blocks, retries: attempt - 1 };
      await this.waitBeforeRetry(outcome.failure, attempt, request.signal);
    }
  }

  private buildParams(request: LlmRequest, model: string): MessageCreateParamsStreaming {
    return {
      model,
      max_tokens: request.maxTokens ?? this.maxTokens,
      messages: request.messages.map(toMessageParam),
      ...(request.system && { system: request.system }),
      stream: true,
    };
  }

  /** One HTTP request and its stream. Request-phase failures come back for the retry loop. */
  private async attempt(params: MessageCreateParamsStreaming, request: LlmRequest): Promise<Attempt> {
    const idle = new IdleWatchdog(this.idleTimeoutMs);
    const signal = AbortSignal.any([request.signal, idle.signal]);
    const state = newStreamState();
    const blocks = new AssistantBlocks();
    try {
      const stream = await this.client.messages.create(params, { signal }).catch((err: unknown) => {
        throw new RequestPhase(err);
      });
      for await (const event of stream) {
        idle.touch();
        applyEvent(state, event, request.onText);
        blocks.apply(event);
      }
    } catch (err) {
      if (err instanceof RequestPhase && !signal.aborted) return { ok: false, failure: classifyRequestError(err.cause) };
      throw this.failure(err, request.signal, idle, state);
    } finally {
      idle.stop();
    }
    // The SDK ends the iteration quietly (no throw) when the signal aborts mid-stream.
    if (!state.complete) throw this.failure(undefined, request.signal, idle, state);
    return { ok: true, state, blocks };
  }

  /** Why an attempt ended without a complete answer, most specific cause first. */
  private failure(err: unknown, signal: AbortSignal, idle: IdleWatchdog, state: StreamState): unknown {
    if (err instanceof CallbackError) return err.cause;
    if (signal.aborted) return abortError(signal, state.outputStarted);
    if (idle.fired) {
      const seconds = Math.round(this.idleTimeoutMs / 100) / 10;
      return new LlmError('timeout', `The Anthropic API sent nothing for ${seconds} s`, true, state.outputStarted);
    }
    if (err !== undefined) return streamError(err instanceof RequestPhase ? err.cause : err, state.outputStarted);
    return new LlmError('llm_error', 'The Anthropic API stream ended before the answer was complete', true, state.outputStarted);
  }

  /** Waits before the next attempt, or throws the final error when retrying is pointless. */
  private async waitBeforeRetry(failure: RequestFailure, attempt: number, signal: AbortSignal): Promise<void> {
    if (!failure.transient || attempt >= this.retry.maxAttempts) throw failure.toError(attempt);
    const asked = failure.retryAfterMs;
    if (asked !== undefined && asked > this.retry.maxRetryAfterMs) {
      throw failure.toError(attempt, ` — it asks to wait ${Math.ceil(asked / 1000)} s, longer than we wait`);
    }
    const delay = asked ?? backoffDelayMs(attempt, this.retry);
    await sleep(delay, signal).catch(() => {
      throw abortError(signal, false);
    });
  }

  private toResult(state: StreamState, model: string): LlmResult {
    if (state.stopReason === 'refusal' && state.text === '') {
      throw new LlmError('llm_error', 'Claude declined to answer this request', false, false);
    }
    return {
      text: state.text,
      usage: state.usage,
      cost_eur: costEur(this.priceTable, model, state.usage),
      model,
      provider: 'anthropic',
    };
  }
}

/** Wraps an error thrown before the stream started, to tell it apart from one while reading. */
class RequestPhase {
  constructor(readonly cause: unknown) {}
}

function toMessageParam(message: LlmMessage): MessageParam {
  return message.role === 'user' ? { role: 'user', content: message.content } : { role: 'assistant', content: message.content };
}

/**
 * Current models reject a conversation that ends on an assistant turn (prefill) with a 400: fail
 * here, with a message that says why, instead of spending a round trip.
 */
function assertAnswerable(messages: LlmMessage[]): void {
  const last = messages[messages.length - 1];
  if (!last) throw new LlmError('llm_invalid_request', 'There is no message to answer', false);
  if (last.role !== 'user') {
    throw new LlmError('llm_invalid_request', 'The conversation must end with a user message (current Claude models refuse assistant prefill)', false);
  }
}

/** Fails at start-up, not on the first paid call, when a configured model has no price. */
function assertPriced(models: AgentModels, table: PriceTable): void {
  for (const [agent, model] of Object.entries(models)) {
    if (!findModelPrice(table, model)) {
      throw new Error(`No price for the ${agent} model "${model}": add it to KODA_PRICE_TABLE`);
    }
  }
}

function definedOnly<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}
