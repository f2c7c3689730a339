import type Redis from 'ioredis';
import { keys, STREAM_FIELD } from '@koda/contracts';
import { startEventJson, terminalEventJson, tokenEventJson } from '../bench-events';
import { MeasuredStreams } from './measured-streams';
import { uid, type RelayHarness } from './relay-harness';

/** Keeps abandoned bench run logs from outliving a crashed bench (cleanup deletes them anyway). */
export const BENCH_KEY_TTL_S = 900;

/**
 * KODA's relay: the bench appends to run logs with XADD (as agents do) and reads them back as
 * SSE from the gateway's `GET /api/v1/runs/:id/events`, through its blocking XREAD readers.
 */
export class KodaRelayHarness implements RelayHarness {
  private runIds: string[] = [];
  private readonly clients = new MeasuredStreams();
  private failures = 0;

  constructor(
    private readonly publisher: Redis,
    private readonly prefix: string,
    private readonly baseUrl: string,
    private readonly label = 'relay',
  ) {}

  async open(plan: { streams: number }, record: (publishNs: bigint, receivedNs: bigint) => void): Promise<void> {
    this.runIds = Array.from({ length: plan.streams }, (_, i) => `bench-${this.label}-${plan.streams}-${i}-${uid()}`);
    await createRunLogs(this.publisher, this.prefix, this.runIds);
    await this.clients.open(
      this.runIds.map((runId) => `${this.baseUrl}/api/v1/runs/${runId}/events`),
      record,
    );
  }

  publish(stream: number, seq: number): void {
    const runId = this.runIds[stream];
    this.publisher.xadd(keys.runEvents(this.prefix, runId), '*', STREAM_FIELD, tokenEventJson(runId, seq)).catch(() => this.failures++);
  }

  async finish(): Promise<void> {
    const pipeline = this.publisher.pipeline();
    for (const runId of this.runIds) pipeline.xadd(keys.runEvents(this.prefix, runId), '*', STREAM_FIELD, terminalEventJson(runId));
    await pipeline.exec();
    await this.clients.close();
    this.failures += this.clients.failures;
    if (this.failures > 0) throw new Error(`koda relay: ${this.failures} stream or publish failures`);
  }
}

/** Run logs holding only their `start` event, as the gateway writes them when a run opens. */
export async function createRunLogs(redis: Redis, prefix: string, runIds: string[]): Promise<void> {
  for (let from = 0; from < runIds.length; from += 500) {
    const pipeline = redis.pipeline();
    for (const runId of runIds.slice(from, from + 500)) {
      const key = keys.runEvents(prefix, runId);
      pipeline.xadd(key, '*', STREAM_FIELD, startEventJson(runId)).expire(key, BENCH_KEY_TTL_S);
    }
    await pipeline.exec();
  }
}
