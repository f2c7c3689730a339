import { publishNsOf, SseFrameReader } from './sse-frames';

describe('SseFrameReader', () => {
  it('splits frames across arbitrary chunk boundaries', () => {
    const reader = new SseFrameReader();
    const text = 'id: 1-0\ndata: {"a":1}\n\n: ping\n\nid: 2-0\ndata: [DONE]\n\n';
    const frames = [...text].flatMap((ch) => reader.feed(ch));
    expect(frames).toEqual([
      { id: '1-0', data: '{"a":1}' },
      { id: '2-0', data: '[DONE]' },
    ]);
  });

  it('keeps the event name of named events', () => {
    expect(new SseFrameReader().feed('event: custom\ndata: {"delta":"a"}\n\n')).toEqual([{ event: 'custom', data: '{"delta":"a"}' }]);
  });

  it('skips comment-only frames and tolerates CRLF', () => {
    expect(new SseFrameReader().feed(': ping\n\ndata: x\r\n\n')).toEqual([{ data: 'x' }]);
  });
});

describe('publishNsOf', () => {
  it('reads the stamp without parsing the JSON', () => {
    expect(publishNsOf('{"type":"token","publish_ns":"123456789012"}')).toBe(123456789012n);
    expect(publishNsOf('{"type":"start"}')).toBeNull();
  });
});
