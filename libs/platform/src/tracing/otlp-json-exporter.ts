import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/** How long one export may take before it is given up (spans are dropped, never retried forever). */
const EXPORT_TIMEOUT_MS = 10_000;

/**
 * OTLP/HTTP with JSON bodies (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`), sent with `fetch`.
 * The SDK's own HTTP exporter loads `http` with a dynamic `import()`, which some runners
 * (Jest's VM among them) refuse; this one uses only what every Node has.
 */
export class OtlpJsonExporter implements SpanExporter {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly url: string) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const body = JsonTraceSerializer.serializeRequest(spans);
    if (!body) return done({ code: ExportResultCode.FAILED, error: new Error('spans could not be serialized') });
    const sending = fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(body),
      signal: AbortSignal.timeout(EXPORT_TIMEOUT_MS),
    })
      .then(async (res) => {
        await res.arrayBuffer().catch(() => undefined);
        done(res.ok ? { code: ExportResultCode.SUCCESS } : { code: ExportResultCode.FAILED, error: new Error(`OTLP receiver answered ${res.status}`) });
      })
      .catch((error: Error) => done({ code: ExportResultCode.FAILED, error }))
      .finally(() => this.pending.delete(sending));
    this.pending.add(sending);
  }

  async forceFlush(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  shutdown(): Promise<void> {
    return this.forceFlush();
  }
}
