import type { IncomingMessage } from 'node:http';
import type { HttpErrorScenario } from './fake-anthropic-scenarios';

/** What the fake Messages API received, and the checks the real API makes on it. */

export interface RecordedRequest {
  method: string;
  path: string;
  /** `Date.now()` on arrival, to measure backoff between attempts. */
  receivedAt: number;
  /** The parsed JSON body (empty object when it was not JSON). */
  body: Record<string, unknown>;
  model?: string;
  system?: unknown;
  messages: Array<{ role: string; content: unknown }>;
  temperature?: unknown;
  max_tokens?: unknown;
  stream: boolean;
  tools?: unknown;
  tool_choice?: unknown;
  thinking?: unknown;
  headers: {
    /** An `Authorization: Bearer …` or `x-api-key` header was sent (its value is not kept). */
    hasCredentials: boolean;
    anthropicVersion?: string;
    /** `x-stainless-retry-count`: non-zero means the SDK retried on its own. */
    sdkRetryCount?: string;
  };
  /** How the server answered: the scenario's kind, or `rejected: <reason>` in strict mode. */
  outcome?: string;
  /** The connection closed before the answer was over (the client aborted the call, or a `disconnect` scenario). */
  clientAborted?: boolean;
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

export function record(req: IncomingMessage, raw: string): RecordedRequest {
  const body = parseObject(raw);
  const header = (name: string) => (req.headers[name] as string | undefined) ?? undefined;
  return {
    method: req.method ?? 'GET',
    path: (req.url ?? '/').split('?')[0],
    receivedAt: Date.now(),
    body,
    model: typeof body.model === 'string' ? body.model : undefined,
    system: body.system,
    messages: Array.isArray(body.messages) ? (body.messages as RecordedRequest['messages']) : [],
    temperature: body.temperature,
    max_tokens: body.max_tokens,
    stream: body.stream === true,
    tools: body.tools,
    tool_choice: body.tool_choice,
    thinking: body.thinking,
    headers: {
      hasCredentials: /^Bearer \S+/.test(header('authorization') ?? '') || !!header('x-api-key'),
      anthropicVersion: header('anthropic-version'),
      sdkRetryCount: header('x-stainless-retry-count'),
    },
  };
}

function parseObject(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** What API version 2026-10-21 and current models refuse, with the API's wording. */
export function strictRejection(r: RecordedRequest): HttpErrorScenario | undefined {
  const invalid = (message: string): HttpErrorScenario => ({ kind: 'http_error', status: 400, errorType: 'invalid_request_error', message });
  if (!r.headers.hasCredentials) {
    return { kind: 'http_error', status: 401, errorType: 'authentication_error', message: 'x-api-key header is required' };
  }
  if (!r.model) return invalid('model: Field required');
  if (!Number.isInteger(r.max_tokens) || (r.max_tokens as number) < 1) return invalid('max_tokens: Field required');
  if (r.messages.length === 0) return invalid('messages: at least one message is required');
  for (const param of ['temperature', 'top_p', 'top_k']) {
    if (param in r.body) return invalid(`${param}: Extra inputs are not permitted`);
  }
  if (r.messages[r.messages.length - 1].role !== 'user') {
    return invalid('This model does not support assistant message prefill. The conversation must end with a user message.');
  }
  const unanswered = unansweredToolUse(r.messages);
  if (unanswered) {
    return invalid(`messages: tool_use ids were found without tool_result blocks immediately after: ${unanswered}`);
  }
  const forced = (r.tool_choice as { type?: string } | undefined)?.type;
  const thinking = (r.thinking as { type?: string } | undefined)?.type;
  if ((forced === 'tool' || forced === 'any') && thinking !== undefined && thinking !== 'disabled') {
    return invalid('Thinking may not be enabled when tool_choice forces tool use.');
  }
  return undefined;
}

/** The first assistant `tool_use` id not answered by a `tool_result` in the very next user turn. */
function unansweredToolUse(messages: RecordedRequest['messages']): string | undefined {
  const blocks = (content: unknown) => (Array.isArray(content) ? (content as { type?: string; id?: string; tool_use_id?: string }[]) : []);
  for (let i = 0; i < messages.length; i++) {
    if (messages[i].role !== 'assistant') continue;
    const ids = blocks(messages[i].content)
      .filter((b) => b.type === 'tool_use')
      .map((b) => String(b.id));
    const next = messages[i + 1];
    const answered = new Set(
      next?.role === 'user'
        ? blocks(next.content)
            .filter((b) => b.type === 'tool_result')
            .map((b) => b.tool_use_id)
        : [],
    );
    const missing = ids.find((id) => !answered.has(id));
    if (missing) return missing;
  }
  return undefined;
}
