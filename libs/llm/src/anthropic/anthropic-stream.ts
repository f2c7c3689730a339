import type { MessageDeltaUsage, RawMessageStreamEvent, Usage } from '@anthropic-ai/sdk/resources/messages';
import type { LlmUsage } from '../provider';

/** What one streamed answer produced so far. */
export interface StreamState {
  text: string;
  usage: LlmUsage;
  /** A non-empty text delta was handed to `onText`: the caller's clients saw output. */
  outputStarted: boolean;
  /** `message_stop` arrived: the answer is complete (anything else is a truncated stream). */
  complete: boolean;
  stopReason: string | null;
}

export const newStreamState = (): StreamState => ({
  text: '',
  usage: { input_tokens: 0, output_tokens: 0 },
  outputStarted: false,
  complete: false,
  stopReason: null,
});

/** Marks an exception thrown by the caller's `onText`, so it is not mistaken for an API failure. */
export class CallbackError {
  constructor(readonly cause: unknown) {}
}

/**
 * Folds one Messages API stream event into the state. Only `text_delta`s reach `onText`: thinking
 * blocks (current models may open with one) and tool input are not part of the answer.
 */
export function applyEvent(state: StreamState, event: RawMessageStreamEvent, onText: (delta: string) => void): void {
  switch (event.type) {
    case 'message_start':
      state.usage = { input_tokens: inputTokens(event.message.usage), output_tokens: event.message.usage.output_tokens };
      return;
    case 'content_block_delta':
      if (event.delta.type === 'text_delta' && event.delta.text) emitText(state, event.delta.text, onText);
      return;
    case 'message_delta':
      applyDeltaUsage(state, event.usage);
      state.stopReason = event.delta.stop_reason ?? state.stopReason;
      return;
    case 'message_stop':
      state.complete = true;
      return;
    default:
      return;
  }
}

function emitText(state: StreamState, delta: string, onText: (delta: string) => void): void {
  state.text += delta;
  state.outputStarted = true;
  try {
    onText(delta);
  } catch (err) {
    throw new CallbackError(err);
  }
}

/** `message_delta` usage is cumulative: it replaces, never adds to, what `message_start` said. */
function applyDeltaUsage(state: StreamState, usage: MessageDeltaUsage): void {
  state.usage.output_tokens = usage.output_tokens;
  if (usage.input_tokens !== null && usage.input_tokens !== undefined) {
    state.usage.input_tokens = inputTokens(usage);
  }
}

/**
 * All the input the request consumed: the API counts prompt-cache writes and reads apart from
 * `input_tokens`. KODA sets no cache breakpoints, so those are normally zero.
 */
function inputTokens(usage: Pick<Usage, 'input_tokens' | 'cache_creation_input_tokens' | 'cache_read_input_tokens'> | MessageDeltaUsage): number {
  return (usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
}

/**
 * Aborts its signal when no stream event arrived for `ms`. The SDK's own `timeout` only covers
 * the wait for response headers, not a body that stops flowing. (`ping` events are filtered out
 * by the SDK before we see them, so they do not keep a stalled answer alive.)
 */
export class IdleWatchdog {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  fired = false;

  constructor(private readonly ms: number) {
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.fired = true;
      this.controller.abort(new Error(`no data for ${this.ms} ms`));
    }, this.ms);
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
