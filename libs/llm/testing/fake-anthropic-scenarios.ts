/**
 * What the fake Messages API answers to one request: scripted scenarios and their builders.
 * See `fake-anthropic-server.ts` for how they are queued.
 */

/** Plain text, streamed as `text_delta`s (or one JSON message when the request has no `stream`). */
export interface TextScenario {
  kind: 'text';
  text: string;
  /** The deltas, in order; default: the text cut after each run of whitespace (word by word). */
  chunks?: string[];
  /** Pause before each delta, in ms. Default: the server's `delayMs` (0 unless set). */
  delayMs?: number;
  /** Reported usage; default: an estimate (4 characters a token). */
  inputTokens?: number;
  outputTokens?: number;
  /** Default `end_turn`. */
  stopReason?: 'end_turn' | 'max_tokens' | 'stop_sequence' | 'refusal';
  /** Open with a `thinking` block (empty text, as current models send by default), as Haiku 5.5 may. */
  thinkingFirst?: boolean;
}

/** A `tool_use` block for `name` with `input` (streamed as `input_json_delta`s when asked to stream). */
export interface ToolUseScenario {
  kind: 'tool_use';
  name: string;
  input: unknown;
  inputTokens?: number;
  outputTokens?: number;
  /** Further `tool_use` blocks in the same turn (the model may call several tools at once). */
  more?: { name: string; input: unknown }[];
  /** A text block before the calls ("Let me search your notes…"), streamed as `text_delta`s. */
  text?: string;
}

/** An HTTP error with the API's JSON error body: `{type:'error', error:{type, message, details?}}`. */
export interface HttpErrorScenario {
  kind: 'http_error';
  status: number;
  /** The API's error type, e.g. `overloaded_error`, `rate_limit_error`, `invalid_request_error`. */
  errorType: string;
  message: string;
  /** `error.details.error_code`, e.g. `enforced_spend_limit_reached`. */
  errorCode?: string;
  /** Extra response headers, e.g. `{ 'retry-after': '1' }`. */
  headers?: Record<string, string>;
}

/** HTTP 200, some text deltas, then an SSE `event: error` (e.g. `overloaded_error`) and the end. */
export interface StreamErrorScenario {
  kind: 'stream_error';
  text: string;
  afterDeltas: number;
  errorType: string;
  message: string;
  delayMs?: number;
}

/** HTTP 200, some text deltas, then silence: the connection stays open until the client leaves. */
export interface StallScenario {
  kind: 'stall';
  text: string;
  afterDeltas: number;
  delayMs?: number;
}

/** HTTP 200, some text deltas, then the response ends without `message_stop` (a cut stream). */
export interface CutScenario {
  kind: 'cut';
  text: string;
  afterDeltas: number;
  delayMs?: number;
}

/** The socket is destroyed without any response (a connection error for the client). */
export interface DisconnectScenario {
  kind: 'disconnect';
}

export type FakeScenario = TextScenario | ToolUseScenario | HttpErrorScenario | StreamErrorScenario | StallScenario | CutScenario | DisconnectScenario;

/** Builders for the common cases, with the API's real error types and messages. */
export const scenarios = {
  text: (text: string, options: Omit<TextScenario, 'kind' | 'text'> = {}): TextScenario => ({
    kind: 'text',
    text,
    ...options,
  }),
  toolUse: (name: string, input: unknown): ToolUseScenario => ({ kind: 'tool_use', name, input }),
  /** A scripted tool-use turn: one or more calls, optionally after some text (`stop_reason: tool_use`). */
  toolCalls: (calls: { name: string; input: unknown }[], options: { text?: string; outputTokens?: number } = {}): ToolUseScenario => ({
    kind: 'tool_use',
    name: calls[0].name,
    input: calls[0].input,
    more: calls.slice(1),
    ...options,
  }),
  /** 529, what the API answers when it is overloaded. */
  overloaded: (): HttpErrorScenario => httpError(529, 'overloaded_error', 'Overloaded'),
  /** 429 with `retry-after` in seconds (as the API sends it). */
  rateLimited: (retryAfterSeconds?: number): HttpErrorScenario => ({
    ...httpError(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'),
    ...(retryAfterSeconds !== undefined && { headers: { 'retry-after': String(retryAfterSeconds) } }),
  }),
  /** 429 that waiting does not fix: the organisation's spend limit. */
  spendLimit: (): HttpErrorScenario => ({
    ...httpError(429, 'rate_limit_error', 'You have reached your specified API usage limits.'),
    errorCode: 'enforced_spend_limit_reached',
  }),
  invalidRequest: (message = 'messages: Field required'): HttpErrorScenario => httpError(400, 'invalid_request_error', message),
  authError: (): HttpErrorScenario => httpError(401, 'authentication_error', 'invalid x-api-key'),
  serverError: (): HttpErrorScenario => httpError(500, 'api_error', 'Internal server error'),
  streamError: (options: { text?: string; afterDeltas?: number; errorType?: string; message?: string; delayMs?: number } = {}): StreamErrorScenario => ({
    kind: 'stream_error',
    text: options.text ?? 'Voici le début de la réponse qui sera interrompue',
    afterDeltas: options.afterDeltas ?? 3,
    errorType: options.errorType ?? 'overloaded_error',
    message: options.message ?? 'Overloaded',
    ...(options.delayMs !== undefined && { delayMs: options.delayMs }),
  }),
  stall: (options: { text?: string; afterDeltas?: number; delayMs?: number } = {}): StallScenario => ({
    kind: 'stall',
    text: options.text ?? 'Voici le début de la réponse puis plus rien',
    afterDeltas: options.afterDeltas ?? 2,
    ...(options.delayMs !== undefined && { delayMs: options.delayMs }),
  }),
  cut: (options: { text?: string; afterDeltas?: number } = {}): CutScenario => ({
    kind: 'cut',
    text: options.text ?? 'Voici le début de la réponse puis la fin du flux',
    afterDeltas: options.afterDeltas ?? 2,
  }),
  disconnect: (): DisconnectScenario => ({ kind: 'disconnect' }),
};

function httpError(status: number, errorType: string, message: string): HttpErrorScenario {
  return { kind: 'http_error', status, errorType, message };
}

/** The text deltas a scenario streams. */
export function chunksOf(text: string, chunks?: string[]): string[] {
  return chunks ?? text.match(/\S+\s*|\s+/g) ?? [];
}

/** The API bills roughly a token per 4 characters of English; close enough for a fake. */
export const estimateTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));
