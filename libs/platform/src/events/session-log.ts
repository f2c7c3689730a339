import type Redis from 'ioredis';
import { keys, LOCAL_USER, SessionMessageSchema, streamEntryJson, type SessionMessage } from '@koda/contracts';
import type { Logger } from 'pino';
import { settleRecentRuns } from './session-append';

/**
 * Folds a session log into the conversation, oldest first; malformed entries are skipped, and
 * so is a run's message already folded (same run and role): appends are idempotent by run id,
 * and the fold does not rely on it. Appends a finisher left pending are settled first.
 */
export async function readSession(redis: Redis, prefix: string, userId: string | undefined, sessionId: string, logger?: Logger): Promise<SessionMessage[]> {
  await settleRecentRuns(redis, prefix, userId, sessionId);
  const entries = await redis.xrange(keys.sessionLog(prefix, userId ?? LOCAL_USER, sessionId), '-', '+');
  const messages: SessionMessage[] = [];
  const seen = new Set<string>();
  for (const [id, fields] of entries) {
    const parsed = parseEntry(fields);
    if (parsed && isRepeat(parsed, seen)) continue;
    if (parsed) messages.push(parsed);
    else logger?.warn({ session_id: sessionId, entry_id: id }, 'skipped a malformed session log entry');
  }
  return messages;
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
