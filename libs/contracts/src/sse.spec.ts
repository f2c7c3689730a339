import { sseComment, sseDone, sseEvent } from './sse';

describe('SSE framing', () => {
  it('frames an event with its id and one data line', () => {
    const frame = sseEvent('1-0', { type: 'token', run_id: 'r', timestamp: 't', node: 'plume', delta: 'a\nb' });
    expect(frame).toBe('id: 1-0\ndata: {"type":"token","run_id":"r","timestamp":"t","node":"plume","delta":"a\\nb"}\n\n');
  });
  it('ends with [DONE] and pings with a comment', () => {
    expect(sseDone()).toBe('data: [DONE]\n\n');
    expect(sseComment()).toBe(': ping\n\n');
  });
});

describe('stream entries', () => {
  const { streamEntryJson } = jest.requireActual('./keys');
  it('finds the JSON field by name, never a value that looks like it', () => {
    expect(streamEntryJson(['e', '{"a":1}'])).toBe('{"a":1}');
    expect(streamEntryJson(['x', 'e', 'e', '{}'])).toBe('{}');
    expect(streamEntryJson(['x', 'e'])).toBeUndefined();
  });
});
