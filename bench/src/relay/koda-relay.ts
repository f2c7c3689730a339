import type Redis from 'ioredis';
import { keys, STREAM_FIELD, type RunEventDraft } from '@koda/contracts';
import { RunEventLog } from '@koda/platform';
import { startEventJson, tokenDraft } from '../bench-events';
import { MeasuredStreams } from './measured-streams';
import { uid, type RelayHarness } from './relay-harness';

/** Keeps abandoned bench run logs from outliving a crashed bench (cleanup deletes them anyway). */
export const BENCH_KEY_TTL_S = 900;

/**
 * KODA's relay: the bench appends to run logs through the one write script, as agents do
 * (`RunEventLog`: XADD and the doorbell in one atomic step), and reads them back as SSE from
 * the gateway's `GET /api/v1/runs/:id/events`. A raw XADD would ring no doorbell: the doorbell
 * relay would find it only by its safety read.
 */
export class KodaRelayHarness implements RelayHarness {
  private runIds: string[] = [];
  private readonly clients = new MeasuredStreams();
  private failures = 0;
  private readonly log: RunEventLog;

  constructor(
    private readonly publisher: Redis,
    private readonly prefix: string,
    private readonly baseUrl: string,
    private readonly label = 'relay',
  ) {
    this.log = new RunEventLog(publisher, prefix, BENCH_KEY_TTL_S);
  }

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
    // publish_ns is stamped right before the call: the script's cost is part of the latency.
    this.log.write(runId, tokenDraft(seq) as RunEventDraft).then(
      (result) => (result.ok ? undefined : this.failures++),
      () => this.failures++,
    );
  }

  async finish(): Promise<void> {
    const end: RunEventDraft = { type: 'error', code: 'internal', message: 'bench stream end', fatal: true };
    await Promise.all(this.runIds.map((runId) => this.log.finish({ run_id: runId, session_id: `bench-${runId}` }, end, [])));
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
