import type { EventSourceMessage } from 'eventsource-parser';
import { backoffDelay, sleep } from './backoff';
import { dispatchEvent, decodeEvent, safely } from './dispatch';
import { clientError, httpErrorOf, type KodaError } from './errors';
import { applyEvent, isEnded, type RunState } from './run-state';
import { IdleWatchdog, readSseBody } from './sse-reader';
import { runStatus, sameStatus, type ConnectionState, type RunStatus } from './status';
import type { CancelResult, ChatRequest, DropReason, FetchLike, RunHandle, RunHandlers, RunOutcome, StreamOptions } from './types';
import { DONE_DATA, IDEMPOTENCY_KEY_HEADER, isDuplicateId, LAST_EVENT_ID_HEADER, RUN_ID_HEADER, SESSION_ID_HEADER } from './wire';

/**
 * How the first connection is made: start a new run (POST), or join one by id (GET). A start
 * carries its `Idempotency-Key`: until the run's id is known, a failed POST is sent again with
 * the same key, and the gateway answers the run the first one started instead of a second run.
 */
export type Opening = { kind: 'start'; request: ChatRequest; idempotencyKey: string } | { kind: 'join' };

export interface StreamDeps {
  url(path: string): string;
  fetch: FetchLike;
  cancelRun(runId: string): Promise<CancelResult>;
}

type Ending =
  | { kind: 'ended' }
  | { kind: 'closed' }
  | { kind: 'fatal'; error: KodaError }
  /** The very first request found nobody listening: nothing was sent, so nothing to retry. */
  | { kind: 'unreachable' }
  | { kind: 'dropped'; reason: DropReason; progressed: boolean };

/** Network errors that prove the request never reached a server (no connection was made). */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Follows one run over as many connections as it takes: the first one (POST or GET), then,
 * whenever a connection drops or goes quiet, a GET resuming after the last event applied
 * (`Last-Event-ID`), with jittered backoff. Events already applied are dropped by id, so a
 * replaying server or proxy never duplicates text. A start whose answer was lost before the
 * run's id arrived is retried as the same POST with the same `Idempotency-Key`.
 */
export class RunStream implements RunHandle {
  readonly done: Promise<RunOutcome>;
  readonly stats = { connections: 0, reconnects: 0, duplicates: 0 };
  private current: RunState;
  private connection: ConnectionState = 'connecting';
  private lastStatus: RunStatus | undefined;
  private outcome: RunOutcome | undefined;
  private settle!: (outcome: RunOutcome) => void;
  private readonly closer = new AbortController();
  private readonly runIdWaiters: ((runId: string | undefined) => void)[] = [];
  private lastNetworkError: string | undefined;

  constructor(
    private readonly deps: StreamDeps,
    private readonly opening: Opening,
    private readonly handlers: RunHandlers,
    private readonly options: StreamOptions,
    initial: RunState,
  ) {
    this.current = initial;
    this.done = new Promise((resolve) => (this.settle = resolve));
    // Started on the next task, so a caller can keep the handle before any callback fires.
    setTimeout(() => void this.loop(), 0);
  }

  get state(): RunState {
    return this.current;
  }
  get status(): RunStatus {
    return runStatus(this.current, this.connection);
  }
  get runId(): string | undefined {
    return this.current.runId;
  }
  get lastEventId(): string | undefined {
    return this.current.lastEventId;
  }

  async cancel(): Promise<CancelResult> {
    const runId = await this.waitForRunId();
    return runId ? this.deps.cancelRun(runId) : { status: 'no_run' };
  }

  close(): void {
    if (this.outcome) return;
    this.finish({ status: 'closed', state: this.current });
    this.closer.abort();
  }

  private async loop(): Promise<void> {
    let failures = 0;
    for (let first = true; ; first = false) {
      const ending = await this.connectOnce(first);
      if (this.outcome || ending.kind === 'closed') return;
      if (ending.kind === 'ended') return this.finishFromState();
      if (ending.kind === 'fatal') return this.fail(ending.error);
      if (ending.kind === 'unreachable') return this.fail(this.unreachable());
      // A connection that brought new events resets the count: only a dead link runs out of attempts.
      failures = ending.progressed ? 0 : failures + 1;
      if (failures >= this.options.backoff.maxAttempts)
        return this.fail(this.current.runId ? clientError('connection_lost', `Connexion perdue (${failures} tentatives de reconnexion).`) : this.unreachable());
      const delayMs = backoffDelay(failures, this.options.backoff);
      this.stats.reconnects += 1;
      this.setConnection('reconnecting');
      safely(this.handlers.onReconnect, { attempt: this.stats.reconnects, delayMs, reason: ending.reason });
      await sleep(delayMs, this.closer.signal);
      if (this.closer.signal.aborted) return;
    }
  }

  private async connectOnce(first: boolean): Promise<Ending> {
    const attempt = new AbortController();
    const abort = () => attempt.abort();
    this.closer.signal.addEventListener('abort', abort);
    let idle = false;
    const watchdog = new IdleWatchdog(this.options.idleTimeoutMs ?? 2 * this.options.heartbeatMs, () => {
      idle = true;
      attempt.abort();
    });
    const before = this.current.lastEventId;
    const progress = { sawDone: false };
    try {
      watchdog.kick();
      this.stats.connections += 1;
      const res = await this.request(attempt.signal);
      const refused = await this.checkResponse(res);
      if (refused) return refused;
      this.noteRunHeaders(res);
      this.setConnection('open');
      await readSseBody(res.body!, {
        onActivity: () => watchdog.kick(),
        onMessage: (message) => this.receive(message, progress),
        shouldStop: () => progress.sawDone,
      });
    } catch (error) {
      if (this.closer.signal.aborted) return { kind: 'closed' };
      this.lastNetworkError = networkCause(error);
    } finally {
      watchdog.stop();
      this.closer.signal.removeEventListener('abort', abort);
    }
    if (first && this.lastNetworkError && NEVER_CONNECTED.has(this.lastNetworkError)) return { kind: 'unreachable' };
    return this.endingOf(progress.sawDone, idle, before);
  }

  /** POSTs until the run's id is known (then it is a resume by id, like any other). */
  private get starting(): boolean {
    return this.opening.kind === 'start' && !this.current.runId;
  }

  /** The first request never got an answer: say which address was tried, and why it failed. */
  private unreachable(): KodaError {
    const url = this.deps.url(this.opening.kind === 'start' ? '/api/v1/chat/orchestrated/stream' : `/api/v1/runs/${this.current.runId ?? ''}/events`);
    const cause = this.lastNetworkError ? ` (${this.lastNetworkError})` : '';
    return clientError('connection_lost', `Aucune réponse de ${url}${cause} : la requête n’a pas été acceptée.`, { url });
  }

  private endingOf(sawDone: boolean, idle: boolean, before: string | undefined): Ending {
    if (isEnded(this.current)) return { kind: 'ended' };
    if (sawDone) return { kind: 'fatal', error: clientError('protocol', 'Le flux s’est terminé sans résultat.') };
    return { kind: 'dropped', reason: idle ? 'idle' : 'network', progressed: this.current.lastEventId !== before };
  }

  private request(signal: AbortSignal): Promise<Response> {
    const accept = { Accept: 'text/event-stream' };
    if (this.opening.kind === 'start' && this.starting) {
      const body = JSON.stringify(this.opening.request);
      return this.deps.fetch(this.deps.url('/api/v1/chat/orchestrated/stream'), {
        method: 'POST',
        headers: { ...accept, 'Content-Type': 'application/json', [IDEMPOTENCY_KEY_HEADER]: this.opening.idempotencyKey },
        body,
        signal,
        cache: 'no-store',
      });
    }
    const last = this.current.lastEventId;
    const headers: Record<string, string> = last ? { ...accept, [LAST_EVENT_ID_HEADER]: last } : accept;
    return this.deps.fetch(this.deps.url(`/api/v1/runs/${encodeURIComponent(this.current.runId ?? '')}/events`), { headers, signal, cache: 'no-store' });
  }

  /**
   * Turns a refused response into an ending: 4xx are final; 5xx, 408 and a start still in
   * progress elsewhere (409 `idempotency_in_progress`) are retried, a start included: its
   * `Idempotency-Key` makes a second POST join the run the first one may have started.
   */
  private async checkResponse(res: Response): Promise<Ending | undefined> {
    // 204: we resumed at or past the run's end; our state holds its terminal event already.
    if (res.status === 204)
      return isEnded(this.current)
        ? { kind: 'ended' }
        : { kind: 'fatal', error: clientError('protocol', 'Le run est déjà terminé, sans que sa fin ait été reçue.', { status: 204 }) };
    if (res.ok && res.body && (res.headers.get('content-type') ?? '').startsWith('text/event-stream')) return undefined;
    if (res.ok)
      return {
        kind: 'fatal',
        error: clientError('protocol', `Réponse inattendue (${res.headers.get('content-type') ?? 'sans type'}).`, { status: res.status }),
      };
    const refusal = await httpErrorOf(res);
    const inProgress = res.status === 409 && (refusal.body as { code?: unknown } | undefined)?.code === 'idempotency_in_progress';
    // A 429 is retried on a resume only: a start refused for the caller's rate is theirs to retry.
    const retryable = res.status >= 500 || res.status === 408 || inProgress || (res.status === 429 && !this.starting);
    return retryable ? { kind: 'dropped', reason: 'http', progressed: false } : { kind: 'fatal', error: refusal.toKodaError() };
  }

  private noteRunHeaders(res: Response): void {
    const runId = res.headers.get(RUN_ID_HEADER) ?? undefined;
    if (!runId || this.current.runId) return;
    this.current = { ...this.current, runId, sessionId: res.headers.get(SESSION_ID_HEADER) ?? this.current.sessionId };
    this.announceRunId();
  }

  private receive(message: EventSourceMessage, progress: { sawDone: boolean }): void {
    if (message.data === DONE_DATA) {
      progress.sawDone = true;
      return;
    }
    const event = decodeEvent(message.data);
    if (!event) return;
    if (event.type !== 'reset' && isDuplicateId(message.id, this.current.lastEventId)) {
      this.stats.duplicates += 1;
      return;
    }
    const hadRunId = !!this.current.runId;
    this.current = applyEvent(this.current, event, message.id);
    if (!hadRunId && this.current.runId) this.announceRunId();
    dispatchEvent(this.handlers, event, message.id, this.current);
    this.emitStatus();
  }

  private announceRunId(): void {
    const { runId, sessionId } = this.current;
    if (!runId) return;
    safely(this.handlers.onRun, { runId, sessionId });
    this.runIdWaiters.splice(0).forEach((resolve) => resolve(runId));
  }

  private waitForRunId(): Promise<string | undefined> {
    if (this.current.runId || this.outcome) return Promise.resolve(this.current.runId);
    return new Promise((resolve) => this.runIdWaiters.push(resolve));
  }

  private setConnection(connection: ConnectionState): void {
    this.connection = connection;
    this.emitStatus();
  }

  private emitStatus(): void {
    const status = this.status;
    if (sameStatus(this.lastStatus, status)) return;
    this.lastStatus = status;
    safely(this.handlers.onStatus, status);
  }

  private finishFromState(): void {
    const { result, error } = this.current;
    if (this.current.phase === 'complete' && result) return this.finish({ status: 'complete', result, state: this.current });
    const failure: KodaError = error
      ? { source: 'run', code: error.code, message: error.message, node: error.node, fatal: true }
      : clientError('protocol', 'Run ended without an error.');
    this.finish({ status: this.current.phase === 'cancelled' ? 'cancelled' : 'failed', error: failure, state: this.current });
  }

  private fail(error: KodaError): void {
    safely(this.handlers.onError, error, this.current);
    this.finish({ status: 'failed', error, state: this.current });
  }

  private finish(outcome: RunOutcome): void {
    if (this.outcome) return;
    this.outcome = outcome;
    this.connection = 'closed';
    this.emitStatus();
    this.runIdWaiters.splice(0).forEach((resolve) => resolve(this.current.runId));
    this.settle(outcome);
  }
}

/** `fetch failed` says nothing; its cause says ECONNREFUSED, ENOTFOUND… */
function networkCause(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error && error.name !== 'AbortError' ? error.message : undefined;
}
