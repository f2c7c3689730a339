import type { RunEvent } from '@koda/contracts';
import type { KodaClient, RunOutcome } from '@koda/client';

export interface RunRecord {
  /** Every event of the run, in order, with its SSE id. */
  events: { id: string | undefined; event: RunEvent }[];
  outcome: RunOutcome;
}

/** Replays a run from its log (from the start, or after `lastEventId`) until its terminal event. */
export async function readRunEvents(client: KodaClient, runId: string, lastEventId?: string): Promise<RunRecord> {
  const events: RunRecord['events'] = [];
  const handle = client.joinRun(runId, { lastEventId }, { onEvent: (event, id) => events.push({ id, event }) });
  const outcome = await handle.done;
  return { events, outcome };
}
