import { readKodaFrame } from './e2e-load';
import { langGraphTarget, readLangGraphFrame } from './langgraph-peer';
import { SseFrameReader } from './sse-frames';

describe("reading the LangGraph server's SSE", () => {
  const wire = [
    'event: metadata\ndata: {"run_id":"01a22bb7-3a43-74b9-9776-f0f98073484e","attempt":1}\n\n',
    'event: custom\ndata: {"type":"token","delta":"Hello "}\n\n',
    'event: custom\ndata: {"type":"token","delta":"world."}\n\n',
  ].join('');

  it('counts metadata as the first event and each custom event as a token', () => {
    const meanings = new SseFrameReader().feed(wire).map(readLangGraphFrame);
    expect(meanings).toEqual([{}, { token: true, delta: 'Hello ' }, { token: true, delta: 'world.' }]);
  });

  it('reads an error event as the run failing', () => {
    const [frame] = new SseFrameReader().feed('event: error\ndata: {"error":"GraphRecursionError","message":"too deep"}\n\n');
    expect(readLangGraphFrame(frame)).toEqual({ failure: 'too deep' });
  });

  it('posts a stateless run in custom stream mode, complete when the stream ends', () => {
    const target = langGraphTarget('http://127.0.0.1:1');
    expect(target.url).toBe('http://127.0.0.1:1/runs/stream');
    expect(JSON.parse(target.body('hi'))).toEqual({ assistant_id: 'plume', input: { message: 'hi' }, stream_mode: ['custom'] });
    expect(target.completeAtEnd).toBe(true);
  });
});

describe("reading KODA's SSE", () => {
  it('reads tokens, the terminal event, fatal errors and [DONE]', () => {
    const event = (body: object) => ({ data: JSON.stringify({ run_id: 'r', timestamp: '2026-11-30T00:00:00.000Z', ...body }) });
    expect(readKodaFrame(event({ type: 'token', node: 'plume', delta: 'Bon' }))).toMatchObject({ token: true, complete: false, delta: 'Bon' });
    expect(readKodaFrame(event({ type: 'complete' }))).toMatchObject({ token: false, complete: true });
    expect(readKodaFrame(event({ type: 'error', fatal: true, message: 'boom' }))).toMatchObject({ failure: 'boom' });
    expect(readKodaFrame({ data: '[DONE]' })).toEqual({ done: true });
  });
});
