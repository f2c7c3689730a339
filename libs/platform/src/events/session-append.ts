import type Redis from 'ioredis';
import { keys, LOCAL_USER, STREAM_FIELD } from '@koda/contracts';
import { withRetries } from '../redis/backoff';

/**
 * The second half of finishing a run (the first is FINISH_SCRIPT in run-event-log.ts).
 *
 * A run's keys hash to `{run_id}` and its session's to `{user:session}`: on a Redis Cluster
 * they live in different slots, often on different masters, and no script may touch both. So
 * the finish script writes the terminal event and, in the run's own slot, a "session append
 * pending" record holding the messages. Then this appends them to the session log, once per
 * run id (the session's `appended` set, in the session's slot, is checked and updated by the
 * same script that appends), and deletes the record. Every step can be repeated:
 * - the finisher retries the append a few times;
 * - a finisher that died in between leaves the record, which the next finish attempt of the
 *   run (a retried agent finish, a racing cancel, the watchdog: they all find the run ended
 *   and settle it) or the next reader of the session (`readSession`) appends;
 * - an append whose reply was lost and is sent again finds the run id in `appended`.
 * A run accepted before its session was deleted (its `seq` at or below the session's
 * `deleted-through`, KEYS[3]) appends nothing: a late append must not bring the conversation back.
 */
const APPEND_SESSION_SCRIPT = `
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 0 end
local seq = tonumber(ARGV[3])
if seq and seq <= tonumber(redis.call('GET', KEYS[3]) or '0') then return 0 end
local session = redis.call('TYPE', KEYS[1]).ok
if session == 'stream' or session == 'none' then
  for i = 4, #ARGV do redis.call('XADD', KEYS[1], '*', ARGV[2], ARGV[i]) end
end
redis.call('SADD', KEYS[2], ARGV[1])
return 1`;

/** What the finish script stores in the run's slot for the session append. */
export interface PendingSessionAppend {
  user_id: string;
  session_id: string;
  /** The run's place in the session's acceptance order (absent on runs accepted before it existed). */
  seq?: number;
  /** Each session message, as the JSON written to the session log. */
  messages: string[];
}

type SessionScripts = Redis & {
  kodaAppendSession(
    session: string,
    appended: string,
    deletedThrough: string,
    runId: string,
    field: string,
    seq: string,
    ...messages: string[]
  ): Promise<number>;
};

function withScript(redis: Redis): SessionScripts {
  const scripted = redis as SessionScripts;
  if (typeof scripted.kodaAppendSession !== 'function') redis.defineCommand('kodaAppendSession', { numberOfKeys: 3, lua: APPEND_SESSION_SCRIPT });
  return scripted;
}

export function pendingRecord(user: string | undefined, sessionId: string, seq: number | undefined, messages: string[]): string {
  const record: PendingSessionAppend = { user_id: user ?? LOCAL_USER, session_id: sessionId, ...(seq !== undefined && { seq }), messages };
  return JSON.stringify(record);
}

/**
 * Appends a finished run's pending session messages, if any are still pending; idempotent.
 * Returns true when nothing is left pending for the run.
 */
export async function settleSessionAppend(redis: Redis, prefix: string, runId: string): Promise<boolean> {
  const pendingKey = keys.runSessionPending(prefix, runId);
  const raw = await redis.get(pendingKey);
  if (raw === null) return true;
  let record: PendingSessionAppend;
  try {
    record = JSON.parse(raw) as PendingSessionAppend;
  } catch {
    await redis.del(pendingKey); // unreadable: nothing could ever append it
    return true;
  }
  await withScript(redis).kodaAppendSession(
    keys.sessionLog(prefix, record.user_id, record.session_id),
    keys.sessionAppended(prefix, record.user_id, record.session_id),
    keys.sessionDeletedThrough(prefix, record.user_id, record.session_id),
    runId,
    STREAM_FIELD,
    record.seq === undefined ? '' : String(record.seq),
    ...record.messages,
  );
  await redis.del(pendingKey);
  return true;
}

/** `settleSessionAppend`, retried with backoff a few times; false when it is still pending (recovered later). */
export async function settleSessionAppendWithRetries(redis: Redis, prefix: string, runId: string, attempts = 4): Promise<boolean> {
  return withRetries(() => settleSessionAppend(redis, prefix, runId), { attempts, backoff: { initialMs: 50, maxMs: 1000 } }).catch(() => false);
}

/** How many of a session's latest runs a reader checks for a pending append. */
const RECENT_RUNS = 5;

/**
 * The reader's share of the recovery: before a session is read, its latest runs' pending
 * appends (left by a finisher that died between the two steps) are settled. Best effort.
 */
export async function settleRecentRuns(redis: Redis, prefix: string, user: string | undefined, sessionId: string): Promise<void> {
  const runIds = await redis.zrevrange(keys.sessionRuns(prefix, user ?? LOCAL_USER, sessionId), 0, RECENT_RUNS - 1).catch(() => [] as string[]);
  for (const runId of runIds.reverse()) await settleSessionAppend(redis, prefix, runId).catch(() => false);
}
