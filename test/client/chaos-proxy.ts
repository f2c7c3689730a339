import * as http from 'http';
import type { AddressInfo } from 'net';

/** What the proxy does to the next response whose request matches. */
export interface Fault {
  match: (req: http.IncomingMessage) => boolean;
  /**
   * Cut the connection (mid-frame) or go silent, once `afterTokens` token frames went through;
   * or `lose`: the request reaches the gateway, its answer never reaches the client (the
   * connection is cut before the response's first byte).
   */
  action: 'cut' | 'stall' | 'lose';
  afterTokens: number;
}

export interface SeenRequest {
  method: string;
  url: string;
  lastEventId?: string;
  idempotencyKey?: string;
  /** The gateway's `Idempotent-Replayed` answer header, once its answer came. */
  replayed?: string;
}

/**
 * A small HTTP proxy in front of the real gateway, for breaking streams on purpose: it can cut
 * a response's TCP connection in the middle of an SSE frame, stall it (no byte, connection
 * open), or strip `Last-Event-ID` from resumes (so the gateway replays from the start).
 */
export class ChaosProxy {
  readonly requests: SeenRequest[] = [];
  private faults: Fault[] = [];
  private stripLastEventId = false;
  private readonly stalled = new Set<http.ServerResponse>();

  private constructor(
    private readonly server: http.Server,
    private readonly target: URL,
  ) {}

  static async start(target: string): Promise<ChaosProxy> {
    const server = http.createServer();
    const proxy = new ChaosProxy(server, new URL(target));
    server.on('request', (req, res) => proxy.forward(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Arms one fault for the next matching response. */
  inject(fault: Fault): void {
    this.faults.push(fault);
  }

  /** From now on, resumes reach the gateway without their Last-Event-ID (it replays everything). */
  dropLastEventId(on = true): void {
    this.stripLastEventId = on;
  }

  async close(): Promise<void> {
    this.stalled.forEach((res) => res.destroy());
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const lastEventId = req.headers['last-event-id'] as string | undefined;
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      lastEventId,
      idempotencyKey: req.headers['idempotency-key'] as string | undefined,
    };
    this.requests.push(seen);
    const headers: http.OutgoingHttpHeaders = { ...req.headers, host: this.target.host };
    if (this.stripLastEventId) delete headers['last-event-id'];
    const index = this.faults.findIndex((f) => f.match(req));
    const fault = index >= 0 ? this.faults.splice(index, 1)[0] : undefined;
    const upstream = http.request(new URL(req.url ?? '/', this.target), { method: req.method, headers }, (up) => {
      seen.replayed = up.headers['idempotent-replayed'] as string | undefined;
      if (fault?.action === 'lose') {
        up.destroy();
        res.socket?.destroy();
        return;
      }
      res.writeHead(up.statusCode ?? 502, up.headers);
      res.socket?.setNoDelay(true);
      if (fault) this.breakAfter(fault, up, res);
      else up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  }

  private breakAfter(fault: Fault, up: http.IncomingMessage, res: http.ServerResponse): void {
    let tokens = 0;
    let broken = false;
    up.on('data', (chunk: Buffer) => {
      if (broken) return;
      tokens += chunk.toString('utf8').split('"type":"token"').length - 1;
      if (tokens < fault.afterTokens) return void res.write(chunk);
      broken = true;
      // Half of this frame goes through: the client holds a frame it must not use.
      res.write(chunk.subarray(0, Math.floor(chunk.length / 2)));
      if (fault.action === 'cut') {
        up.destroy();
        res.socket?.destroy();
      } else {
        this.stalled.add(res);
      }
    });
    up.on('end', () => !broken && res.end());
  }
}
