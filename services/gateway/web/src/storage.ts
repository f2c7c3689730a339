import type { ChatMode } from '@koda/contracts';
import type { RunState } from '@koda/client';

/** What survives a reload: the conversation's id, the chosen mode, and a run still in flight. */
const KEYS = { session: 'koda.session_id', mode: 'koda.mode', run: 'koda.run' } as const;

/** A run in flight, with its state as of `state.lastEventId`: a reloaded page resumes after it. */
export interface InflightRun {
  runId: string;
  sessionId?: string;
  message: string;
  /** When the message was sent (ISO-8601), shown again under it after a reload. */
  sentAt: string;
  mode: ChatMode;
  state: RunState;
}

// localStorage can throw (private mode, quota, disabled storage): the chat still works, only forgets.
function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // see above
  }
}

export const storage = {
  sessionId: (): string | null => read(KEYS.session),
  setSessionId: (id: string | null) => write(KEYS.session, id),
  mode: (): string | null => read(KEYS.mode),
  setMode: (mode: ChatMode) => write(KEYS.mode, mode),
  inflight(): InflightRun | null {
    const raw = read(KEYS.run);
    if (!raw) return null;
    try {
      const run = JSON.parse(raw) as InflightRun;
      return typeof run.runId === 'string' && run.state && Array.isArray(run.state.segments) ? run : null;
    } catch {
      return null;
    }
  },
  setInflight: (run: InflightRun | null) => write(KEYS.run, run ? JSON.stringify(run) : null),
};
