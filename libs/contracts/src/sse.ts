import type { RunEvent } from './events';

/** SSE framing, shared by the gateway (writer) and the client library (reader). */
export const SSE_DONE = '[DONE]';
export const SSE_HEARTBEAT_MS = 15_000;

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};

export function sseEvent(id: string, event: RunEvent | string): string {
  const data = typeof event === 'string' ? event : JSON.stringify(event);
  return `id: ${id}\ndata: ${data}\n\n`;
}

/** The same, from an event already serialised as stored in the log (no re-encoding). */
export function sseRawEvent(id: string, json: string): string {
  return `id: ${id}\ndata: ${json}\n\n`;
}

export const sseDone = (): string => `data: ${SSE_DONE}\n\n`;
export const sseComment = (text = 'ping'): string => `: ${text}\n\n`;
