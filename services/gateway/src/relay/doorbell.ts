import { STREAM_FIELD } from '@koda/contracts';
import type { RawStreamEntry } from './relay-entry';

/** One doorbell as the write script rings it: `<prev-id> <id> <json>` (see run-event-log.ts). */
export interface Doorbell {
  /** The entry before this one in the log (`0-0` for the first). */
  prev: string;
  /** This entry, as a raw stream entry (the same shape a read returns). */
  entry: RawStreamEntry;
}

/** Parses a doorbell message; null for anything else (an old-style ring carrying only an id). */
export function parseDoorbell(message: string): Doorbell | null {
  const first = message.indexOf(' ');
  const second = first < 0 ? -1 : message.indexOf(' ', first + 1);
  if (second < 0) return null;
  const id = message.slice(first + 1, second);
  return { prev: message.slice(0, first), entry: [id, [STREAM_FIELD, message.slice(second + 1)]] };
}

/** The run id of a doorbell channel (`<prefix>:run:{<runId>}:wake`). */
export function runIdOfDoorbell(channel: string): string {
  return channel.slice(channel.indexOf('{') + 1, channel.lastIndexOf('}'));
}
