import type { ClickableObject, ErrorCode, SessionMessage } from '@koda/contracts';

/** A chat turn as providers see it. */
export interface LlmMessage {
  role: 'user' | 'assistant';
  content: string;
}

/** A retrieved note, as Mimir hands it to a provider. */
export interface RetrievedNote extends ClickableObject {
  content: string;
  tags: string[];
}

/**
 * What the task is, in structured form. The `anthropic` provider ignores it (the prompt says
 * it all); the `offline` provider builds its deterministic answer from it.
 */
export type LlmTask =
  | { kind: 'plume'; message: string; history: SessionMessage[] }
  | { kind: 'mimir'; message: string; history: SessionMessage[]; hits: RetrievedNote[] }
  | {
      kind: 'discussion-turn';
      message: string;
      persona: string;
      turn: number;
      transcript: { agent: string; content: string }[];
      hits: RetrievedNote[];
    }
  | { kind: 'discussion-synthesis'; message: string; transcript: { agent: string; content: string }[] }
  | { kind: 'classify'; message: string };

export interface LlmRequest {
  /** Which agent is asking: picks the model (`KODA_MODEL_PLUME`, `KODA_MODEL_MIMIR`). */
  agent: 'plume' | 'mimir' | 'router';
  system: string;
  messages: LlmMessage[];
  task: LlmTask;
  maxTokens?: number;
  temperature?: number;
  /** Aborted on cancel or run deadline; the provider must stop promptly and throw `LlmError`. */
  signal: AbortSignal;
  /** Each text delta as it arrives (raw; the caller coalesces them into `token` events). */
  onText(delta: string): void;
}

export interface LlmUsage {
  input_tokens: number;
  output_tokens: number;
}

export interface LlmResult {
  text: string;
  usage: LlmUsage;
  cost_eur: number;
  model: string;
  provider: 'anthropic' | 'offline';
  /** Requests sent again before the answer began (429, 529, 5xx, connection errors); 0 or absent: none. */
  retries?: number;
}

export interface LlmProvider {
  readonly name: 'anthropic' | 'offline';
  complete(request: LlmRequest): Promise<LlmResult>;
}

/**
 * A provider failure, classified so the caller knows what to do.
 * `retryable` says whether starting the node over may succeed (an API `error` event after the
 * output began, an overloaded model once the provider's own backoff ran out is NOT retryable).
 * `outputStarted` says whether text deltas were already handed out (clients must drop them).
 */
export class LlmError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly outputStarted = false,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}
