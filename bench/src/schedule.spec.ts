import { dueAtMs, planFor, runSchedule } from './schedule';

describe('the relay publishing schedule', () => {
  it('sizes a plan from a duration and an interval', () => {
    expect(planFor(4, 1000, 20)).toEqual({ streams: 4, eventsPerStream: 50, intervalMs: 20 });
  });

  it('staggers streams evenly across the interval', () => {
    const plan = planFor(4, 1000, 20);
    expect([0, 1, 2, 3, 4].map((k) => dueAtMs(plan, k))).toEqual([0, 5, 10, 15, 20]);
  });

  it('publishes every event of every stream, in order per stream', async () => {
    const seen: [number, number][] = [];
    await runSchedule({ streams: 3, eventsPerStream: 4, intervalMs: 2 }, (stream, seq) => seen.push([stream, seq]));
    expect(seen).toHaveLength(12);
    for (let s = 0; s < 3; s++) expect(seen.filter(([stream]) => stream === s).map(([, seq]) => seq)).toEqual([0, 1, 2, 3]);
  });
});
