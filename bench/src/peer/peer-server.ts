import * as http from 'http';
import Redis from 'ioredis';
import { createResumableStreamContext } from 'resumable-stream/ioredis';

/**
 * The peer under comparison: an SSE server built on Vercel's `resumable-stream` (v2, ioredis
 * adapter), in its own process as KODA's gateway is. `GET /stream/:id` follows a stream whose
 * producer lives elsewhere (the bench driver), so every chunk crosses Redis (pub/sub) on its
 * way to the HTTP client: the same path KODA's events take (producer → Redis → server → client).
 */
const port = Number(process.env.PEER_PORT);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const name = process.env.PEER_CONNECTION_NAME ?? 'bench-peer';

const context = createResumableStreamContext({
  keyPrefix: process.env.PEER_KEY_PREFIX,
  // A long-lived server: nothing to keep alive past a request.
  waitUntil: null,
  publisher: new Redis(redisUrl, { connectionName: `${name}:pub` }),
  subscriber: new Redis(redisUrl, { connectionName: `${name}:sub` }),
});

const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};

async function serve(streamId: string, res: http.ServerResponse): Promise<void> {
  const stream = await context.resumeExistingStream(streamId);
  if (!stream) {
    res.writeHead(stream === null ? 422 : 404).end();
    return;
  }
  // Same socket settings as KODA's SseResponse, so neither side wins on Nagle.
  res.writeHead(200, SSE_HEADERS);
  res.socket?.setNoDelay(true);
  res.flushHeaders();
  const reader = stream.getReader();
  res.once('close', () => void reader.cancel().catch(() => undefined));
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    res.write(value);
  }
  res.end();
}

const server = http.createServer((req, res) => {
  const match = /^\/stream\/([^/?]+)$/.exec(req.url ?? '');
  if (req.method !== 'GET' || !match) {
    res.writeHead(404).end();
    return;
  }
  serve(decodeURIComponent(match[1]), res).catch((err: Error) => {
    if (res.headersSent) res.destroy(err);
    else res.writeHead(500).end(err.message);
  });
});

server.listen(port, '127.0.0.1', () => process.stdout.write(`ready ${port}\n`));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    process.exit(0);
  });
}
