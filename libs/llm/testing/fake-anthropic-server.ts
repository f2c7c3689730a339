import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { estimateTokens, type FakeScenario, type HttpErrorScenario, scenarios } from './fake-anthropic-scenarios';
import { type ReplyContext, sendHttpError, sendTextJson, sendToolUseJson, streamText, streamToolUse } from './fake-anthropic-replies';
import { readBody, record, type RecordedRequest, strictRejection } from './fake-anthropic-requests';

export type { RecordedRequest } from './fake-anthropic-requests';

export type Responder = (request: RecordedRequest) => FakeScenario;

export interface FakeAnthropicServerOptions {
  /** Pause before each text delta when a scenario sets none. Default 0. */
  delayMs?: number;
  /** Reject what the real API rejects (see the class comment). Default true. */
  strict?: boolean;
  /** Answers requests when the queue is empty. Default `echoResponder`. */
  defaultResponder?: Responder | FakeScenario;
}

/**
 * A local HTTP server speaking the Anthropic Messages API (`POST /v1/messages`), streaming (SSE,
 * the event sequence of Anthropic's streaming reference) or not, so tests run the real
 * `@anthropic-ai/sdk` with no key and no network.
 *
 * ```ts
 * const fake = new FakeAnthropicServer();
 * const baseURL = await fake.start();            // e.g. http://127.0.0.1:40123
 * // point KODA at it: ANTHROPIC_BASE_URL=baseURL, ANTHROPIC_API_KEY=anything
 * fake.enqueue(scenarios.overloaded(), scenarios.text('Bonjour !'));  // one scenario per request
 * ...
 * expect(fake.requests[1].model).toBe('claude-sonnet-5-5');
 * await fake.stop();
 * ```
 *
 * Requests take the queued scenarios in order; once the queue is empty the default responder
 * answers (by default `echoResponder`: "Echo: <last user message>", or a `tool_use` for a forced
 * tool). In strict mode (default) the server rejects, like API version 2026-10-21 does, what the
 * real API would reject — sampling parameters, a conversation ending on an assistant turn,
 * missing credentials — without consuming a scenario.
 */
export class FakeAnthropicServer {
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  private readonly queue: FakeScenario[] = [];
  private readonly events = new EventEmitter();
  private readonly responses = new Set<ServerResponse>();
  private server: Server | undefined;
  private responder: Responder;
  private url = '';
  private messageCount = 0;

  constructor(private readonly options: FakeAnthropicServerOptions = {}) {
    this.responder = toResponder(options.defaultResponder ?? echoResponder);
  }

  /** Listens on 127.0.0.1, on a free port; resolves to the base URL for `ANTHROPIC_BASE_URL`. */
  async start(): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  get baseURL(): string {
    if (!this.url) throw new Error('FakeAnthropicServer: call start() first');
    return this.url;
  }

  /** Closes the server, cutting any response still open (stalled streams included). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const res of this.responses) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Queues scenarios, one per request, in order. */
  enqueue(...next: FakeScenario[]): this {
    this.queue.push(...next);
    return this;
  }

  /** Answers with this (scenario or function) whenever the queue is empty. */
  setDefault(responder: Responder | FakeScenario): this {
    this.responder = toResponder(responder);
    return this;
  }

  /** Forgets queued scenarios, recorded requests and a custom default responder. */
  reset(): void {
    this.queue.length = 0;
    this.requests.length = 0;
    this.responder = toResponder(this.options.defaultResponder ?? echoResponder);
  }

  /** Scenarios not yet consumed. */
  get pending(): number {
    return this.queue.length;
  }

  /** Resolves once `count` requests have arrived (counting those already recorded). */
  waitForRequests(count: number, timeoutMs = 5000): Promise<RecordedRequest[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.requests.length < count) return;
        cleanup();
        resolve(this.requests.slice(0, count));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`FakeAnthropicServer: ${this.requests.length}/${count} requests after ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off('request', check);
      };
      this.events.on('request', check);
      check();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.responses.add(res);
    res.on('close', () => this.responses.delete(res));
    const recorded = record(req, await readBody(req));
    // The client hung up before the answer was over: an aborted call (a cancel, an interrupt).
    res.on('close', () => {
      if (!res.writableEnded) recorded.clientAborted = true;
    });
    this.requests.push(recorded);
    this.events.emit('request');
    const rejection = this.rejection(req, recorded);
    if (rejection) {
      recorded.outcome = `rejected: ${rejection.message}`;
      return sendHttpError(res, rejection);
    }
    const scenario = this.queue.shift() ?? this.responder(recorded);
    recorded.outcome = scenario.kind;
    await this.respond(req, res, scenario, recorded).catch(() => res.destroy());
  }

  private rejection(req: IncomingMessage, recorded: RecordedRequest): HttpErrorScenario | undefined {
    if (req.method !== 'POST' || recorded.path !== '/v1/messages') {
      return { kind: 'http_error', status: 404, errorType: 'not_found_error', message: `Not found: ${req.method} ${recorded.path}` };
    }
    return this.options.strict === false ? undefined : strictRejection(recorded);
  }

  private respond(req: IncomingMessage, res: ServerResponse, scenario: FakeScenario, recorded: RecordedRequest): Promise<void> {
    const ctx: ReplyContext = {
      res,
      id: `msg_fake_${++this.messageCount}`,
      model: recorded.model ?? 'claude-unknown',
      inputTokens: estimateTokens(JSON.stringify([recorded.system ?? '', recorded.messages])),
      delayMs: this.options.delayMs ?? 0,
    };
    switch (scenario.kind) {
      case 'disconnect':
        req.socket.destroy();
        return Promise.resolve();
      case 'http_error':
        sendHttpError(res, scenario);
        return Promise.resolve();
      case 'tool_use':
        return recorded.stream ? streamToolUse(ctx, scenario) : Promise.resolve(sendToolUseJson(ctx, scenario));
      case 'text':
        return recorded.stream ? streamText(ctx, scenario) : Promise.resolve(sendTextJson(ctx, scenario));
      default:
        return streamText(ctx, scenario);
    }
  }
}

/** The default answer: the last user message echoed, or a plausible input for a forced tool. */
export const echoResponder: Responder = (request) => {
  const forced = request.tool_choice as { type?: string; name?: string } | undefined;
  const text = lastUserText(request);
  if (forced?.type === 'tool' && forced.name) return scenarios.toolUse(forced.name, defaultToolInput(forced.name, text));
  return scenarios.text(`Echo: ${text}`);
};

/** For `classify_intent`, a keyword guess so end-to-end tests of auto mode route sensibly. */
function defaultToolInput(name: string, text: string): unknown {
  if (name !== 'classify_intent') return {};
  if (/(débat|discut|compar|pour et contre|avantages|inconvénients|avis|debate|discuss)/i.test(text)) {
    return { intent: 'discussion', confidence: 0.8 };
  }
  if (/(cherche|trouve|retrouve|mes notes|qu'ai-je|search|find|notes?\b)/i.test(text)) {
    return { intent: 'recherche', confidence: 0.8 };
  }
  return { intent: 'restitution', confidence: 0.6 };
}

/** The `tool_result` blocks of the request's last user turn: what the client sent back for its tool calls. */
export function lastToolResults(request: RecordedRequest): { tool_use_id: string; content: unknown }[] {
  const last = [...request.messages].reverse().find((m) => m.role === 'user');
  if (!last || !Array.isArray(last.content)) return [];
  return (last.content as { type?: string; tool_use_id?: string; content?: unknown }[])
    .filter((b) => b.type === 'tool_result')
    .map((b) => ({ tool_use_id: String(b.tool_use_id), content: b.content }));
}

export function lastUserText(request: RecordedRequest): string {
  const last = [...request.messages].reverse().find((m) => m.role === 'user');
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  if (!Array.isArray(last.content)) return '';
  return last.content.map((b: { type?: string; text?: string }) => (b.type === 'text' ? (b.text ?? '') : '')).join('');
}

function toResponder(responder: Responder | FakeScenario): Responder {
  return typeof responder === 'function' ? responder : () => responder;
}
