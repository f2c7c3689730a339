import type Redis from 'ioredis';
import { keys, LOCAL_USER, SessionMessageSchema, streamEntryJson, type SessionMessage } from '@koda/contracts';
import type { Logger } from 'pino';

/**
 * Folds a session log into the conversation in the order its messages were accepted (their
 * run's `seq`; messages without one, written before it existed, keep their place in the log,
 * which precedes every numbered one). Rolled-back runs and malformed entries are left out.
 */
export async function readSession(redis: Redis, prefix: string, userId: string | undefined, sessionId: string, logger?: Logger): Promise<SessionMessage[]> {
  const user = userId ?? LOCAL_USER;
  const [entries, rolledBack] = await Promise.all([
    redis.xrange(keys.sessionLog(prefix, user, sessionId), '-', '+'),
    redis.smembers(keys.sessionRolledBack(prefix, user, sessionId)),
  ]);
  const removed = new Set(rolledBack);
  const messages: SessionMessage[] = [];
  for (const [id, fields] of entries) {
    const parsed = parseEntry(fields);
    if (!parsed) logger?.warn({ session_id: sessionId, entry_id: id }, 'skipped a malformed session log entry');
    else if (!removed.has(parsed.run_id)) messages.push(parsed);
  }
  // Array.prototype.sort is stable: a run's user message stays before its answer.
  return messages.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
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
