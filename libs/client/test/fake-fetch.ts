import type { FetchLike } from '../src/types';

/** How one scripted connection behaves after sending its chunks. */
export type Ending = 'close' | 'cut' | 'hang';

export interface Scripted {
  status?: number;
  headers?: Record<string, string>;
  chunks?: string[];
  ending?: Ending;
  json?: unknown;
  /** No response at all: the call fails as undici's fetch does, with this code as its cause. */
  networkError?: string;
}

export interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** A fetch answering from a script, one entry per call, recording what it was asked. */
export function fakeFetch(script: Scripted[]): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init = {}) => {
    calls.push({ url, method: init.method ?? 'GET', headers: { ...(init.headers as Record<string, string>) }, body: init.body as string | undefined });
    const next = script.shift();
    if (!next) throw new TypeError('fetch failed (no more scripted responses)');
    if (next.networkError) throw new TypeError('fetch failed', { cause: { code: next.networkError } });
    if (next.json !== undefined)
      return new Response(JSON.stringify(next.json), { status: next.status ?? 200, headers: { 'content-type': 'application/json' } });
    return new Response(body(next, init.signal ?? undefined), {
      status: next.status ?? 200,
      headers: { 'content-type': 'text/event-stream', ...next.headers },
    });
  };
  return { fetch, calls };
}

function body(scripted: Scripted, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const chunks = [...(scripted.chunks ?? [])];
  // Pull-based, one chunk per read: erroring a stream discards what is still queued in it.
  return new ReadableStream({
    pull(controller) {
      const chunk = chunks.shift();
      if (chunk !== undefined) return controller.enqueue(encoder.encode(chunk));
      if (scripted.ending === 'cut') controller.error(new TypeError('terminated'));
      else if (scripted.ending === 'hang')
        return new Promise<void>((resolve) =>
          signal?.addEventListener('abort', () => (controller.error(new DOMException('aborted', 'AbortError')), resolve())),
        );
      else controller.close();
    },
  });
}
