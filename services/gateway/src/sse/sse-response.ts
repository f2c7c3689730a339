import type { Response } from 'express';
import { SSE_HEADERS, sseComment, sseDone, sseRawEvent } from '@koda/contracts';

/** A client past this much unsent data is cut off; it can resume with Last-Event-ID. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** One open `text/event-stream` response. Its owner learns of the close through `ClientPresence`. */
export class SseResponse {
  constructor(private readonly res: Response) {
    res.writeHead(200, SSE_HEADERS);
    res.socket?.setNoDelay(true);
    res.flushHeaders();
  }

  get isOpen(): boolean {
    return !this.res.writableEnded && !this.res.destroyed;
  }

  /** Resolves once the connection itself is closed (the client has read the end and hung up). */
  connectionClosed(): Promise<void> {
    const socket = this.res.socket;
    if (!socket || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => socket.once('close', () => resolve()));
  }

  /** Writes one event; an empty id (an event the gateway made up, not in the log) sends none. */
  send(id: string, json: string): void {
    if (!this.isOpen) return;
    this.res.write(id ? sseRawEvent(id, json) : `data: ${json}\n\n`);
    if (this.res.writableLength > MAX_BUFFERED_BYTES) this.res.destroy();
  }

  ping(): void {
    if (this.isOpen) this.res.write(sseComment());
  }

  /** Writes `[DONE]` and closes: every stream that reached its terminal event ends this way. */
  done(): void {
    if (!this.isOpen) return;
    this.res.end(sseDone());
  }

  /**
   * Closes without `[DONE]`, telling the client how soon to reconnect (`retry:`): the run goes
   * on, and the client resumes after its `Last-Event-ID`, on this replica or another.
   */
  closeForResume(retryMs: number, reason: string): void {
    if (!this.isOpen) return;
    // Once written, the connection itself is closed gracefully: a keep-alive socket left idle
    // would otherwise be cut by the server's shutdown, racing the client's read of the end.
    this.res.end(`${sseComment(reason)}retry: ${retryMs}\n\n`, () => this.res.socket?.end());
  }
}
