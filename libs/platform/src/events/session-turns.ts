import type Redis from 'ioredis';
import { keys, LOCAL_USER, type MultitaskStrategy } from '@koda/contracts';

/**
 * One run at a time per session, shared by every replica (see README, "Double-texting").
 * The session's `active` key names the run holding the turn; runs accepted while it is held
 * wait in the session's `queue`, in acceptance order, and take the turn one by one as the run
 * before them ends. Every script touches the keys of one session only (one hash slot).
 *
 * CLAIM (KEYS active, queue, seq, rolled-back; ARGV strategy, run id, lock ms): takes the turn
 * when the session is free (no holder and nobody queued), else refuses (`reject`) or queues
 * the run; `rollback` also marks the holder's exchange as removed. Every accepted run gets the
 * next `seq`. Replies `{verdict, holder, seq, position}`.
 */
const CLAIM = `
local holder = redis.call('GET', KEYS[1]) or redis.call('LINDEX', KEYS[2], 0)
if holder and ARGV[1] == 'reject' then return {'busy', holder, 0, 0} end
local seq = redis.call('INCR', KEYS[3])
if not holder then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return {'started', '', seq, 0}
end
local position = redis.call('RPUSH', KEYS[2], ARGV[2])
local running = redis.call('GET', KEYS[1]) == holder
if ARGV[1] == 'rollback' and running then redis.call('SADD', KEYS[4], holder) end
return {'queued', holder, seq, position, running and 1 or 0}`;

/**
 * TURN (KEYS active, queue; ARGV run id, lock ms): whether the run may start now. The holder
 * may; so may the head of the queue when nobody holds the turn (it takes it); a run the
 * session does not know (accepted before turns existed) is not held back.
 */
const TURN = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then return {'go', ''} end
if holder then return {'wait', holder} end
local head = redis.call('LINDEX', KEYS[2], 0)
if head == ARGV[1] then
  redis.call('LPOP', KEYS[2])
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {'go', ''}
end
if head then return {'wait', head} end
return {'go', ''}`;

/**
 * RELEASE (KEYS active, queue; ARGV run id, lock ms): an ended run leaves the queue and, if it
 * held the turn, hands it to the next queued run. Idempotent: releasing twice does nothing.
 */
const RELEASE = `
redis.call('LREM', KEYS[2], 0, ARGV[1])
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
local next = redis.call('LPOP', KEYS[2])
if next then redis.call('SET', KEYS[1], next, 'PX', ARGV[2]) else redis.call('DEL', KEYS[1]) end
return next`;

export type TurnClaim =
  | { verdict: 'started'; seq: number }
  /** `running`: the holder has the turn (an interrupt stops it); else it is queued itself. */
  | { verdict: 'queued'; seq: number; holder: string; position: number; running: boolean }
  | { verdict: 'busy'; holder: string };

export interface SessionRef {
  user_id?: string;
  session_id: string;
}

type TurnRedis = Redis & {
  kodaTurnClaim(
    active: string,
    queue: string,
    seq: string,
    rolledBack: string,
    strategy: string,
    runId: string,
    lockMs: number,
  ): Promise<[string, string, number, number, number?]>;
  kodaTurn(active: string, queue: string, runId: string, lockMs: number): Promise<[string, string]>;
  kodaTurnRelease(active: string, queue: string, runId: string, lockMs: number): Promise<string | null>;
};

function withScripts(redis: Redis): TurnRedis {
  const scripted = redis as TurnRedis;
  if (typeof scripted.kodaTurnClaim !== 'function') {
    redis.defineCommand('kodaTurnClaim', { numberOfKeys: 4, lua: CLAIM });
    redis.defineCommand('kodaTurn', { numberOfKeys: 2, lua: TURN });
    redis.defineCommand('kodaTurnRelease', { numberOfKeys: 2, lua: RELEASE });
  }
  return scripted;
}

/** Extra life of a turn past the longest a run can last, so a finisher that died frees it anyway. */
const LOCK_GRACE_MS = 30_000;

/** The session turn of every run: claim at acceptance, check before starting, release at the end. */
export class SessionTurns {
  private readonly redis: TurnRedis;
  private readonly lockMs: number;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    runTimeoutMs: number,
  ) {
    this.redis = withScripts(redis);
    this.lockMs = runTimeoutMs + LOCK_GRACE_MS;
  }

  async claim(session: SessionRef, runId: string, strategy: MultitaskStrategy): Promise<TurnClaim> {
    const [user, id] = [session.user_id ?? LOCAL_USER, session.session_id];
    const p = this.prefix;
    const [verdict, holder, seq, position, running] = await this.redis.kodaTurnClaim(
      keys.sessionActive(p, user, id),
      keys.sessionQueue(p, user, id),
      keys.sessionSeq(p, user, id),
      keys.sessionRolledBack(p, user, id),
      strategy,
      runId,
      this.lockMs,
    );
    if (verdict === 'busy') return { verdict, holder };
    if (verdict === 'queued') return { verdict, holder, seq, position, running: running === 1 };
    return { verdict: 'started', seq };
  }

  /** Null when the run may start now; else the run it waits for. */
  async waitsFor(session: SessionRef, runId: string): Promise<string | null> {
    const [user, id] = [session.user_id ?? LOCAL_USER, session.session_id];
    const [verdict, holder] = await this.redis.kodaTurn(
      keys.sessionActive(this.prefix, user, id),
      keys.sessionQueue(this.prefix, user, id),
      runId,
      this.lockMs,
    );
    return verdict === 'go' ? null : holder;
  }

  /** The run ended: it leaves the session's queue or hands the turn on. Returns the run that starts next, if any. */
  async release(session: SessionRef, runId: string): Promise<string | null> {
    const [user, id] = [session.user_id ?? LOCAL_USER, session.session_id];
    return this.redis.kodaTurnRelease(keys.sessionActive(this.prefix, user, id), keys.sessionQueue(this.prefix, user, id), runId, this.lockMs);
  }

  /**
   * A holder whose run has ended but still holds the turn (its finisher died before releasing)
   * is released here; true when it had ended. Its `final` key is in another slot: read apart.
   */
  async releaseIfEnded(session: SessionRef, holder: string): Promise<boolean> {
    if ((await this.redis.exists(keys.runFinal(this.prefix, holder))) === 0) return false;
    await this.release(session, holder);
    return true;
  }
}
