import type { RunEvent } from '@koda/contracts';
import type { RunHandlers, RunState } from '@koda/client';

/** What a UI would have seen of a run: every event passed on, and the tokens' text. */
export function watch() {
  const seen = { events: [] as RunEvent[], ids: [] as string[], text: '', statuses: [] as string[], runIds: [] as string[], reconnects: [] as string[] };
  const handlers: RunHandlers = {
    onEvent: (event, id) => {
      seen.events.push(event);
      if (id) seen.ids.push(id);
    },
    onToken: (event) => void (seen.text += event.delta),
    onStatus: (status) => void (status.label && seen.statuses.push(status.label)),
    onRun: ({ runId }) => void seen.runIds.push(runId),
    onReconnect: ({ reason }) => void seen.reconnects.push(reason),
  };
  return { seen, handlers };
}

export const tokenCount = (state: RunState) => state.segments.reduce((n, s) => n + s.text.length, 0);

export const isStreamOf = (runPath: RegExp) => (req: { method?: string; url?: string }) => runPath.test(req.url ?? '');
