import type { RelayEntry } from './relay-entry';
import { compareStreamIds } from '@koda/contracts';

export interface RelayListener {
  onEntry(entry: RelayEntry): void;
  /** Called once, after the terminal event was delivered. */
  onEnd(): void;
  /**
   * Called instead of `onEnd` when this gateway cannot go on relaying the run without risking a
   * gap (a read Redis refused, a catch-up that kept failing, shutdown): the connection should
   * close so the client resumes from its last id, here or on another replica.
   */
  onAbort(reason: string): void;
}

/**
 * One reader of one run. Until its catch-up read is done it buffers live entries; then it
 * delivers catch-up and buffer in id order, skipping anything at or before the last id it
 * delivered, so a subscriber never sees a gap or a duplicate whatever the interleaving.
 */
export class RunSubscription {
  private live = false;
  private buffer: RelayEntry[] = [];
  ended = false;

  constructor(
    readonly runId: string,
    private lastId: string,
    private readonly listener: RelayListener,
  ) {}

  deliver(entry: RelayEntry): void {
    if (this.ended) return;
    if (this.live) this.emit(entry);
    else this.buffer.push(entry);
  }

  /** An event this gateway made up (no log id): delivered at once, whatever the catch-up. */
  deliverNow(entry: RelayEntry): void {
    if (this.ended) return;
    this.listener.onEntry(entry);
    if (entry.terminal) {
      this.ended = true;
      this.listener.onEnd();
    }
  }

  goLive(catchUp: RelayEntry[]): void {
    for (const entry of catchUp) this.emit(entry);
    this.live = true;
    const buffered = this.buffer;
    this.buffer = [];
    for (const entry of buffered) this.emit(entry);
  }

  close(): void {
    this.ended = true;
    this.buffer = [];
  }

  /** Stops relaying without a terminal event; the listener's connection is to be resumed. */
  abort(reason: string): void {
    if (this.ended) return;
    this.close();
    this.listener.onAbort(reason);
  }

  private emit(entry: RelayEntry): void {
    if (this.ended || compareStreamIds(entry.id, this.lastId) <= 0) return;
    this.lastId = entry.id;
    this.listener.onEntry(entry);
    if (entry.terminal) {
      this.ended = true;
      this.listener.onEnd();
    }
  }
}
