import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'http';
import { KODA_CONFIG, LOGGER, type KodaConfig, type Logger } from '@koda/platform';
import { RunStreamRelay } from '../relay/run-stream-relay';
import { RequestsInFlight } from '../sse/client-presence';
import { RunStreamService } from '../sse/run-stream.service';

const POLL_MS = 50;

/**
 * Graceful shutdown within `KODA_SHUTDOWN_GRACE_MS`: stop taking work (503 with
 * `Retry-After`), close every SSE stream with `retry:` so its client resumes on another
 * replica from its `Last-Event-ID`, give waiting synchronous requests the grace to get their
 * answer, then end whatever is left, so the process can exit by the deadline whatever its
 * clients do.
 */
@Injectable()
export class GatewayLifecycle implements BeforeApplicationShutdown {
  private drainingSince: number | null = null;

  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly streams: RunStreamService,
    private readonly relay: RunStreamRelay,
    private readonly adapterHost: HttpAdapterHost,
    private readonly requests: RequestsInFlight,
  ) {}

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    if (this.draining) return;
    this.drainingSince = Date.now();
    const deadline = this.drainingSince + this.config.KODA_SHUTDOWN_GRACE_MS;
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    this.logger.info({ signal, streams: this.streams.openStreams, grace_ms: this.config.KODA_SHUTDOWN_GRACE_MS }, 'gateway draining');
    const streamsClosed = this.streams.closeAllForResume('shutting down');
    // Idle keep-alive connections go now; whatever is still open at the deadline (a client that
    // never finishes its request) is cut then, so the process can always exit in time.
    server?.closeIdleConnections?.();
    setTimeout(() => server?.closeAllConnections?.(), Math.max(0, deadline - Date.now())).unref();
    // Every request still being answered counts: a stream whose run was still starting when
    // the drain began opens (and is closed for resume) after the ones open then have gone.
    const busy = () => this.requests.count > 0 || this.streams.openStreams > 0 || this.relay.openSubscriptions > 0;
    while (busy() && Date.now() < deadline) await new Promise((r) => setTimeout(r, POLL_MS));
    await Promise.race([streamsClosed, new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())).unref())]);
    const left = this.relay.openSubscriptions;
    this.relay.abortAll('shutting down');
    this.logger.info({ cut_off: left, took_ms: Date.now() - this.drainingSince }, 'gateway drained');
  }
}
