import Redis from 'ioredis';
import { tokenEventJson } from '../bench-events';
import { publishNsOf } from '../sse-frames';
import { uid, type RelayHarness } from './relay-harness';

/**
 * The limit: the same events XADDed to the same number of streams and read back by ONE
 * blocking `XREAD … STREAMS k1 … kn` connection, as the gateway's reader does, but with no
 * HTTP, no validation and no fan-out. What Redis and ioredis alone cost on this machine.
 */
export class RawRelayHarness implements RelayHarness {
  private keys: string[] = [];
  private cursors: string[] = [];
  private indexOf = new Map<string, number>();
  private reader: Redis | null = null;
  private expected = 0;
  private received = 0;
  private loop: Promise<void> = Promise.resolve();
  private failures = 0;

  constructor(
    private readonly publisher: Redis,
    private readonly redisUrl: string,
    private readonly keyPrefix: string,
    private readonly connectionName: string,
  ) {}

  async open(plan: { streams: number; eventsPerStream: number }, record: (publishNs: bigint, receivedNs: bigint) => void): Promise<void> {
    const run = uid();
    this.keys = Array.from({ length: plan.streams }, (_, i) => `${this.keyPrefix}:${plan.streams}:${run}:${i}`);
    this.cursors = this.keys.map(() => '0-0');
    this.indexOf = new Map(this.keys.map((k, i) => [k, i]));
    this.expected = plan.streams * plan.eventsPerStream;
    this.reader = new Redis(this.redisUrl, { connectionName: this.connectionName, maxRetriesPerRequest: null });
    await this.reader.ping();
    this.loop = this.readLoop(this.reader, record);
  }

  publish(stream: number, seq: number): void {
    this.publisher.xadd(this.keys[stream], '*', 'e', tokenEventJson(this.keys[stream], seq)).catch(() => this.failures++);
  }

  async finish(): Promise<void> {
    await this.loop;
    this.reader?.disconnect();
    await this.publisher.unlink(...this.keys);
    if (this.failures > 0) throw new Error(`raw relay: ${this.failures} publish failures`);
  }

  private async readLoop(reader: Redis, record: (publishNs: bigint, receivedNs: bigint) => void): Promise<void> {
    while (this.received < this.expected) {
      const reply = await reader.xread('COUNT', 1000, 'BLOCK', 5000, 'STREAMS', ...this.keys, ...this.cursors);
      const receivedNs = process.hrtime.bigint();
      if (!reply) throw new Error(`raw relay: nothing for 5 s with ${this.expected - this.received} events missing`);
      for (const [key, entries] of reply) {
        this.cursors[this.indexOf.get(key)!] = entries[entries.length - 1][0];
        for (const [, fields] of entries) {
          const publishNs = publishNsOf(fields[1]);
          if (publishNs !== null) record(publishNs, receivedNs);
          this.received++;
        }
      }
    }
  }
}
