import { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import { ERROR_CODES, type ErrorCode } from '@koda/contracts';
import { LlmError } from '../provider';
import { retryAfterMs } from './retry';

/**
 * Turns what the SDK throws into `LlmError`s whose messages an end user can read, and tells the
 * retry loop which failures are worth another attempt.
 */

/** A request that failed before any output: may another attempt succeed, and how to report it. */
export interface RequestFailure {
  transient: boolean;
  /** What the API asked us to wait before retrying, when it said. */
  retryAfterMs?: number;
  /** The error to throw once we stop trying, after `attempts` attempts (`why`: why we stopped). */
  toError(attempts: number, why?: string): LlmError;
}

/** 429s that no amount of waiting fixes: the organisation is out of budget. */
const SPEND_LIMIT_CODES = new Set(['contract_spend_limit_reached', 'enforced_spend_limit_reached']);

const gaveUp = (attempts: number) => (attempts > 1 ? ` — gave up after ${attempts} attempts` : '');

/** Classifies an error thrown while sending the request (before the stream started). */
export function classifyRequestError(err: unknown): RequestFailure {
  if (err instanceof APIConnectionError) return connectionFailure(err);
  if (err instanceof APIError && typeof err.status === 'number') return statusFailure(err as APIError, err.status);
  const message = err instanceof Error ? err.message : String(err);
  return permanent('llm_error', `The Anthropic API call failed: ${message}`);
}

function connectionFailure(err: APIConnectionError): RequestFailure {
  const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
  return {
    transient: true,
    toError: (n) => new LlmError('llm_error', `Could not reach the Anthropic API${cause}${gaveUp(n)}`, false),
  };
}

function statusFailure(err: APIError, status: number): RequestFailure {
  const failure = describeStatus(err, status);
  const header = err.headers?.get('x-should-retry');
  // The API's own verdict wins when it gives one, except for spend limits, which never clear.
  if (header === 'false') failure.transient = false;
  if (header === 'true' && !isSpendLimit(err)) failure.transient = true;
  return { ...failure, retryAfterMs: retryAfterMs(err.headers) };
}

function describeStatus(err: APIError, status: number): RequestFailure {
  const detail = apiDetail(err, status);
  if (status === 401 || status === 403) {
    return permanent('llm_auth', `The Anthropic API refused our credentials${detail}. Check ANTHROPIC_API_KEY.`);
  }
  if (isSpendLimit(err)) {
    return permanent('llm_invalid_request', `The Anthropic account has reached its spend limit${detail}.`);
  }
  if (status === 402) return permanent('llm_invalid_request', `The Anthropic account cannot be billed${detail}.`);
  if (status === 429) return transient('llm_rate_limited', `The Anthropic API rate limit was reached${detail}`);
  if (status === 529 || err.type === 'overloaded_error') {
    return transient('llm_overloaded', `The Anthropic API is overloaded${detail}`);
  }
  if (status === 408 || status === 409 || status >= 500) {
    return transient('llm_error', `The Anthropic API failed${detail}`);
  }
  return permanent('llm_invalid_request', `The Anthropic API rejected the request${detail}`);
}

function isSpendLimit(err: APIError): boolean {
  return err.status === 429 && err.errorCode !== null && SPEND_LIMIT_CODES.has(err.errorCode);
}

/** " (529 overloaded_error: Overloaded)" — status, type and the API's own words. */
function apiDetail(err: APIError, status: number | undefined): string {
  const head = [status, err.type].filter((p) => p !== undefined && p !== null).join(' ');
  const words = err.apiMessage ? `: ${err.apiMessage}` : '';
  return head || words ? ` (${head}${words})` : '';
}

function permanent(code: ErrorCode, message: string): RequestFailure {
  return { transient: false, toError: () => new LlmError(code, message, false) };
}

function transient(code: ErrorCode, message: string): RequestFailure {
  return { transient: true, toError: (n, why) => new LlmError(code, `${message}${why ?? gaveUp(n)}`, false) };
}

/**
 * An error while reading the stream, after HTTP 200: an SSE `error` event (the SDK throws it as
 * an `APIError` without status) or a dropped connection. Starting the node over may succeed.
 */
export function streamError(err: unknown, outputStarted: boolean): LlmError {
  if (err instanceof LlmError) return err;
  if (err instanceof APIError && err.status === undefined && err.type) {
    const detail = apiDetail(err as APIError, undefined);
    if (err.type === 'overloaded_error') {
      return new LlmError('llm_overloaded', `The Anthropic API became overloaded while answering${detail}`, true, outputStarted);
    }
    if (err.type === 'rate_limit_error') {
      return new LlmError('llm_rate_limited', `The Anthropic API rate limit was reached while answering${detail}`, true, outputStarted);
    }
    return new LlmError('llm_error', `The Anthropic API failed while answering${detail}`, true, outputStarted);
  }
  const message = err instanceof Error ? `: ${err.message}` : '';
  return new LlmError('llm_error', `The connection to the Anthropic API broke while answering${message}`, true, outputStarted);
}

/**
 * The error to throw when the caller's signal aborted. The caller knows why (cancel or run
 * deadline) and says so through `signal.reason`; keep it when it carries an error code.
 */
export function abortError(signal: AbortSignal, outputStarted: boolean): LlmError {
  const reason: unknown = signal.reason;
  if (reason instanceof LlmError) return reason;
  if (hasErrorCode(reason)) {
    const retryable = typeof reason.retryable === 'boolean' ? reason.retryable : false;
    return new LlmError(reason.code, reason.message ?? 'The request was stopped', retryable, outputStarted);
  }
  return new LlmError('cancelled', 'The request was cancelled', false, outputStarted);
}

function hasErrorCode(value: unknown): value is { code: ErrorCode; message?: string; retryable?: unknown } {
  const code = (value as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}
