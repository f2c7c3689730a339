/**
 * The events the relay measurements publish, as run-log JSON. They are valid KODA events (the
 * gateway validates every entry and skips malformed ones); the extra `publish_ns` field is
 * stripped by the gateway's zod parse but the gateway forwards the STORED string, so it reaches
 * the client intact. The same strings are relayed by the raw-Redis and peer baselines.
 */

/** ~ a coalesced token event's delta at 20 events/s of a fast model. */
const DELTA = 'Redis Streams relay tokens ';

export function startEventJson(runId: string): string {
  return JSON.stringify({ type: 'start', run_id: runId, timestamp: new Date().toISOString(), session_id: `bench-${runId}`, mode: 'plume', message: 'bench' });
}

/** Stamped as late as possible: right before the publishing call. */
export function tokenEventJson(runId: string, seq: number): string {
  const publishNs = process.hrtime.bigint();
  return `{"type":"token","run_id":"${runId}","timestamp":"${new Date().toISOString()}","node":"plume","delta":"${DELTA}${seq}","publish_ns":"${publishNs}"}`;
}

/** The same token as a draft for KODA's write script (which adds run_id and timestamp), stamped right before the call. */
export function tokenDraft(seq: number): Record<string, unknown> {
  return { type: 'token', node: 'plume', delta: `${DELTA}${seq}`, publish_ns: String(process.hrtime.bigint()) };
}

/** A fatal error is the simplest terminal event: the gateway ends the stream with `[DONE]`. */
export function terminalEventJson(runId: string): string {
  return JSON.stringify({ type: 'error', run_id: runId, timestamp: new Date().toISOString(), code: 'internal', message: 'bench stream end', fatal: true });
}

export const latencyMs = (publishNs: bigint, receivedNs: bigint) => Number(receivedNs - publishNs) / 1e6;
