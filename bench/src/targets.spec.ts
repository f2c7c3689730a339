import { comparePeer } from './peer-compare';
import { evaluateTargets, relayVsPeer, type Figures, type RelayRepeats } from './targets';
import { peerSide } from './testing/peer-side';

const passing: Figures = {
  relay_p99_ms: 5,
  raw_redis_relay_p99_ms: 2,
  first_event_p50_ms: 10,
  first_event_p99_ms: 40,
  first_token_p50_ms: 18,
  runs_per_s: 500,
  bullmq_noop_jobs_per_s: 1000,
  redis_commands_per_run: 90,
  redis_clients_idle: 20,
  redis_clients_with_streams: 20,
  idle_streams: 2000,
  idle_stream_rss_kb: 25,
  clients: 32,
};

const relayWon: RelayRepeats = { koda: { p50: [0.5, 0.6, 0.5, 0.5], p99: [3, 4, 3, 3] }, peer: { p50: [0.7, 0.7, 0.6, 0.6], p99: [4, 5, 3, 4] } };

const side = peerSide;
const peerAhead = comparePeer(side(1, 120), side(12, 30), 32);

const byId = (f: Figures, relay: RelayRepeats | null = relayWon, peer = peerAhead) => evaluateTargets(f, relay, peer).filter((t) => !t.info);
const metOf = (f: Figures, relay: RelayRepeats | null = relayWon, peer = peerAhead) => Object.fromEntries(byId(f, relay, peer).map((t) => [t.name, t.met]));

describe('evaluateTargets', () => {
  it('meets every target with good figures', () => {
    expect(byId(passing).every((t) => t.met === true)).toBe(true);
    expect(byId(passing).map((t) => t.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'g']);
  });

  it('compares runs/s with half the no-op jobs/s itself, not ÷ jobs per run', () => {
    expect(metOf({ ...passing, runs_per_s: 500 })['runs/s vs BullMQ no-op jobs/s, 32 clients']).toBe(true);
    expect(metOf({ ...passing, runs_per_s: 499 })['runs/s vs BullMQ no-op jobs/s, 32 clients']).toBe(false);
  });

  it('holds commands per run to 100 and first event p99 to 50 ms', () => {
    expect(metOf({ ...passing, redis_commands_per_run: 101 })['Redis commands per run']).toBe(false);
    expect(metOf({ ...passing, first_event_p99_ms: 51 })['POST → first event p99, 32 clients']).toBe(false);
  });

  it('holds first token p50 to twice the first event p50', () => {
    expect(metOf({ ...passing, first_token_p50_ms: 20 })['first token p50 vs first event p50']).toBe(true);
    expect(metOf({ ...passing, first_token_p50_ms: 20.1 })['first token p50 vs first event p50']).toBe(false);
  });

  it('requires the Redis client count not to move with streams, and ≤ 30 KB per idle stream', () => {
    expect(metOf({ ...passing, redis_clients_with_streams: 21 })['Redis clients flat with open streams']).toBe(false);
    expect(metOf({ ...passing, idle_stream_rss_kb: 31 })['gateway RSS per idle stream']).toBe(false);
  });

  it('judges the RSS per idle stream read after a full GC when there is one, and shows both', () => {
    const rss = (f: Partial<typeof passing> & { idle_stream_rss_after_gc_kb?: number | null }) =>
      evaluateTargets({ ...passing, ...f }, relayWon, peerAhead).find((t) => t.name === 'gateway RSS per idle stream')!;
    expect(rss({ idle_stream_rss_kb: 47, idle_stream_rss_after_gc_kb: 22 }).met).toBe(true);
    expect(rss({ idle_stream_rss_kb: 47, idle_stream_rss_after_gc_kb: 22 }).actual).toMatch(/22\.0 KB after GC \(47\.0 without\)/);
    expect(rss({ idle_stream_rss_kb: 20, idle_stream_rss_after_gc_kb: 31 }).met).toBe(false);
    // A collection that shrank RSS under the streams: the plain delta is judged instead.
    expect(rss({ idle_stream_rss_kb: 47, idle_stream_rss_after_gc_kb: -1 }).met).toBe(false);
  });

  it('does not call a negative RSS delta (a GC during the measurement) met', () => {
    const rss = evaluateTargets({ ...passing, idle_stream_rss_kb: -0.01 }, relayWon, peerAhead).find((t) => t.name === 'gateway RSS per idle stream')!;
    expect(rss.met).toBeNull();
    expect(rss.note).toMatch(/GC/);
  });

  it('says "not run" for the LangGraph target without --peer langgraph, and misses it when a margin is not reached', () => {
    const notRun = evaluateTargets(passing, relayWon, null).find((t) => t.id === 'f')!;
    expect(notRun.met).toBeNull();
    expect(notRun.note).toMatch(/not run/);
    const slowFirstEvent = comparePeer(side(1, 120), { ...side(12, 30), firstEvent1: { p50: 36, p99: 80 } }, 32);
    expect(evaluateTargets(passing, relayWon, slowFirstEvent).find((t) => t.id === 'f')!.met).toBe(false);
  });

  it('reports n/a rather than a verdict for what was not measured', () => {
    const met = metOf({ ...passing, runs_per_s: null, redis_commands_per_run: null }, null);
    expect(met['runs/s vs BullMQ no-op jobs/s, 32 clients']).toBeNull();
    expect(met['Redis commands per run']).toBeNull();
    expect(met['relay p50 and p99 vs resumable-stream']).toBeNull();
  });
});

describe('relayVsPeer', () => {
  it('counts the repeats where both p50 and p99 are at most the peer’s', () => {
    expect(relayVsPeer(relayWon)).toMatchObject({ met: true, ratio: '4/4' });
    const p50Lost = { ...relayWon, koda: { ...relayWon.koda, p50: [0.5, 0.8, 0.5, 0.5] } };
    expect(relayVsPeer(p50Lost)).toMatchObject({ met: false, ratio: '3/4' });
    const p99Lost = { ...relayWon, koda: { ...relayWon.koda, p99: [3, 4, 3, 4.5] } };
    expect(relayVsPeer(p99Lost)).toMatchObject({ met: false, ratio: '3/4' });
  });
});
