import type { PeerSide } from '../peer-compare';

/** One side of a KODA-vs-peer comparison for the specs: every latency, CPU and RSS figure scaled by `scale`. */
export const peerSide = (scale: number, runsPerS: number): PeerSide => ({
  firstEvent1: { p50: 5 * scale, p99: 10 * scale },
  firstToken1: { p50: 8 * scale, p99: 15 * scale },
  firstEventN: { p50: 20 * scale, p99: 40 * scale },
  firstTokenN: { p50: 30 * scale, p99: 60 * scale },
  runsPerS,
  cpuMsPerRun: 3 * scale,
  rssKbPerOpenStream: 20 * scale,
});
