import type { CreateNoteDto, Note, RunResult, SessionSummary, SessionView } from '@koda/contracts';
import { DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { httpErrorOf } from './errors';
import { newIdempotencyKey } from './idempotency-key';
import { initialRunState, type RunState } from './run-state';
import { RunStream, type StreamDeps } from './run-stream';
import type { CancelResult, ChatRequest, FetchLike, RunHandle, RunHandlers, StreamOptions } from './types';
import { DEFAULT_HEARTBEAT_MS } from './wire';

export interface KodaClientOptions {
  /** The gateway's origin, e.g. `http://localhost:3000`; empty (default) for the page's own origin. */
  baseUrl?: string;
  /** Defaults to the global `fetch` (browsers, Node 18+). */
  fetch?: FetchLike;
  /** The gateway's heartbeat interval; a stream silent for twice this long is reopened. */
  heartbeatMs?: number;
  /** Overrides the idle timeout (default: twice `heartbeatMs`). */
  idleTimeoutMs?: number;
  backoff?: Partial<BackoffOptions>;
  /**
   * The bearer credential (an API key or a JWT) sent as `Authorization: Bearer …` on every
   * request, streams included (they are fetch-based, unlike EventSource). A function is asked
   * each time, so a page can swap in a key typed after a 401.
   */
  apiKey?: string | (() => string | undefined);
}

export interface JoinOptions {
  /** Resume after this event id (ignored when `state` carries one). */
  lastEventId?: string;
  /** A state kept from an earlier page: resume after its `lastEventId`, keeping its text. */
  state?: RunState;
}

/** KODA's HTTP API, for browsers and Node: runs streamed over SSE, sessions and notes. */
export class KodaClient {
  private readonly fetchImpl: FetchLike;
  private readonly baseUrl: string;
  private readonly streamOptions: StreamOptions;

  constructor(options: KodaClientOptions = {}) {
    // Called through a wrapper: a browser's fetch throws "Illegal invocation" when detached from window.
    this.fetchImpl = withBearer(options.fetch ?? ((input, init) => globalThis.fetch(input, init)), options.apiKey);
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    this.streamOptions = {
      heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      idleTimeoutMs: options.idleTimeoutMs,
      backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    };
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  /**
   * Starts a run and follows its events until the end, reconnecting as needed. The start is
   * sent with a fresh `Idempotency-Key`, so a POST whose answer was lost is retried safely:
   * the retry joins the run the first one started, never a second run.
   */
  startRun(request: ChatRequest, handlers: RunHandlers = {}): RunHandle {
    return new RunStream(this.deps(), { kind: 'start', request, idempotencyKey: newIdempotencyKey() }, handlers, this.streamOptions, initialRunState());
  }

  /** Follows a run by id: from its start, or after `lastEventId` / a kept `state`. */
  joinRun(runId: string, options: JoinOptions = {}, handlers: RunHandlers = {}): RunHandle {
    const initial = options.state?.runId === runId ? options.state : { ...initialRunState(runId), lastEventId: options.lastEventId };
    return new RunStream(this.deps(), { kind: 'join' }, handlers, this.streamOptions, initial);
  }

  /** Asks the gateway to stop a run (202); unknown (404) and already ended (409) are answers, not errors. */
  async cancelRun(runId: string): Promise<CancelResult> {
    const res = await this.fetchImpl(this.url(`/api/v1/runs/${encodeURIComponent(runId)}/cancel`), { method: 'POST' });
    if (res.status === 202 || res.ok) return { status: 'cancelling' };
    if (res.status === 404) return { status: 'not_found' };
    if (res.status === 409) return { status: 'already_ended' };
    throw await httpErrorOf(res);
  }

  /** The waiting endpoint: starts a run and answers its result (throws KodaHttpError on failure). */
  chat(request: ChatRequest): Promise<RunResult> {
    return this.json('/api/v1/chat/orchestrated', { method: 'POST', body: request });
  }

  /** The caller's sessions, most recent first (title, last activity, the run still going). */
  async listSessions(): Promise<SessionSummary[]> {
    return (await this.json<{ sessions: SessionSummary[] }>('/api/v1/sessions')).sessions;
  }

  getSession(sessionId: string): Promise<SessionView> {
    return this.json(`/api/v1/sessions/${encodeURIComponent(sessionId)}`);
  }

  async listNotes(): Promise<Note[]> {
    return (await this.json<{ notes: Note[] }>('/api/v1/notes')).notes;
  }

  getNote(id: string): Promise<Note> {
    return this.json(`/api/v1/notes/${encodeURIComponent(id)}`);
  }

  createNote(note: Pick<CreateNoteDto, 'title' | 'content' | 'tags'>): Promise<Note> {
    return this.json('/api/v1/notes', { method: 'POST', body: note });
  }

  async deleteNote(id: string): Promise<void> {
    await this.json(`/api/v1/notes/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }

  private deps(): StreamDeps {
    return { url: (path) => this.url(path), fetch: this.fetchImpl, cancelRun: (runId) => this.cancelRun(runId) };
  }

  private async json<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await this.fetchImpl(this.url(path), {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    if (!res.ok) throw await httpErrorOf(res);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }
}

/** `fetch` adding `Authorization: Bearer <key>` when a key is known. */
function withBearer(fetchImpl: FetchLike, apiKey: KodaClientOptions['apiKey']): FetchLike {
  if (apiKey === undefined) return fetchImpl;
  return (input, init = {}) => {
    const key = typeof apiKey === 'function' ? apiKey() : apiKey;
    if (!key) return fetchImpl(input, init);
    return fetchImpl(input, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), Authorization: `Bearer ${key}` } });
  };
}
