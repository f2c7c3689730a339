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
import { queuePrefixOf } from '../redis/redis-target';
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
  -- Only a new field can mean a new hash (one with no expiry yet): a writer's later writes skip the PTTL.
  if redis.call('HSET', writes, writer, seq .. ' ' .. id) == 1 and redis.call('PTTL', writes) < 0 then
    local ttl = redis.call('PTTL', events)
    if ttl > 0 then redis.call('PEXPIRE', writes, ttl) end
  end
end`;

/**
 * The one way anything enters a run log. Every mode writes the entry and, in the same atomic
 * step, rings the run's doorbell: `SPUBLISH <prefix>:run:{<runId>}:wake "<prev-id> <id> <json>"`,
 * where prev-id is the entry before it (`0-0` for the first). The relay delivers live entries
 * from the doorbell without reading the stream, and a doorbell whose prev-id is not the last id
 * it delivered reveals a gap, repaired from the stream (the truth). SPUBLISH, not PUBLISH: a
 * shard channel named with the run's hash tag stays on the run's master on a Redis Cluster
 * (PUBLISH is broadcast to every node of the cluster), and works the same on a single Redis 7.
 *
 * ARGV[1] is the mode:
 * - `open`: the run's `start`; the log expires after ARGV[8] seconds even if nothing ends it.
 *   Idempotent without a number: a run id is opened once, so a log that already exists means
 *   this is that open sent again (its reply lost); it gets the `start`'s id back, writes nothing
 *   and rings nothing;
 * - `append`: a non-terminal event, refused (atomically, with a reason instead of an id)
 *   `!ended` once the run has its terminal event (a zombie worker cannot write after it),
 *   `!missing` when the run log does not exist (deleted, or expired: writing would re-create
 *   it with no expiry), `!superseded` when the event comes from an attempt older than the
 *   node's current one (the fence: KEYS[3] is the node's attempt counter, ARGV[4] the writer's
 *   attempt, '' for writers that are not agent attempts);
 * - `finish`: the terminal event, with the same refusals: claims the terminal slot (KEYS[2]),
 *   sets the log's expiry (ARGV[8] seconds) and records the session messages as a pending
 *   append (KEYS[5] := ARGV[9], in the run's slot), atomically.
 * Appends and finishes are idempotent (KEYS[4] is the run's `writes` hash, ARGV[6] the writer,
 * ARGV[7] its write number): a resent write gets its id back, writes nothing and rings nothing.
 * ARGV[2], ARGV[3]: the stream field and the event's JSON; ARGV[5]: the doorbell channel.
 *
 * prev-id comes from `XREVRANGE … COUNT 1`, which also answers "does the log exist" (a run log
 * is never empty): it replaces the `EXISTS` an append needed anyway, so the doorbell costs one
 * command per write (the SPUBLISH). Reading it from the stream rather than remembering it keeps
 * the chain true even if something ever wrote to the log without this script.
 */
const WRITE_SCRIPT = `${ALREADY_WRITTEN}
local mode = ARGV[1]
if mode ~= 'open' then
  local done = already_written(KEYS[4], ARGV[6], ARGV[7])
  if done then return done end
  if redis.call('EXISTS', KEYS[2]) == 1 then return '!ended' end
end
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
if mode == 'open' and last then return redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)[1][1] end
if mode ~= 'open' then
  if not last then return '!missing' end
  if ARGV[4] ~= '' and tonumber(redis.call('GET', KEYS[3]) or '0') > tonumber(ARGV[4]) then return '!superseded' end
end
local id = redis.call('XADD', KEYS[1], '*', ARGV[2], ARGV[3])
if mode == 'open' then
  redis.call('EXPIRE', KEYS[1], ARGV[8])
elseif mode == 'append' then
  remember(KEYS[4], ARGV[6], ARGV[7], id, KEYS[1])
else
  redis.call('SET', KEYS[2], '1', 'EX', ARGV[8])
  redis.call('EXPIRE', KEYS[1], ARGV[8])
  redis.call('HSET', KEYS[4], ARGV[6], ARGV[7] .. ' ' .. id)
  redis.call('EXPIRE', KEYS[4], ARGV[8])
  redis.call('SET', KEYS[5], ARGV[9], 'EX', ARGV[8])
end
redis.call('SPUBLISH', ARGV[5], (last and last[1] or '0-0') .. ' ' .. id .. ' ' .. ARGV[3])
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

type WriteMode = 'open' | 'append' | 'finish';

type ScriptedRedis = Redis & {
  kodaWrite(
    events: string,
    final: string,
    fence: string,
    writes: string,
    pending: string,
    mode: WriteMode,
    field: string,
    json: string,
    attempt: string,
    doorbell: string,
    writer: string,
    seq: number | '',
    ttl: number | '',
    pendingRecord: string,
  ): Promise<string>;
};

function withScripts(redis: Redis): ScriptedRedis {
  const scripted = redis as ScriptedRedis;
  if (typeof scripted.kodaWrite !== 'function') redis.defineCommand('kodaWrite', { numberOfKeys: 5, lua: WRITE_SCRIPT });
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

  constructor(
    redis: Redis,
    readonly prefix: string,
    private readonly ttlSeconds: number,
    runTimeoutMs = 120_000,
  ) {
    this.redis = withScripts(redis);
    this.turns = new SessionTurns(redis, prefix, runTimeoutMs);
    // The orchestrator's queue, under the prefix every service gives it (hash-tagged on a cluster).
    this.webhooks = new WebhookTrigger(redis, queuePrefixOf(prefix, (redis as { isCluster?: boolean }).isCluster === true));
  }

  /** Opens a run with its `start` event; the log expires even if nothing ever ends the run. */
  async open(
    runId: string,
    draft: Omit<StartEvent, 'run_id' | 'timestamp'>,
    maxLifetimeSeconds: number,
  ): Promise<{ id: string; json: string; event: StartEvent }> {
    const event = stamp(runId, draft) as StartEvent;
    const json = JSON.stringify(event);
    const events = keys.runEvents(this.prefix, runId);
    // Not numbered: a run is opened once, so the script answers a resent open with the existing start's id.
    const id = await this.redis.kodaWrite(
      events,
      events,
      events,
      events,
      events,
      'open',
      STREAM_FIELD,
      json,
      '',
      keys.runWake(this.prefix, runId),
      '',
      '',
      maxLifetimeSeconds + this.ttlSeconds,
      '',
    );
    return { id, json, event };
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
      await this.redis.kodaWrite(
        events,
        keys.runFinal(this.prefix, runId),
        fenceKey,
        writes,
        events,
        'append',
        STREAM_FIELD,
        JSON.stringify(event),
        attempt,
        keys.runWake(this.prefix, runId),
        this.writer,
        ++this.writes,
        '',
        '',
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
    const reply = await this.redis.kodaWrite(
      events,
      keys.runFinal(this.prefix, run.run_id),
      fence ? keys.runAttempts(this.prefix, run.run_id, fence.node) : events,
      keys.runWrites(this.prefix, run.run_id),
      keys.runSessionPending(this.prefix, run.run_id),
      'finish',
      STREAM_FIELD,
      JSON.stringify(event),
      fence ? String(fence.attempt) : '',
      keys.runWake(this.prefix, run.run_id),
      this.writer,
      ++this.writes,
      this.ttlSeconds,
      pendingRecord(
        run.user_id,
        run.session_id,
        run.seq,
        session.map((m) => JSON.stringify(m)),
      ),
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
