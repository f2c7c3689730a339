/**
 * KODA beside the LangGraph JS server (`--peer langgraph`): the figures of issue #15 item 1,
 * each with KODA ÷ peer and how far ahead KODA is. Pure: unit-tested in peer-compare.spec.ts.
 */

/** What one system measured in the peer phase (same clients, same messages, same chunks). */
export interface PeerSide {
  firstEvent1: { p50: number; p99: number };
  firstToken1: { p50: number; p99: number };
  firstEventN: { p50: number; p99: number };
  firstTokenN: { p50: number; p99: number };
  runsPerS: number;
  /** CPU ms per run of the server side: KODA's five services and Redis; the peer's one process. */
  cpuMsPerRun: number;
  rssKbPerOpenStream: number;
}

export interface PeerFigure {
  key: string;
  name: string;
  unit: string;
  koda: number | null;
  peer: number | null;
  /** KODA ÷ peer. */
  ratio: number | null;
  /** How many times better KODA is (peer ÷ KODA when lower is better, KODA ÷ peer otherwise); < 1: behind. */
  aheadBy: number | null;
  /** The least `aheadBy` the issue asks for. */
  margin: number;
  met: boolean | null;
}

/** The margins measured before issue #15 (first event 10×, runs/s 3×); every other figure: ahead at all. */
export const PEER_MARGINS = { firstEvent: 10, runsPerS: 3, other: 1 } as const;

type Spec = [key: string, name: string, unit: string, pick: (s: PeerSide) => number, higherIsBetter: boolean, margin: number];

export function comparePeer(koda: PeerSide | undefined, peer: PeerSide | undefined, clients: number): PeerFigure[] {
  const specs: Spec[] = [
    ['first_event_1_client_p50_ms', 'POST → first event p50, 1 client', 'ms', (s) => s.firstEvent1.p50, false, PEER_MARGINS.firstEvent],
    ['first_event_1_client_p99_ms', 'POST → first event p99, 1 client', 'ms', (s) => s.firstEvent1.p99, false, PEER_MARGINS.firstEvent],
    ['first_token_1_client_p50_ms', 'POST → first token p50, 1 client', 'ms', (s) => s.firstToken1.p50, false, PEER_MARGINS.other],
    ['first_token_1_client_p99_ms', 'POST → first token p99, 1 client', 'ms', (s) => s.firstToken1.p99, false, PEER_MARGINS.other],
    ['first_event_p50_ms', `POST → first event p50, ${clients} clients`, 'ms', (s) => s.firstEventN.p50, false, PEER_MARGINS.firstEvent],
    ['first_event_p99_ms', `POST → first event p99, ${clients} clients`, 'ms', (s) => s.firstEventN.p99, false, PEER_MARGINS.firstEvent],
    ['first_token_p50_ms', `POST → first token p50, ${clients} clients`, 'ms', (s) => s.firstTokenN.p50, false, PEER_MARGINS.other],
    ['first_token_p99_ms', `POST → first token p99, ${clients} clients`, 'ms', (s) => s.firstTokenN.p99, false, PEER_MARGINS.other],
    ['runs_per_s', `runs/s, ${clients} clients`, '/s', (s) => s.runsPerS, true, PEER_MARGINS.runsPerS],
    ['cpu_ms_per_run', 'CPU ms per run (server side)', 'ms', (s) => s.cpuMsPerRun, false, PEER_MARGINS.other],
    ['rss_kb_per_open_stream', 'RSS per open stream', 'KB', (s) => s.rssKbPerOpenStream, false, PEER_MARGINS.other],
  ];
  return specs.map(([key, name, unit, pick, higherIsBetter, margin]) => {
    const k = koda ? finite(pick(koda)) : null;
    const p = peer ? finite(pick(peer)) : null;
    const ratio = k !== null && p !== null && p !== 0 ? k / p : null;
    const aheadBy = ratio === null || ratio === 0 ? null : higherIsBetter ? ratio : 1 / ratio;
    return { key, name, unit, koda: k, peer: p, ratio, aheadBy, margin, met: aheadBy === null ? null : aheadBy >= margin };
  });
}

/** Every figure here is positive; zero or less means it could not be measured (an RSS delta swamped by a GC). */
const finite = (v: number) => (Number.isFinite(v) && v > 0 ? v : null);

/** "ahead by 12.8×" / "behind by 1.5×". */
export function aheadText(aheadBy: number | null): string {
  if (aheadBy === null) return 'n/a';
  const times = (x: number) => (x >= 100 ? `${Math.round(x)}×` : `${x.toFixed(1)}×`);
  return aheadBy >= 1 ? `ahead by ${times(aheadBy)}` : `behind by ${times(1 / aheadBy)}`;
}

/** The verdict over every figure: met only when each is ahead by its margin; null when the phase did not run. */
export function peerVerdict(figures: PeerFigure[]): { met: boolean | null; missed: string[] } {
  if (figures.length === 0 || figures.every((f) => f.met === null)) return { met: null, missed: [] };
  const missed = figures.filter((f) => f.met !== true).map((f) => f.name);
  return { met: missed.length === 0, missed };
}
