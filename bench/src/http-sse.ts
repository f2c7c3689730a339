import * as http from 'http';
import { SseFrameReader, type SseFrame } from './sse-frames';

export interface SseRequest {
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
  agent: http.Agent | false;
  /** Every data frame, with the hrtime (ns) at which its chunk came off the socket. */
  onFrame(frame: SseFrame, receivedNs: bigint): void;
  /** The 200 response's headers arrived (a stream may stay silent after that). */
  onOpen?(): void;
}

export interface OpenSse {
  /** Resolves when the server ends the response; rejects on a non-200 or a socket error. */
  done: Promise<void>;
  close(): void;
}

/**
 * One SSE response over node:http. The receive time is taken once per socket chunk, before
 * any parsing, so the client's own parsing cost is not charged to the server being measured.
 */
export function openSse(request: SseRequest): OpenSse {
  const url = new URL(request.url);
  const headers: http.OutgoingHttpHeaders = { accept: 'text/event-stream' };
  if (request.body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(request.body);
  }
  let req!: http.ClientRequest;
  const done = new Promise<void>((resolve, reject) => {
    req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method: request.method ?? 'GET', headers, agent: request.agent },
      (res) => {
        if (res.statusCode !== 200) {
          collect(res).then(
            (text) => reject(new Error(`${request.method ?? 'GET'} ${url.pathname} answered ${res.statusCode}: ${text.slice(0, 300)}`)),
            reject,
          );
          return;
        }
        const reader = new SseFrameReader();
        request.onOpen?.();
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const receivedNs = process.hrtime.bigint();
          for (const frame of reader.feed(chunk)) request.onFrame(frame, receivedNs);
        });
        res.on('end', resolve);
        res.on('error', reject);
        res.on('aborted', () => reject(new Error(`${url.pathname}: response aborted`)));
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
  return { done, close: () => req.destroy() };
}

function collect(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (text += c));
    res.on('end', () => resolve(text));
    res.on('error', reject);
  });
}

export async function getJson<T>(url: string): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      collect(res).then((text) => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as T });
        } catch (err) {
          reject(err);
        }
      }, reject);
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error(`GET ${url} timed out`)));
  });
}

/** Runs `task` over `items` with at most `limit` in flight (opening thousands of sockets at once overflows the listen backlog). */
export async function withLimit<T>(items: T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
