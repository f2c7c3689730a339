import { SSE_DONE } from '@koda/contracts';
import { openSse, withLimit, type OpenSse } from '../http-sse';
import { publishNsOf } from '../sse-frames';
import { deferred } from './relay-harness';

/** SSE clients that time each token frame (its `publish_ns` → now) until `[DONE]` or close. */
export class MeasuredStreams {
  private streams: OpenSse[] = [];
  private ends: Promise<void>[] = [];
  private closing = false;
  failures = 0;

  /** Opens one client per URL; resolves once each has received its first frame. */
  async open(urls: string[], record: (publishNs: bigint, receivedNs: bigint) => void): Promise<void> {
    this.streams = [];
    this.ends = [];
    this.closing = false;
    this.failures = 0;
    const live: Promise<void>[] = [];
    await withLimit(urls, 256, async (url) => {
      const ready = deferred();
      const ended = deferred();
      const stream = openSse({
        url,
        agent: false,
        onFrame: (frame, receivedNs) => {
          if (frame.data === SSE_DONE) return ended.resolve();
          const publishNs = publishNsOf(frame.data);
          if (publishNs === null) ready.resolve();
          else record(publishNs, receivedNs);
        },
      });
      stream.done.then(ended.resolve, () => {
        // Closing a client that already saw `[DONE]` rejects its `done`: that is no failure.
        if (!this.closing) this.failures++;
        ended.resolve();
      });
      this.streams.push(stream);
      this.ends.push(ended.promise);
      live.push(ready.promise);
    });
    await Promise.all(live);
  }

  /** Waits for every stream to end, then closes the clients. */
  async close(): Promise<void> {
    await Promise.all(this.ends);
    this.closing = true;
    this.streams.forEach((s) => s.close());
  }
}
