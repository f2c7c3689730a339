import type Redis from 'ioredis';
import { keys, LOCAL_USER, SessionMessageSchema, streamEntryJson, type SessionMessage } from '@koda/contracts';
import type { Logger } from 'pino';

/** Folds a session log into the conversation, oldest first; malformed entries are skipped. */
export async function readSession(redis: Redis, prefix: string, userId: string | undefined, sessionId: string, logger?: Logger): Promise<SessionMessage[]> {
  const entries = await redis.xrange(keys.sessionLog(prefix, userId ?? LOCAL_USER, sessionId), '-', '+');
  const messages: SessionMessage[] = [];
  for (const [id, fields] of entries) {
    const parsed = parseEntry(fields);
    if (parsed) messages.push(parsed);
    else logger?.warn({ session_id: sessionId, entry_id: id }, 'skipped a malformed session log entry');
  }
  return messages;
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
