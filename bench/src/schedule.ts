/**
 * The publishing schedule every relay measurement (KODA, raw Redis, peer) follows, so they
 * relay exactly the same event volume at the same pace: each of `streams` streams gets one
 * event every `intervalMs`, streams staggered evenly across the interval (as independent
 * token streams are), i.e. event k goes to stream k mod n at t0 + k·interval/n.
 */
export interface SchedulePlan {
  streams: number;
  eventsPerStream: number;
  intervalMs: number;
}

export const planFor = (streams: number, durationMs: number, intervalMs: number): SchedulePlan => ({
  streams,
  eventsPerStream: Math.max(1, Math.floor(durationMs / intervalMs)),
  intervalMs,
});

/** When the k-th event of the whole schedule is due, in ms after the start. */
export const dueAtMs = (plan: SchedulePlan, k: number) => (k * plan.intervalMs) / plan.streams;

export function runSchedule(plan: SchedulePlan, publish: (stream: number, seq: number) => void): Promise<void> {
  const totalEvents = plan.streams * plan.eventsPerStream;
  const t0 = performance.now();
  let k = 0;
  return new Promise((resolve) => {
    const tick = () => {
      const now = performance.now() - t0;
      // Catch up on everything due: a late timer publishes a burst, as a busy producer would.
      while (k < totalEvents && dueAtMs(plan, k) <= now) {
        publish(k % plan.streams, Math.floor(k / plan.streams));
        k++;
      }
      if (k >= totalEvents) return resolve();
      setTimeout(tick, Math.max(0, dueAtMs(plan, k) - (performance.now() - t0)));
    };
    tick();
  });
}
