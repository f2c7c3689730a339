import type { RunEvent } from '@koda/contracts';
import { errorFromEvent } from './errors';
import { segmentOf, type RunState } from './run-state';
import type { RunHandlers } from './types';

/**
 * Calls a UI callback so that a throwing callback cannot break the stream: its error is
 * re-thrown on its own task, where it shows up as an uncaught error instead of silently
 * stopping the run's updates (the seed's failure mode).
 */
export function safely<A extends unknown[]>(callback: ((...args: A) => void) | undefined, ...args: A): void {
  if (!callback) return;
  try {
    callback(...args);
  } catch (error) {
    setTimeout(() => {
      throw error;
    }, 0);
  }
}

/** Tells the handlers about one new event, already folded into `state`. */
export function dispatchEvent(handlers: RunHandlers, event: RunEvent, id: string | undefined, state: RunState): void {
  safely(handlers.onEvent, event, id, state);
  switch (event.type) {
    case 'token': {
      const segment = segmentOf(state, event.node, event.agent, event.turn);
      if (segment) safely(handlers.onToken, event, segment, state);
      break;
    }
    case 'agent_message':
      safely(handlers.onAgentMessage, event, state);
      break;
    case 'error':
      safely(handlers.onError, errorFromEvent(event), state);
      break;
    case 'complete':
      safely(handlers.onComplete, event.result, state);
      break;
  }
  safely(handlers.onUpdate, state);
}

/**
 * A light structural check of a decoded frame. Full validation lives server-side (zod, in
 * `@koda/contracts`); the client only refuses what it could not fold, and keeps unknown
 * event types (a newer gateway may add some) for `onEvent`.
 */
export function decodeEvent(data: string): RunEvent | undefined {
  try {
    const value = JSON.parse(data) as { type?: unknown; run_id?: unknown };
    return value && typeof value.type === 'string' && typeof value.run_id === 'string' ? (value as RunEvent) : undefined;
  } catch {
    return undefined;
  }
}
