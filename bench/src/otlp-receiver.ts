import * as http from 'http';
import type { AddressInfo } from 'net';

/**
 * A local OTLP/HTTP receiver for the traced stack: answers every export at once and counts the
 * spans (by their `spanId` keys, without parsing: the bench's own CPU is accounted too).
 */
export async function startOtlpReceiver(): Promise<{ url: string; spans(): number; exports(): number; close(): Promise<void> }> {
  let spans = 0;
  let exports = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        exports++;
        spans += body.split('"spanId"').length - 1;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans: () => spans,
    exports: () => exports,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
