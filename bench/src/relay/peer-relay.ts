import Redis from 'ioredis';
import { createResumableStreamContext } from 'resumable-stream/ioredis';
import type { ResumableStreamContext } from 'resumable-stream';
import { tokenEventJson } from '../bench-events';
import { MeasuredStreams } from './measured-streams';
import { uid, type RelayHarness } from './relay-harness';

const sse = (json: string) => `data: ${json}\n\n`;

/**
 * The peer: this process is the producer (`createNewResumableStream`, like KODA's agents it
 * is where tokens come from); the peer server (another process) follows each stream with
 * `resumeExistingStream` and serves it as SSE. The same token JSON, the same schedule.
 */
export class PeerRelayHarness implements RelayHarness {
  private readonly context: ResumableStreamContext;
  private readonly connections: Redis[];
  private controllers: ReadableStreamDefaultController<string>[] = [];
  private ids: string[] = [];
  private readonly clients = new MeasuredStreams();
  private failures = 0;

  constructor(
    redisUrl: string,
    keyPrefix: string,
    connectionName: string,
    private readonly peerUrl: string,
  ) {
    this.connections = [new Redis(redisUrl, { connectionName: `${connectionName}:pub` }), new Redis(redisUrl, { connectionName: `${connectionName}:sub` })];
    this.context = createResumableStreamContext({ keyPrefix, waitUntil: null, publisher: this.connections[0], subscriber: this.connections[1] });
  }

  async open(plan: { streams: number }, record: (publishNs: bigint, receivedNs: bigint) => void): Promise<void> {
    const run = uid();
    this.ids = Array.from({ length: plan.streams }, (_, i) => `${plan.streams}-${i}-${run}`);
    this.controllers = await Promise.all(this.ids.map((id) => this.produce(id)));
    await this.clients.open(
      this.ids.map((id) => `${this.peerUrl}/stream/${id}`),
      record,
    );
  }

  publish(stream: number, seq: number): void {
    this.controllers[stream].enqueue(sse(tokenEventJson(this.ids[stream], seq)));
  }

  async finish(): Promise<void> {
    for (const controller of this.controllers) {
      controller.enqueue(sse('[DONE]'));
      controller.close();
    }
    await this.clients.close();
    this.failures += this.clients.failures;
    if (this.failures > 0) throw new Error(`peer relay: ${this.failures} stream failures`);
  }

  async close(): Promise<void> {
    for (const c of this.connections) await c.quit().catch(() => c.disconnect());
  }

  /** Starts a producer stream and hands back its controller; the first chunk marks it live. */
  private async produce(id: string): Promise<ReadableStreamDefaultController<string>> {
    let controller!: ReadableStreamDefaultController<string>;
    const source = new ReadableStream<string>({ start: (c) => void (controller = c) });
    const local = await this.context.createNewResumableStream(id, () => source);
    // Nobody reads the producer's own copy here (the HTTP client follows through Redis); the
    // library keeps pumping and publishing to followers regardless.
    void local?.cancel().catch(() => undefined);
    controller.enqueue(sse('{"type":"hello"}'));
    return controller;
  }
}
