import type Redis from 'ioredis';
import { keys, LOCAL_USER, SessionMessageSchema, streamEntryJson, type SessionMessage } from '@koda/contracts';
import type { Logger } from 'pino';
import { settleRecentRuns } from './session-append';

/**
/**
 * Folds a session log into the conversation in the order its messages were accepted (their
 * run's `seq`; messages without one, written before it existed, keep their place in the log,
 * which precedes every numbered one). Left out: rolled-back runs, malformed entries, and a run's
 * message already folded (same run and role: appends are idempotent by run id, and the fold
 * does not rely on it). Appends a finisher left pending are settled first; a late one still
 * lands in its place, by its `seq`.
 */
export async function readSession(redis: Redis, prefix: string, userId: string | undefined, sessionId: string, logger?: Logger): Promise<SessionMessage[]> {
  await settleRecentRuns(redis, prefix, userId, sessionId);
  const user = userId ?? LOCAL_USER;
  const [entries, rolledBack] = await Promise.all([
    redis.xrange(keys.sessionLog(prefix, user, sessionId), '-', '+'),
    redis.smembers(keys.sessionRolledBack(prefix, user, sessionId)),
  ]);
  const removed = new Set(rolledBack);
  const messages: SessionMessage[] = [];
  const seen = new Set<string>();
  for (const [id, fields] of entries) {
    const parsed = parseEntry(fields);
    if (!parsed) logger?.warn({ session_id: sessionId, entry_id: id }, 'skipped a malformed session log entry');
    else if (!removed.has(parsed.run_id) && !isRepeat(parsed, seen)) messages.push(parsed);
  }
  // Array.prototype.sort is stable: a run's user message stays before its answer.
  return messages.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
}

/** A run contributes one message per role; a second one is a repeated append. */
function isRepeat(message: SessionMessage, seen: Set<string>): boolean {
  if (!message.run_id) return false;
  const key = `${message.run_id}\u0000${message.role}`;
  if (seen.has(key)) return true;
  seen.add(key);
  return false;
}

function parseEntry(fields: string[]): SessionMessage | null {
  const raw = streamEntryJson(fields) ?? '';
  try {
    const parsed = SessionMessageSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
