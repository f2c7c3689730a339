import { latencyMs } from '../bench-events';
import { runSchedule, type SchedulePlan } from '../schedule';
import { perSecond, summarize, type Summary } from '../stats';

export type RelaySystem = 'koda' | 'raw' | 'peer';

/** One relay implementation under test, driven identically by `measureRelay`. */
export interface RelayHarness {
  /** Opens `plan.streams` streams and resolves once each is live (received its first frame). */
  open(plan: SchedulePlan, record: (publishNs: bigint, receivedNs: bigint) => void): Promise<void>;
  publish(stream: number, seq: number): void;
  /** Ends every stream and resolves once every client saw its end. */
  finish(): Promise<void>;
}

export interface RelayResult {
  system: RelaySystem;
  streams: number;
  latency: Summary;
  expected: number;
  received: number;
  eventsPerS: number;
}

export async function measureRelay(system: RelaySystem, plan: SchedulePlan, harness: RelayHarness): Promise<RelayResult> {
  const samples: number[] = [];
  await withTimeout(
    harness.open(plan, (publishNs, receivedNs) => samples.push(latencyMs(publishNs, receivedNs))),
    30_000,
    `${system}: opening ${plan.streams} streams`,
  );
  const startedAt = performance.now();
  await runSchedule(plan, (stream, seq) => harness.publish(stream, seq));
  await withTimeout(harness.finish(), 30_000, `${system}: ending ${plan.streams} streams`);
  const elapsed = performance.now() - startedAt;
  const expected = plan.streams * plan.eventsPerStream;
  return { system, streams: plan.streams, latency: summarize(samples), expected, received: samples.length, eventsPerS: perSecond(samples.length, elapsed) };
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A promise with its resolver, for "this stream is live" and "this stream ended" signals. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export const uid = () => Math.random().toString(36).slice(2, 10);
