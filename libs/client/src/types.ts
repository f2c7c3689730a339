import type { AgentMessageEvent, ChatRequestDto, RunEvent, RunResult, TokenEvent } from '@koda/contracts';
import type { BackoffOptions } from './backoff';
import type { KodaError } from './errors';
import type { RunState, Segment } from './run-state';
import type { RunStatus } from './status';

/** The body of a chat request (the gateway's DTO, as plain data). */
export type ChatRequest = Pick<ChatRequestDto, 'message' | 'mode' | 'session_id' | 'multitask_strategy' | 'webhook'>;

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** What a UI listens to. Every callback is optional; all run on the stream's own loop. */
export interface RunHandlers {
  /** Each new event (duplicates are never passed on), with its id and the state after it. */
  onEvent?(event: RunEvent, id: string | undefined, state: RunState): void;
  /** A token, with the whole text of its node/turn so far. */
  onToken?(event: TokenEvent, segment: Segment, state: RunState): void;
  /** A discussion turn is over; its content is authoritative. */
  onAgentMessage?(event: AgentMessageEvent, state: RunState): void;
  onComplete?(result: RunResult, state: RunState): void;
  /** Run errors (fatal or not) and client failures (HTTP, connection lost: always fatal). */
  onError?(error: KodaError, state: RunState): void;
  /** Phase, connection or agent at work changed ("Réflexion en cours… (Mimir)"). */
  onStatus?(status: RunStatus): void;
  /** The state changed: the simplest way to redraw (a `retrying` drops text, for instance). */
  onUpdate?(state: RunState): void;
  /** The run id is known (from the response headers, or the `start` event). */
  onRun?(ids: { runId: string; sessionId?: string }): void;
  /** The connection dropped or went quiet; the client reconnects after `delayMs`. */
  onReconnect?(info: { attempt: number; delayMs: number; reason: DropReason }): void;
}

export type DropReason = 'network' | 'idle' | 'eof' | 'http';

export type RunOutcome =
  | { status: 'complete'; result: RunResult; state: RunState }
  | { status: 'failed' | 'cancelled'; error: KodaError; state: RunState }
  /** `close()` was called: the client stopped listening; the run itself goes on. */
  | { status: 'closed'; state: RunState };

export type CancelResult = { status: 'cancelling' | 'not_found' | 'already_ended' | 'no_run' };

/** A run being followed. */
export interface RunHandle {
  readonly state: RunState;
  readonly status: RunStatus;
  readonly runId: string | undefined;
  readonly lastEventId: string | undefined;
  /** Settles once the run ends (or `close()`); never rejects. */
  readonly done: Promise<RunOutcome>;
  readonly stats: { connections: number; reconnects: number; duplicates: number };
  /** Asks the gateway to stop the run; the stream then ends with a `cancelled` error. */
  cancel(): Promise<CancelResult>;
  /** Stops listening (and reconnecting), without stopping the run. */
  close(): void;
}

export interface StreamOptions {
  /** The gateway's heartbeat interval: the stream counts as dead after twice this with no byte. */
  heartbeatMs: number;
  /** Overrides the idle timeout derived from `heartbeatMs`. */
  idleTimeoutMs?: number;
  backoff: BackoffOptions;
}
