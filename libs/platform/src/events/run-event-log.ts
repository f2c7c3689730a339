import type Redis from 'ioredis';
import {
  isTerminalEvent,
  keys,
  STREAM_FIELD,
  type RunEvent,
  type RunEventDraft,
  type SessionMessage,
  type StartEvent,
} from '@koda/contracts';

/** Appends unless the run already ended: a zombie worker cannot write after the terminal event. */
const APPEND_SCRIPT = `
if redis.call('EXISTS', KEYS[2]) == 1 then return false end
return redis.call('XADD', KEYS[1], '*', ARGV[1], ARGV[2])`;

/**
 * Ends a run exactly once: claims the terminal slot, appends the session messages, writes the
 * terminal event and sets the log's expiry, atomically. A retried finaliser finds the claim
 * and does nothing, so `complete` is never published twice nor the session appended twice.
 */
const FINISH_SCRIPT = `
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[3]) then return false end
for i = 4, #ARGV do redis.call('XADD', KEYS[3], '*', ARGV[1], ARGV[i]) end
local id = redis.call('XADD', KEYS[1], '*', ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return id`;

type ScriptedRedis = Redis & {
  kodaAppend(events: string, final: string, field: string, json: string): Promise<string | null>;
  kodaFinish(events: string, final: string, session: string, field: string, json: string, ttl: number, ...messages: string[]): Promise<string | null>;
};

function withScripts(redis: Redis): ScriptedRedis {
  const scripted = redis as ScriptedRedis;
  if (typeof scripted.kodaAppend !== 'function') {
    redis.defineCommand('kodaAppend', { numberOfKeys: 2, lua: APPEND_SCRIPT });
    redis.defineCommand('kodaFinish', { numberOfKeys: 3, lua: FINISH_SCRIPT });
  }
  return scripted;
}

export function stamp(runId: string, draft: RunEventDraft): RunEvent {
  const original = draft.type === 'error' ? { error: draft.message } : {}; // the original KODA's clients read `error`
  return { ...draft, ...original, run_id: runId, timestamp: new Date().toISOString() } as RunEvent;
}

/** The run log and its session log: the only way any service tells a client anything. */
export class RunEventLog {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {
    this.redis = withScripts(redis);
  }

  /** Opens a run with its `start` event; the log expires even if nothing ever ends the run. */
  async open(runId: string, draft: Omit<StartEvent, 'run_id' | 'timestamp'>, maxLifetimeSeconds: number): Promise<{ id: string; json: string; event: StartEvent }> {
    const event = stamp(runId, draft) as StartEvent;
    const json = JSON.stringify(event);
    const key = keys.runEvents(this.prefix, runId);
    const results = await this.redis.multi().xadd(key, '*', STREAM_FIELD, json).expire(key, maxLifetimeSeconds + this.ttlSeconds).exec();
    const [error, id] = results?.[0] ?? [new Error('MULTI aborted'), null];
    if (error) throw error;
    return { id: id as string, json, event };
  }

  /** Appends a non-terminal event; returns its id, or null when the run has already ended. */
  async append(runId: string, draft: RunEventDraft): Promise<string | null> {
    const event = stamp(runId, draft);
    if (isTerminalEvent(event)) throw new Error(`terminal events go through finish(), not append(): ${event.type}`);
    return this.redis.kodaAppend(keys.runEvents(this.prefix, runId), keys.runFinal(this.prefix, runId), STREAM_FIELD, JSON.stringify(event));
  }

  /** Writes the run's one terminal event with its session messages; null when already ended. */
  async finish(run: { run_id: string; session_id: string }, draft: RunEventDraft, session: SessionMessage[]): Promise<string | null> {
    const event = stamp(run.run_id, draft);
    if (!isTerminalEvent(event)) throw new Error(`finish() takes a terminal event, got ${event.type}`);
    return this.redis.kodaFinish(
      keys.runEvents(this.prefix, run.run_id),
      keys.runFinal(this.prefix, run.run_id),
      keys.sessionLog(this.prefix, run.session_id),
      STREAM_FIELD,
      JSON.stringify(event),
      this.ttlSeconds,
      ...session.map((m) => JSON.stringify(m)),
    );
  }

  async hasEnded(runId: string): Promise<boolean> {
    return (await this.redis.exists(keys.runFinal(this.prefix, runId))) === 1;
  }
}
