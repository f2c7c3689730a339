import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseReadHandlers {
  onMessage(message: EventSourceMessage): void;
  /** Any bytes arrived (events, `: ping` comments): the connection is alive. */
  onActivity(): void;
  /** Stop reading early (e.g. after `[DONE]`). */
  shouldStop?(): boolean;
}

/**
 * Reads one SSE response body to its end. A fresh parser per connection, so a frame cut in
 * half by a dropped connection is discarded rather than glued to the next connection's bytes.
 * Rejects when the body errors (network drop, abort).
 */
export async function readSseBody(body: ReadableStream<Uint8Array>, handlers: SseReadHandlers): Promise<void> {
  const parser = createParser({ onEvent: (message) => handlers.onMessage(message) });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      handlers.onActivity();
      parser.feed(decoder.decode(value, { stream: true }));
      if (handlers.shouldStop?.()) return;
    }
  } finally {
    // Releases the connection when we stop early; a no-op on a body already ended or errored.
    reader.cancel().catch(() => undefined);
  }
}

/** Calls `onIdle` when `kick` has not been called for `timeoutMs`. */
export class IdleWatchdog {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly timeoutMs: number,
    private readonly onIdle: () => void,
  ) {}

  kick(): void {
    this.stop();
    this.timer = setTimeout(this.onIdle, this.timeoutMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
