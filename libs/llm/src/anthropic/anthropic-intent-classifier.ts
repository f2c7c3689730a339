import type Anthropic from '@anthropic-ai/sdk';
import type { Message, MessageCreateParamsNonStreaming, Tool } from '@anthropic-ai/sdk/resources/messages';
import { INTENTS, type Intent } from '@koda/contracts';
import { z } from 'zod';
import { LlmError, type LlmUsage } from '../provider';
import { type AnthropicClientOptions, createAnthropicClient } from './anthropic-client';
import { abortError, classifyRequestError } from './anthropic-errors';
import { DEFAULT_MODELS } from './price-table';

/**
 * Intent classification (auto mode) by Claude, as structured output: the model is forced to call
 * one tool, `classify_intent`, whose input is the classification. Any failure throws an
 * `LlmError` and the caller falls back to its local classifier — so no retries here: a fast
 * local answer beats a slow remote one.
 */

export const CLASSIFY_TOOL_NAME = 'classify_intent';

export interface AnthropicClassifierOptions extends AnthropicClientOptions {
  /** Default `DEFAULT_MODELS.router` (a Haiku: cheap and fast). */
  model?: string;
  /** Whole-call budget. Default 10000 ms. */
  timeoutMs?: number;
  /** Reuse a client (and its connections) across calls; built from the options otherwise. */
  client?: Anthropic;
}

export interface AnthropicClassification {
  intent: Intent;
  confidence: number;
  model: string;
  usage: LlmUsage;
}

export const DEFAULT_CLASSIFIER_TIMEOUT_MS = 10_000;

const SYSTEM_PROMPT = [
  "You route the messages of a personal knowledge assistant's user to one of three agents.",
  '- restitution: Plume writes — restate, reformulate, summarise, translate or draft text, from the conversation so far or from text given in the message.',
  "- recherche: Mimir searches the user's notes and answers from them — questions about what the user wrote, saved, read or knows.",
  '- discussion: several agents debate in turns — open questions, comparisons, pros and cons, opinions worth weighing.',
  'Messages are often in French. Call classify_intent once, with your confidence between 0 and 1.',
].join('\n');

const CLASSIFY_TOOL: Tool = {
  name: CLASSIFY_TOOL_NAME,
  description: 'Record which agent should answer the message, and how sure you are.',
  input_schema: {
    type: 'object',
    properties: {
      intent: { type: 'string', enum: [...INTENTS], description: 'The agent the message is for.' },
      confidence: { type: 'number', minimum: 0, maximum: 1, description: 'How sure you are, 0 to 1.' },
    },
    required: ['intent', 'confidence'],
    additionalProperties: false,
  },
};

const ClassificationSchema = z.object({
  intent: z.enum(INTENTS),
  confidence: z.number().min(0).max(1),
});

export async function classifyWithAnthropic(options: AnthropicClassifierOptions, message: string, signal: AbortSignal): Promise<AnthropicClassification> {
  const model = options.model || DEFAULT_MODELS.router;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CLASSIFIER_TIMEOUT_MS;
  const client = options.client ?? createAnthropicClient(options);
  const response = await send(client, buildParams(model, message), signal, timeoutMs);
  return { ...readClassification(response), model, usage: usageOf(response) };
}

function buildParams(model: string, message: string): MessageCreateParamsNonStreaming {
  return {
    model,
    max_tokens: 256,
    system: SYSTEM_PROMPT,
    messages: [{ role: 'user', content: message }],
    tools: [CLASSIFY_TOOL],
    tool_choice: { type: 'tool', name: CLASSIFY_TOOL_NAME },
    // Forced tool use and thinking are mutually exclusive (400), and current Haikus think by default.
    thinking: { type: 'disabled' },
  };
}

async function send(client: Anthropic, params: MessageCreateParamsNonStreaming, signal: AbortSignal, timeoutMs: number): Promise<Message> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const combined = AbortSignal.any([signal, deadline]);
  try {
    // The SDK's own timeout is set past ours so that ours, with its clearer message, wins.
    return await client.messages.create(params, { signal: combined, timeout: timeoutMs + 1000 });
  } catch (err) {
    if (signal.aborted) throw abortError(signal, false);
    if (deadline.aborted) {
      throw new LlmError('timeout', `The intent classifier did not answer within ${timeoutMs / 1000} s`, true);
    }
    throw classifyRequestError(err).toError(1);
  }
}

function readClassification(response: Message): { intent: Intent; confidence: number } {
  const call = response.content.find((block) => block.type === 'tool_use' && block.name === CLASSIFY_TOOL_NAME);
  if (!call || call.type !== 'tool_use') {
    throw new LlmError('llm_error', `The intent classifier answered without calling ${CLASSIFY_TOOL_NAME}`, false);
  }
  const parsed = ClassificationSchema.safeParse(call.input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LlmError('llm_error', `The intent classifier returned an invalid ${issue.path.join('.') || 'input'}: ${issue.message}`, false);
  }
  return parsed.data;
}

function usageOf(response: Message): LlmUsage {
  const u = response.usage;
  return {
    input_tokens: u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0),
    output_tokens: u.output_tokens,
  };
}
