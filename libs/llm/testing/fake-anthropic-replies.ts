import type { ServerResponse } from 'node:http';
import {
  chunksOf,
  type CutScenario,
  estimateTokens,
  type HttpErrorScenario,
  type StallScenario,
  type StreamErrorScenario,
  type TextScenario,
  type ToolUseScenario,
} from './fake-anthropic-scenarios';

/** How the fake Messages API answers: JSON errors and messages, and SSE streams. */

export interface ReplyContext {
  res: ServerResponse;
  id: string;
  model: string;
  inputTokens: number;
  delayMs: number;
}

export function sendHttpError(res: ServerResponse, s: HttpErrorScenario): void {
  const error = { type: s.errorType, message: s.message, ...(s.errorCode && { details: { error_code: s.errorCode } }) };
  const body = JSON.stringify({ type: 'error', error, request_id: `req_fake_${Date.now()}` });
  res.writeHead(s.status, { 'content-type': 'application/json', ...s.headers });
  res.end(body);
}

function sse(res: ServerResponse, event: string, data: object): void {
  if (!res.destroyed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function usage(input: number, output: number) {
  return {
    input_tokens: input,
    output_tokens: output,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: null,
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: 'standard',
    speed: null,
  };
}

function message(ctx: ReplyContext, content: unknown[], stopReason: string | null, input: number, output: number) {
  return {
    id: ctx.id,
    type: 'message',
    role: 'assistant',
    model: ctx.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: usage(input, output),
  };
}

function openStream(ctx: ReplyContext, input: number): void {
  ctx.res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': `req_${ctx.id}` });
  // Like the real API: usage.output_tokens is 1 at the start, final in `message_delta`.
  sse(ctx.res, 'message_start', { type: 'message_start', message: message(ctx, [], null, input, 1) });
}

function closeStream(ctx: ReplyContext, stopReason: string, input: number, output: number): void {
  sse(ctx.res, 'message_delta', {
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: null, stop_details: null, container: null },
    // Cumulative counts, as the API sends them (MessageDeltaUsage).
    usage: {
      input_tokens: input,
      output_tokens: output,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens_details: null,
      server_tool_use: null,
    },
  });
  sse(ctx.res, 'message_stop', { type: 'message_stop' });
  ctx.res.end();
}

const pause = (ms: number) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

/** Streams text (or a stream error, a stall or a cut stream: text cut short). */
export async function streamText(ctx: ReplyContext, s: TextScenario | StreamErrorScenario | StallScenario | CutScenario): Promise<void> {
  const input = (s.kind === 'text' && s.inputTokens) || ctx.inputTokens;
  const chunks = chunksOf(s.text, s.kind === 'text' ? s.chunks : undefined);
  const limit = s.kind === 'text' ? chunks.length : Math.min(s.afterDeltas, chunks.length);
  openStream(ctx, input);
  const index = s.kind === 'text' && s.thinkingFirst ? writeThinkingBlock(ctx) : 0;
  sse(ctx.res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '', citations: null } });
  sse(ctx.res, 'ping', { type: 'ping' });
  for (const text of chunks.slice(0, limit)) {
    await pause(s.delayMs ?? ctx.delayMs);
    if (ctx.res.destroyed) return;
    sse(ctx.res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
  }
  if (s.kind === 'stall') return; // silence, until the client gives up or the server stops
  if (s.kind === 'cut') return void ctx.res.end();
  if (s.kind === 'stream_error') {
    sse(ctx.res, 'error', { type: 'error', error: { type: s.errorType, message: s.message } });
    ctx.res.end();
    return;
  }
  sse(ctx.res, 'content_block_stop', { type: 'content_block_stop', index });
  closeStream(ctx, s.stopReason ?? 'end_turn', input, s.outputTokens ?? estimateTokens(s.text));
}

/** An empty thinking block (current models omit the thinking text by default); returns the next index. */
function writeThinkingBlock(ctx: ReplyContext): number {
  sse(ctx.res, 'content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } });
  sse(ctx.res, 'content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'fake-signature' } });
  sse(ctx.res, 'content_block_stop', { type: 'content_block_stop', index: 0 });
  return 1;
}

function toolUseBlock(ctx: ReplyContext, s: ToolUseScenario, input: unknown, index = 0, name = s.name) {
  return { type: 'tool_use', id: `toolu_${ctx.id}${index > 0 ? `_${index}` : ''}`, name, input, caller: { type: 'direct' } };
}

/** Every call of a tool-use turn, in order. */
function callsOf(s: ToolUseScenario): { name: string; input: unknown }[] {
  return [{ name: s.name, input: s.input }, ...(s.more ?? [])];
}

export async function streamToolUse(ctx: ReplyContext, s: ToolUseScenario): Promise<void> {
  const input = s.inputTokens ?? ctx.inputTokens;
  openStream(ctx, input);
  let index = 0;
  if (s.text) {
    sse(ctx.res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '', citations: null } });
    for (const text of chunksOf(s.text)) sse(ctx.res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
    sse(ctx.res, 'content_block_stop', { type: 'content_block_stop', index });
    index += 1;
  }
  let output = 0;
  for (const [i, call] of callsOf(s).entries()) {
    sse(ctx.res, 'content_block_start', { type: 'content_block_start', index, content_block: toolUseBlock(ctx, s, {}, i, call.name) });
    await pause(ctx.delayMs);
    const json = JSON.stringify(call.input);
    output += estimateTokens(json);
    sse(ctx.res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json } });
    sse(ctx.res, 'content_block_stop', { type: 'content_block_stop', index });
    index += 1;
  }
  closeStream(ctx, 'tool_use', input, s.outputTokens ?? output);
}

function sendJson(ctx: ReplyContext, body: object): void {
  ctx.res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_${ctx.id}` });
  ctx.res.end(JSON.stringify(body));
}

export function sendTextJson(ctx: ReplyContext, s: TextScenario): void {
  const content = [{ type: 'text', text: s.text, citations: null }];
  const input = s.inputTokens ?? ctx.inputTokens;
  sendJson(ctx, message(ctx, content, s.stopReason ?? 'end_turn', input, s.outputTokens ?? estimateTokens(s.text)));
}

export function sendToolUseJson(ctx: ReplyContext, s: ToolUseScenario): void {
  const calls = callsOf(s);
  const output = s.outputTokens ?? calls.reduce((sum, c) => sum + estimateTokens(JSON.stringify(c.input)), 0);
  const content = [...(s.text ? [{ type: 'text', text: s.text, citations: null }] : []), ...calls.map((c, i) => toolUseBlock(ctx, s, c.input, i, c.name))];
  sendJson(ctx, message(ctx, content, 'tool_use', s.inputTokens ?? ctx.inputTokens, output));
}
