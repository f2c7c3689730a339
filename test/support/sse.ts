import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { RunEvent } from '@koda/contracts';

export interface SseFrame {
  id?: string;
  data: string;
  event?: RunEvent;
}

export interface SseResult {
  status: number;
  headers: Headers;
  frames: SseFrame[];
  /** The run's events (frames other than `[DONE]`). */
  events: RunEvent[];
  ids: string[];
  done: boolean;
  raw: string;
}

/** Reads a whole SSE response (until the server closes it), parsed with a real SSE parser. */
export async function readSse(url: string, init: RequestInit = {}, until?: (frame: SseFrame) => boolean): Promise<SseResult> {
  const controller = new AbortController();
  const res = await fetch(url, { ...init, signal: controller.signal });
  const frames: SseFrame[] = [];
  let raw = '';
  let stop = false;
  const parser = createParser({
    onEvent: (message: EventSourceMessage) => {
      const frame: SseFrame = { id: message.id, data: message.data };
      if (message.data !== '[DONE]') frame.event = JSON.parse(message.data);
      frames.push(frame);
      if (until?.(frame)) stop = true;
    },
  });
  if (res.body && res.headers.get('content-type')?.startsWith('text/event-stream')) {
    const decoder = new TextDecoder();
    const reader = res.body.getReader();
    while (!stop) {
      const { value, done } = await reader.read();
      if (done) break;
      const text = decoder.decode(value, { stream: true });
      raw += text;
      parser.feed(text);
    }
    if (stop) controller.abort();
  } else {
    raw = await res.text();
  }
  const events = frames.filter((f) => f.event).map((f) => f.event!);
  return {
    status: res.status,
    headers: res.headers,
    frames,
    events,
    ids: frames.filter((f) => f.id).map((f) => f.id!),
    done: frames.some((f) => f.data === '[DONE]'),
    raw,
  };
}

export const postJson = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

export function streamRun(baseUrl: string, body: unknown, until?: (frame: SseFrame) => boolean): Promise<SseResult> {
  return readSse(
    `${baseUrl}/api/v1/chat/orchestrated/stream`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    until,
  );
}
