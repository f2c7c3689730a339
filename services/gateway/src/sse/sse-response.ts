import type { Request, Response } from 'express';
import { SSE_HEADERS, sseComment, sseDone, sseRawEvent } from '@koda/contracts';

/** A client past this much unsent data is cut off; it can resume with Last-Event-ID. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** One open `text/event-stream` response. */
export class SseResponse {
  private closed = false;

  constructor(
    private readonly req: Request,
    private readonly res: Response,
    onClose: () => void,
  ) {
    res.writeHead(200, SSE_HEADERS);
    res.socket?.setNoDelay(true);
    res.flushHeaders();
    res.once('close', () => {
      this.closed = true;
      onClose();
    });
  }

  get isOpen(): boolean {
    return !this.closed && !this.res.writableEnded;
  }

  send(id: string, json: string): void {
    if (!this.isOpen) return;
    this.res.write(sseRawEvent(id, json));
    if (this.res.writableLength > MAX_BUFFERED_BYTES) this.req.destroy();
  }

  ping(): void {
    if (this.isOpen) this.res.write(sseComment());
  }

  /** Writes `[DONE]` and closes: every stream ends this way. */
  done(): void {
    if (!this.isOpen) return;
    this.res.end(sseDone());
  }
}
