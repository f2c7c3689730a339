import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import {
  isTerminalEvent,
  keys,
  LOCAL_USER,
  parseRunEvent,
  STREAM_FIELD,
  streamEntryJson,
  type RunEvent,
  type RunEventDraft,
  type SessionMessage,
  type StartEvent,
} from '@koda/contracts';
import { SessionTurns } from './session-turns';
import { WebhookTrigger } from '../webhooks/webhook-trigger';
import { pendingRecord, settleSessionAppendWithRetries } from './session-append';

/**
 * Every write is idempotent. When a connection drops after Redis ran a script but before its
 * reply arrived, ioredis sends the command again on the new connection: without a guard, a
 * token would be written twice ("me me"). Each writer (one per `RunEventLog`) numbers its
 * writes; the run's `writes` hash keeps each writer's last number and id, and a write numbered
 * at or below it is answered with that id instead of being written again. Commands go in
 * order on one connection, so the last number is all it takes.
 * KEYS[writes] shares the run's hash tag and expires with the run log.
 */
const ALREADY_WRITTEN = `
local function already_written(writes, writer, seq)
  local last = redis.call('HGET', writes, writer)
  if not last then return nil end
  local space = string.find(last, ' ', 1, true)
  if tonumber(string.sub(last, 1, space - 1)) >= tonumber(seq) then return string.sub(last, space + 1) end
  return nil
end
local function remember(writes, writer, seq, id, events)
  redis.call('HSET', writes, writer, seq .. ' ' .. id)
  if redis.call('PTTL', writes) < 0 then
    local ttl = redis.call('PTTL', events)
    if ttl > 0 then redis.call('PEXPIRE', writes, ttl) end
  end
end`;

/**
 * Appends a non-terminal event, refusing it (atomically, with a reason instead of an id):
 * - `!ended` once the run has its terminal event (a zombie worker cannot write after it);
 * - `!missing` when the run log does not exist (deleted, or expired): writing would re-create
 *   it with no expiry, so nothing is written;
 * - `!superseded` when the event comes from an attempt older than the node's current one
 *   (the fence: KEYS[3] is the node's attempt counter, ARGV[3] the writer's attempt, '' for
 *   writers that are not agent attempts).
 * KEYS[4] is the run's `writes` hash, ARGV[4] the writer, ARGV[5] its write number.
 */
const APPEND_SCRIPT = `${ALREADY_WRITTEN}
local done = already_written(KEYS[4], ARGV[4], ARGV[5])
if done then return done end
if redis.call('EXISTS', KEYS[2]) == 1 then return '!ended' end
if redis.call('EXISTS', KEYS[1]) == 0 then return '!missing' end
if ARGV[3] ~= '' and tonumber(redis.call('GET', KEYS[3]) or '0') > tonumber(ARGV[3]) then return '!superseded' end
local id = redis.call('XADD', KEYS[1], '*', ARGV[1], ARGV[2])
remember(KEYS[4], ARGV[4], ARGV[5], id, KEYS[1])
if ARGV[6] ~= '' then redis.call('SPUBLISH', ARGV[6], id) end
return id`;

/**
 * Ends a run exactly once: claims the terminal slot, writes the terminal event, sets the log's
 * expiry and records the session messages as a pending append (KEYS[3], in the run's slot),
 * atomically. A retried finaliser finds the claim and writes nothing, so `complete` is never
 * published twice nor the session appended twice (and the same finish resent after a lost
 * reply gets its id back). It also refuses when the run log does not exist: a late finisher
 * after the log (and its claim, which expires with it) is gone writes nothing, whatever the
 * TTL. A fenced finisher (an agent attempt) is refused once a newer attempt of its node
 * started. Every key is in the run's hash slot: the session log, in another slot (another
 * master on a Redis Cluster), is appended afterwards, idempotently (see session-append.ts).
 */
const FINISH_SCRIPT = `${ALREADY_WRITTEN}
local done = already_written(KEYS[5], ARGV[5], ARGV[6])
if done then return done end
if redis.call('EXISTS', KEYS[2]) == 1 then return '!ended' end
if redis.call('EXISTS', KEYS[1]) == 0 then return '!missing' end
if ARGV[4] ~= '' and tonumber(redis.call('GET', KEYS[4]) or '0') > tonumber(ARGV[4]) then return '!superseded' end
local id = redis.call('XADD', KEYS[1], '*', ARGV[1], ARGV[2])
redis.call('SET', KEYS[2], '1', 'EX', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('HSET', KEYS[5], ARGV[5], ARGV[6] .. ' ' .. id)
redis.call('EXPIRE', KEYS[5], ARGV[3])
redis.call('SET', KEYS[3], ARGV[7], 'EX', ARGV[3])
if ARGV[8] ~= '' then redis.call('SPUBLISH', ARGV[8], id) end
return id`;

/** Why the log refused a write. */
export type AppendRefusal = 'ended' | 'missing' | 'superseded';
export type AppendResult = { ok: true; id: string } | { ok: false; refused: AppendRefusal };

/** An agent attempt's claim to write: refused once a newer attempt of the node started. */
export interface AttemptFence {
  node: string;
  attempt: number;
}

function toResult(reply: string): AppendResult {
  return reply.startsWith('!') ? { ok: false, refused: reply.slice(1) as AppendRefusal } : { ok: true, id: reply };
}

type ScriptedRedis = Redis & {
  kodaAppend(
    events: string,
    final: string,
    fence: string,
    writes: string,
    field: string,
    json: string,
    attempt: string,
    writer: string,
    seq: number,
    wake: string,
  ): Promise<string>;
  kodaFinish(
    events: string,
    final: string,
    pending: string,
    fence: string,
    writes: string,
    field: string,
    json: string,
    ttl: number,
    attempt: string,
    writer: string,
    seq: number,
    pendingRecord: string,
    wake: string,
  ): Promise<string>;
};

function withScripts(redis: Redis): ScriptedRedis {
  const scripted = redis as ScriptedRedis;
  if (typeof scripted.kodaAppend !== 'function') {
    redis.defineCommand('kodaAppend', { numberOfKeys: 4, lua: APPEND_SCRIPT });
    redis.defineCommand('kodaFinish', { numberOfKeys: 5, lua: FINISH_SCRIPT });
  }
  return scripted;
}

export function stamp(runId: string, draft: RunEventDraft): RunEvent {
  const original = draft.type === 'error' ? { error: draft.message } : {}; // the original KODA's clients read `error`
  return { ...draft, ...original, run_id: runId, timestamp: new Date().toISOString() };
}

/** The run log and its session log: the only way any service tells a client anything. */
export class RunEventLog {
  private readonly redis: ScriptedRedis;
  /** This writer, and the number of its last write (see ALREADY_WRITTEN). */
  private readonly writer = randomUUID();
  private writes = 0;
  /** The sessions' turns, which every finisher releases (see `SessionTurns`). */
  readonly turns: SessionTurns;
  /** The runs' completion webhooks, which every finisher releases (see `WebhookTrigger`). */
  readonly webhooks: WebhookTrigger;
  /** On a Redis Cluster every write also rings the run's wake channel (see keys.runWake). */
  private readonly rings: boolean;

  constructor(
    redis: Redis,
    readonly prefix: string,
    private readonly ttlSeconds: number,
    runTimeoutMs = 120_000,
  ) {
    this.redis = withScripts(redis);
    this.turns = new SessionTurns(redis, prefix, runTimeoutMs);
    this.webhooks = new WebhookTrigger(redis, prefix);
    this.rings = (redis as { isCluster?: boolean }).isCluster === true;
  }

  /** The run's wake channel on a cluster; '' (no ring) on a single Redis, whose relay blocks. */
  private wakeChannel(runId: string): string {
    return this.rings ? keys.runWake(this.prefix, runId) : '';
  }

  /** Opens a run with its `start` event; the log expires even if nothing ever ends the run. */
  async open(
    runId: string,
    draft: Omit<StartEvent, 'run_id' | 'timestamp'>,
    maxLifetimeSeconds: number,
  ): Promise<{ id: string; json: string; event: StartEvent }> {
    const event = stamp(runId, draft) as StartEvent;
    const json = JSON.stringify(event);
    const key = keys.runEvents(this.prefix, runId);
    const results = await this.redis
      .multi()
      .xadd(key, '*', STREAM_FIELD, json)
      .expire(key, maxLifetimeSeconds + this.ttlSeconds)
      .exec();
    const [error, id] = results?.[0] ?? [new Error('MULTI aborted'), null];
    if (error) throw error;
    if (this.rings) await this.redis.spublish(keys.runWake(this.prefix, runId), id as string).catch(() => undefined);
    return { id: id as string, json, event };
  }

  /** Appends a non-terminal event; returns its id, or null when refused (see `write`). */
  async append(runId: string, draft: RunEventDraft, fence?: AttemptFence): Promise<string | null> {
    const result = await this.write(runId, draft, fence);
    return result.ok ? result.id : null;
  }

  /** Appends a non-terminal event; says why when refused (run ended, log gone, attempt superseded). */
  async write(runId: string, draft: RunEventDraft, fence?: AttemptFence): Promise<AppendResult> {
    const event = stamp(runId, draft);
    if (isTerminalEvent(event)) throw new Error(`terminal events go through finish(), not append(): ${event.type}`);
    const events = keys.runEvents(this.prefix, runId);
    const fenceKey = fence ? keys.runAttempts(this.prefix, runId, fence.node) : events;
    const writes = keys.runWrites(this.prefix, runId);
    const attempt = fence ? String(fence.attempt) : '';
    return toResult(
      await this.redis.kodaAppend(
        events,
        keys.runFinal(this.prefix, runId),
        fenceKey,
        writes,
        STREAM_FIELD,
        JSON.stringify(event),
        attempt,
        this.writer,
        ++this.writes,
        this.wakeChannel(runId),
      ),
    );
  }

  /**
   * Writes the run's one terminal event, then appends its session messages to the session log
   * (a second, idempotent step: see session-append.ts); null when refused. A finisher refused
   * because the run already ended still settles a session append left pending, so a retried
   * or racing finisher completes what a dead one started.
   */
  async finish(
    run: { run_id: string; session_id: string; user_id?: string; seq?: number },
    draft: RunEventDraft,
    session: SessionMessage[],
    fence?: AttemptFence,
  ): Promise<string | null> {
    const event = stamp(run.run_id, draft);
    if (!isTerminalEvent(event)) throw new Error(`finish() takes a terminal event, got ${event.type}`);
    const events = keys.runEvents(this.prefix, run.run_id);
    const reply = await this.redis.kodaFinish(
      events,
      keys.runFinal(this.prefix, run.run_id),
      keys.runSessionPending(this.prefix, run.run_id),
      fence ? keys.runAttempts(this.prefix, run.run_id, fence.node) : events,
      keys.runWrites(this.prefix, run.run_id),
      STREAM_FIELD,
      JSON.stringify(event),
      this.ttlSeconds,
      fence ? String(fence.attempt) : '',
      this.writer,
      ++this.writes,
      pendingRecord(
        run.user_id,
        run.session_id,
        run.seq,
        session.map((m) => JSON.stringify(m)),
      ),
      this.wakeChannel(run.run_id),
    );
    const result = toResult(reply);
    if (result.ok || result.refused === 'ended') await settleSessionAppendWithRetries(this.redis, this.prefix, run.run_id);
    return result.ok ? result.id : null;
  }

  /** Every well-formed event of the run so far (a resumed node reads what it already published). */
  async events(runId: string): Promise<RunEvent[]> {
    const entries = await this.redis.xrange(keys.runEvents(this.prefix, runId), '-', '+');
    const events: RunEvent[] = [];
    for (const [, fields] of entries) {
      const parsed = parseRunEvent(streamEntryJson(fields) ?? '');
      if (parsed.ok) events.push(parsed.event);
    }
    return events;
  }

  /** Adds a finished run's cost to its user's spend of the UTC day (kept two days, for the daily budget). */
  async addSpend(userId: string | undefined, costEur: number): Promise<void> {
    if (!(costEur > 0)) return;
    const key = keys.userSpend(this.prefix, userId ?? LOCAL_USER, new Date().toISOString().slice(0, 10));
    await this.redis
      .multi()
      .incrbyfloat(key, costEur)
      .expire(key, 2 * 86_400)
      .exec();
  }

  async hasEnded(runId: string): Promise<boolean> {
    return (await this.redis.exists(keys.runFinal(this.prefix, runId))) === 1;
  }
}
