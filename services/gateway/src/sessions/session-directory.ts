import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { keys, SessionMessageSchema, streamEntryJson, type SessionSummary } from '@koda/contracts';
import { KODA_CONFIG, REDIS, type KodaConfig } from '@koda/platform';
import { RunStartReader } from '../runs/run-start-reader';
import type { RunSummary } from '../runs/run-status';

const TITLE_CHARS = 120;
/** A page of sessions is enough for a picker; older ones stay reachable by id. */
const MAX_SESSIONS = 100;

/** A user's sessions and runs, from the indexes the gateway writes when it starts a run. */
@Injectable()
export class SessionDirectory {
  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly starts: RunStartReader,
  ) {}

  async sessionsOf(user: string): Promise<SessionSummary[]> {
    const prefix = this.config.KODA_PREFIX;
    const flat = await this.redis.zrevrange(keys.userSessions(prefix, user), 0, MAX_SESSIONS - 1, 'WITHSCORES');
    const listed: { sessionId: string; lastActivity: number }[] = [];
    for (let i = 0; i < flat.length; i += 2) listed.push({ sessionId: flat[i], lastActivity: Number(flat[i + 1]) });
    // Every session read at once (the connection pipelines them): a long list costs one wait, not one per session.
    return Promise.all(listed.map(({ sessionId, lastActivity }) => this.summaryOf(user, sessionId, lastActivity)));
  }

  private async summaryOf(user: string, sessionId: string, lastActivity: number): Promise<SessionSummary> {
    const [runs, first] = await Promise.all([this.runsOf(user, sessionId), this.firstMessage(user, sessionId)]);
    const title = first ?? runs?.[0]?.message ?? '';
    const active = runs?.filter((r) => r.status === 'queued' || r.status === 'running').at(-1);
    return {
      session_id: sessionId,
      title: title.slice(0, TITLE_CHARS),
      last_activity: new Date(lastActivity).toISOString(),
      active_run_id: active?.run_id ?? null,
    };
  }

  /** The session's runs still readable, oldest first; null when the user has no such session. */
  async runsOf(user: string, sessionId: string): Promise<RunSummary[] | null> {
    const runIds = await this.redis.zrange(keys.sessionRuns(this.config.KODA_PREFIX, user, sessionId), 0, '-1');
    if (runIds.length === 0) return null;
    const summaries = await Promise.all(runIds.map((id) => this.starts.summary(id, user)));
    return summaries.filter((s): s is RunSummary => s !== null);
  }

  private async firstMessage(user: string, sessionId: string): Promise<string | null> {
    const [first] = await this.redis.xrange(keys.sessionLog(this.config.KODA_PREFIX, user, sessionId), '-', '+', 'COUNT', 1);
    if (!first) return null;
    try {
      const parsed = SessionMessageSchema.safeParse(JSON.parse(streamEntryJson(first[1]) ?? ''));
      return parsed.success ? parsed.data.content : null;
    } catch {
      return null;
    }
  }
}
