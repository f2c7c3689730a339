import { isTerminalEvent, type ErrorCode, type ErrorEvent } from '@koda/contracts';
import type { RelayEntry } from './relay-entry';

/**
 * An `error` event this gateway writes to its own clients without storing it (Redis is full,
 * or nothing could end the run in its log). It has no log id, so it is sent without `id:`.
 */
export function gatewayErrorEntry(runId: string, code: ErrorCode, message: string, fatal: boolean): RelayEntry {
  const event: ErrorEvent = { type: 'error', run_id: runId, timestamp: new Date().toISOString(), code, message, error: message, fatal };
  return { id: '', json: JSON.stringify(event), event, terminal: isTerminalEvent(event) };
}
