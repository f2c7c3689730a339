import { isTerminalEvent, parseRunEvent, streamEntryJson, type RunEvent } from '@koda/contracts';

/** One run-log entry as the relay hands it out: its id, its stored JSON and the parsed event. */
export interface RelayEntry {
  id: string;
  json: string;
  event: RunEvent;
  terminal: boolean;
}

export type RawStreamEntry = [id: string, fields: string[]];

/** Parses raw entries; a malformed one is reported and skipped, never thrown. */
export function toRelayEntries(raw: RawStreamEntry[], onMalformed: (id: string, reason: string) => void): RelayEntry[] {
  const entries: RelayEntry[] = [];
  for (const [id, fields] of raw) {
    const json = streamEntryJson(fields) ?? '';
    const parsed = parseRunEvent(json);
    if (parsed.ok) entries.push({ id, json, event: parsed.event, terminal: isTerminalEvent(parsed.event) });
    else onMalformed(id, parsed.reason);
  }
  return entries;
}
