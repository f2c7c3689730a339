import { evaluateTargets, type Figures } from './targets';

const passing: Figures = {
  relay_p50_ms: 1,
  relay_p99_ms: 5,
  raw_redis_relay_p99_ms: 2,
  peer_relay_p99_ms: 6,
  first_event_p50_ms: 10,
  first_event_p99_ms: 40,
  runs_per_s: 90,
  bullmq_noop_jobs_per_s: 300,
  jobs_per_run: 3,
  redis_clients_idle: 20,
  redis_clients_with_streams: 20,
  idle_streams: 10_000,
  idle_stream_rss_kb: 25,
};

const metOf = (f: Figures) => Object.fromEntries(evaluateTargets(f).map((t) => [t.name, t.met]));

describe('evaluateTargets', () => {
  it('meets every target with good figures', () => {
    expect(Object.values(metOf(passing)).every((met) => met === true)).toBe(true);
  });

  it('holds relay p99 to both 10 ms and 3× the raw Redis p99', () => {
    expect(metOf({ ...passing, relay_p99_ms: 7 })['relay p99 vs raw Redis XREAD']).toBe(false);
    expect(metOf({ ...passing, relay_p99_ms: 11, raw_redis_relay_p99_ms: 5, peer_relay_p99_ms: 20 })['relay p99 absolute']).toBe(false);
  });

  it('compares runs/s with 0.8 × BullMQ no-op jobs/s ÷ jobs per run', () => {
    expect(metOf({ ...passing, runs_per_s: 80 })['runs/s vs BullMQ ceiling']).toBe(true);
    expect(metOf({ ...passing, runs_per_s: 79 })['runs/s vs BullMQ ceiling']).toBe(false);
  });

  it('requires the Redis client count not to move with streams', () => {
    expect(metOf({ ...passing, redis_clients_with_streams: 21 })['Redis clients constant']).toBe(false);
  });

  it('reports n/a rather than a verdict for what was not measured', () => {
    const met = metOf({ ...passing, runs_per_s: null, peer_relay_p99_ms: null });
    expect(met['runs/s vs BullMQ ceiling']).toBeNull();
    expect(met['relay p99 vs resumable-stream']).toBeNull();
  });
});
