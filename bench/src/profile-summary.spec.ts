import { compactRow, covers, groupWindows, hotspots, type CpuProfile } from './profile-summary';

// Three frames: a KODA function calling a dependency, and the idle node; one sample per 1 ms from t = 1000 µs.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: 0 }, children: [2, 4] },
    { id: 2, callFrame: { functionName: 'readOnce', url: 'file:///repo/services/gateway/dist/relay/stream-reader-loop.js', lineNumber: 71 }, children: [3] },
    { id: 3, callFrame: { functionName: 'sendCommand', url: 'file:///repo/node_modules/ioredis/built/Redis.js', lineNumber: 353 } },
    { id: 4, callFrame: { functionName: '(idle)', url: '', lineNumber: 0 } },
  ],
  samples: [3, 3, 2, 4, 3, 4],
  timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
  startTime: 0,
  endTime: 6000,
};

describe('hotspots', () => {
  it('ranks self time and charges dependency time to the nearest KODA frame', () => {
    const h = hotspots(profile);
    expect(h.totalMs).toBe(6);
    expect(h.idleShare).toBeCloseTo(2 / 6);
    expect(h.self.map((f) => [f.name, f.ms])).toEqual([
      ['sendCommand built/Redis.js:354', 3],
      ['readOnce relay/stream-reader-loop.js:72', 1],
    ]);
    expect(h.byKodaFrame[0]).toMatchObject({ name: 'readOnce relay/stream-reader-loop.js:72', ms: 4 });
  });

  it('counts only the samples inside the windows, several windows of one phase adding up', () => {
    const h = hotspots(profile, [
      { name: 'e2e', fromUs: 1000, toUs: 2000 },
      { name: 'e2e', fromUs: 5000, toUs: 5000 },
    ]);
    expect(h.totalMs).toBe(3);
    expect(h.self[0]).toMatchObject({ name: 'sendCommand built/Redis.js:354', ms: 3 });
  });

  it('groups repeated windows by phase and tells which profiles a phase overlaps', () => {
    const windows = [
      { name: 'relay koda 32', fromUs: 1, toUs: 2 },
      { name: 'e2e', fromUs: 3, toUs: 4 },
      { name: 'relay koda 32', fromUs: 5, toUs: 6 },
    ];
    expect(groupWindows(windows).map(([name, w]) => [name, w.length])).toEqual([
      ['relay koda 32', 2],
      ['e2e', 1],
    ]);
    expect(covers({ startTime: 0, endTime: 2.5 }, [windows[1]])).toBe(false);
    expect(covers({ startTime: 0, endTime: 3.5 }, [windows[1]])).toBe(true);
  });

  it('prints one paste-ready Markdown row per service and phase', () => {
    expect(compactRow('e2e', 'gateway', hotspots(profile), 2)).toBe(
      '| e2e | gateway | 0.00 s | `sendCommand Redis.js:354` 75 · `readOnce stream-reader-loop.js:72` 25 | `readOnce stream-reader-loop.js:72` 100 |',
    );
  });
});
