import {
  context,
  createContextKey,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { OtlpJsonExporter } from './otlp-json-exporter';

/**
 * One trace per run (OpenTelemetry). Off unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set: then no
 * provider exists, spans are the API's non-recording ones and no `traceparent` is written
 * anywhere. On: spans go out over OTLP/HTTP JSON in batches. The first service of a process
 * names it (`service.name`); every span says which service made it (`koda.service`).
 */
let provider: TracerProvider | null = null;
let tracer: Tracer = trace.getTracer('koda');
/** The process's first service: what a span says it came from when no enclosing span says. */
let processService = 'koda';
/** The service of the enclosing span, so a span made in shared code (the finish script) names it. */
const SERVICE = createContextKey('koda.service');
const NOT_RECORDING = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

export interface TracingOptions {
  endpoint?: string;
  service: string;
}

/** Starts exporting once per process; later calls (other services of the same process) do nothing. */
export function initTracing(options: TracingOptions): void {
  if (provider || !options.endpoint) return;
  processService = options.service;
  const url = `${options.endpoint.replace(/\/+$/, '')}/v1/traces`;
  provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': `koda-${options.service}` }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OtlpJsonExporter(url), scheduledDelayMillis: 500 })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  tracer = provider.getTracer('koda');
}

/** Sends the spans still buffered (on shutdown). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush().catch(() => undefined);
}

/** The W3C `traceparent` of the active span, or undefined when tracing is off. */
export function currentTraceparent(): string | undefined {
  if (!provider) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** The trace id in a `traceparent` (for logs). */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent?.split('-')[1];
}

/**
 * Runs `fn` in a span, child of `parent` (a `traceparent` from a job or event) or of the active
 * span; records a thrown error and ends the span either way.
 */
export async function withSpan<T>(
  name: string,
  options: { service?: string; parent?: string; kind?: SpanKind; attributes?: Attributes },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  if (!provider) return fn(NOT_RECORDING);
  const parent = options.parent ? propagation.extract(context.active(), { traceparent: options.parent }) : context.active();
  const service = options.service ?? (context.active().getValue(SERVICE) as string | undefined) ?? processService;
  const span = tracer.startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: { 'koda.service': service, ...options.attributes } }, parent);
  try {
    return await context.with(trace.setSpan(parent, span).setValue(SERVICE, service), () => fn(span));
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
    throw error;
  } finally {
    span.end();
  }
}

/**
 * A span of a run's trace from code that runs both inside a job's span and outside any (the
 * finish script, called by the gateway on cancel): under the active span when there is one,
 * else under the run's `traceparent`; no span at all when the run has no trace.
 */
export function withRunSpan<T>(
  name: string,
  traceparent: string | undefined,
  options: { kind?: SpanKind; attributes?: Attributes },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  if (!provider) return fn(NOT_RECORDING);
  const active = trace.getSpan(context.active());
  if (active && isSpanContextValid(active.spanContext())) return withSpan(name, options, fn);
  if (!traceparent) return fn(NOT_RECORDING);
  return withSpan(name, { ...options, parent: traceparent }, fn);
}

/** Runs `fn` as `service`: spans it makes without an enclosing span (a timer's, a cancel's) say so. */
export function inService<T>(service: string, fn: () => Promise<T>): Promise<T> {
  if (!provider) return fn();
  return context.with(context.active().setValue(SERVICE, service), fn);
}

export { SpanKind };
