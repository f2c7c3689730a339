import { aheadText, comparePeer, peerVerdict, type PeerSide } from './peer-compare';
import { peerSide } from './testing/peer-side';

const side = peerSide;

const byKey = (koda: PeerSide, peer: PeerSide) => Object.fromEntries(comparePeer(koda, peer, 32).map((f) => [f.key, f]));

describe('comparePeer', () => {
  it('gives KODA ÷ peer and how far ahead KODA is, lower- and higher-is-better alike', () => {
    const f = byKey(side(1, 120), side(12, 30));
    expect(f.first_event_1_client_p50_ms.ratio).toBeCloseTo(1 / 12);
    expect(f.first_event_1_client_p50_ms.aheadBy).toBeCloseTo(12);
    expect(f.runs_per_s.ratio).toBeCloseTo(4);
    expect(f.runs_per_s.aheadBy).toBeCloseTo(4);
  });

  it('holds first event to 10×, runs/s to 3×, the rest to merely ahead', () => {
    const f = byKey(side(1, 89), side(9, 30));
    expect(f.first_event_1_client_p50_ms.met).toBe(false);
    expect(f.first_token_1_client_p50_ms.met).toBe(true);
    expect(f.runs_per_s.met).toBe(false);
    expect(byKey(side(1, 90), side(10, 30)).runs_per_s.met).toBe(true);
    expect(byKey(side(1, 90), side(10, 30)).first_event_p99_ms.met).toBe(true);
  });

  it('misses the verdict if any figure is behind, and has none when the phase did not run', () => {
    const ahead = comparePeer(side(1, 120), side(12, 30), 32);
    expect(peerVerdict(ahead)).toEqual({ met: true, missed: [] });
    const behindOnRss = comparePeer({ ...side(1, 120), rssKbPerOpenStream: 500 }, side(12, 30), 32);
    expect(peerVerdict(behindOnRss)).toEqual({ met: false, missed: ['RSS per open stream'] });
    expect(peerVerdict(comparePeer(undefined, undefined, 32)).met).toBeNull();
  });

  it('treats a figure of zero or less as not measured (an RSS delta a GC swamped)', () => {
    const f = byKey({ ...side(1, 120), rssKbPerOpenStream: -7 }, side(12, 30));
    expect(f.rss_kb_per_open_stream).toMatchObject({ koda: null, ratio: null, met: null });
    expect(peerVerdict(comparePeer({ ...side(1, 120), rssKbPerOpenStream: -7 }, side(12, 30), 32)).met).toBe(false);
  });

  it('says ahead or behind in words', () => {
    expect(aheadText(12.83)).toBe('ahead by 12.8×');
    expect(aheadText(0.5)).toBe('behind by 2.0×');
    expect(aheadText(null)).toBe('n/a');
  });
});
