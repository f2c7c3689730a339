import type { AgentNode, ErrorCode, ErrorEvent } from '@koda/contracts';

/** Failures the client itself detects, beside the run's own error codes. */
export type ClientErrorCode =
  /** The gateway refused the request (400: a bad field; 413: too large). */
  | 'invalid_request'
  /** The run is unknown, or its log expired. */
  | 'not_found'
  /** Reconnection gave up, or the first request failed before the run had an id. */
  | 'connection_lost'
  /** The stream broke the SSE contract (e.g. `[DONE]` with no terminal event). */
  | 'protocol'
  /** Any other HTTP failure. */
  | 'http';

/** One bad field of a 400, as the gateway names it. */
export interface FieldProblem {
  field: string;
  errors: string[];
}

/** One error, from the run (an `error` event) or from the client (HTTP, connection). */
export interface KodaError {
  source: 'run' | 'client';
  code: ErrorCode | ClientErrorCode;
  message: string;
  /** A fatal error ends the run; a non-fatal one (a retry) is only news. */
  fatal: boolean;
  node?: AgentNode;
  status?: number;
  fields?: FieldProblem[];
  event?: ErrorEvent;
  /** The address a client failure concerns (e.g. the gateway that did not answer). */
  url?: string;
}

export const errorFromEvent = (event: ErrorEvent): KodaError => ({
  source: 'run',
  code: event.code,
  message: event.message,
  fatal: event.fatal,
  node: event.node,
  event,
});

export const clientError = (code: ClientErrorCode, message: string, extra: Partial<KodaError> = {}): KodaError => ({
  source: 'client',
  code,
  message,
  fatal: true,
  ...extra,
});

/** An HTTP call (notes, sessions, cancel) answered with an error status. */
export class KodaHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'KodaHttpError';
  }

  get fields(): FieldProblem[] | undefined {
    const fields = (this.body as { fields?: unknown } | undefined)?.fields;
    return Array.isArray(fields) ? (fields as FieldProblem[]) : undefined;
  }

  toKodaError(): KodaError {
    const code = this.status === 404 ? 'not_found' : this.status === 400 || this.status === 413 ? 'invalid_request' : 'http';
    return clientError(code, this.message, { status: this.status, fields: this.fields });
  }
}

/** Reads an error response into a KodaHttpError, with the gateway's message when it gave one. */
export async function httpErrorOf(res: Response): Promise<KodaHttpError> {
  const text = await res.text().catch(() => '');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return new KodaHttpError(res.status, describeBody(body) ?? `HTTP ${res.status} ${res.statusText}`.trim(), body);
}

function describeBody(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return typeof body === 'string' && body ? body.slice(0, 300) : undefined;
  const { message } = body as { message?: unknown };
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' && message ? message : undefined;
}
