/**
 * Redis key builders. Every key carries the deployment prefix (`KODA_PREFIX`, default `koda`),
 * and per-run keys share a hash tag so a run's keys land on one Redis Cluster slot.
 */
export const DEFAULT_PREFIX = 'koda';

/** The one user of a KODA without authentication (`KODA_AUTH=none`), and of runs written before users existed. */
export const LOCAL_USER = 'local';

export const keys = {
  /** The run log: every event a client sees for that run. */
  runEvents: (prefix: string, runId: string) => `${prefix}:run:{${runId}}:events`,
  /** Set once when the run's terminal event is written; guards against a second one. */
  runFinal: (prefix: string, runId: string) => `${prefix}:run:{${runId}}:final`,
  /** Counts an agent node's attempts at a run, so a restarted node says it starts over. */
  runAttempts: (prefix: string, runId: string, node: string) => `${prefix}:run:{${runId}}:attempts:${node}`,
  /** Each writer's last write to the run (writer id → `seq id`): a write resent after a lost reply is not written twice. */
  runWrites: (prefix: string, runId: string) => `${prefix}:run:{${runId}}:writes`,
  /** The run's routing decision, written once so a retried route job dispatches the same way. */
  runRouting: (prefix: string, runId: string) => `${prefix}:run:{${runId}}:routing`,
  /** Set by a cancel request (value: a `CANCEL_REASON`); agents check it between steps. */
  runCancel: (prefix: string, runId: string) => `${prefix}:run:{${runId}}:cancel`,
  /**
   * A finished run's session messages not yet appended to its session log (JSON), in the run's
   * slot: written with the terminal event, deleted once the append is done (see session-append.ts).
   */
  runSessionPending: (prefix: string, runId: string) => `${prefix}:run:{${runId}}:session-pending`,
  /** Run ids already appended to a session log, in the session's slot: the append is idempotent. */
  sessionAppended: (prefix: string, userId: string, sessionId: string) => `${prefix}:session:{${userId}:${sessionId}}:appended`,
  /**
   * The run's doorbell: a sharded pub/sub channel (not a key) in the run's slot, on which the
   * one write script publishes `<prev-id> <id> <json>` with every entry it appends, atomically
   * (see run-event-log.ts); the gateway's relay delivers live entries from it.
   */
  runWake: (prefix: string, runId: string) => `${prefix}:run:{${runId}}:wake`,
  /** The session log: user and assistant messages of a conversation; session ids are per user. */
  sessionLog: (prefix: string, userId: string, sessionId: string) => `${prefix}:session:{${userId}:${sessionId}}`,
  /**
   * The session's turn: the run that holds it (`run_id deadline_ms`), so a session has one run
   * going at a time. Shares the session's hash tag, like every `session*` key below.
   */
  sessionActive: (prefix: string, userId: string, sessionId: string) => `${prefix}:session:{${userId}:${sessionId}}:active`,
  /** Runs accepted while the session was busy, in acceptance order (`run_id deadline_ms` each). */
  sessionQueue: (prefix: string, userId: string, sessionId: string) => `${prefix}:session:{${userId}:${sessionId}}:queue`,
  /** The session's acceptance counter: each run's `seq`, by which the session log is ordered. */
  sessionSeq: (prefix: string, userId: string, sessionId: string) => `${prefix}:session:{${userId}:${sessionId}}:seq`,
  /** Runs rolled back (`multitask_strategy: rollback`): their messages are left out of the session. */
  /** Set when the session is deleted: the last `seq` accepted then. A run accepted before the delete appends nothing after it. */
  sessionDeletedThrough: (prefix: string, userId: string, sessionId: string) => `${prefix}:session:{${userId}:${sessionId}}:deleted-through`,
  sessionRolledBack: (prefix: string, userId: string, sessionId: string) => `${prefix}:session:{${userId}:${sessionId}}:rolled-back`,
  /** An `Idempotency-Key` (by its sha256) → the run it started and its request's hash, for 24 h. */
  idempotencyKey: (prefix: string, userId: string, keyHash: string) => `${prefix}:user:{${userId}}:idempotency:${keyHash}`,
  /** What a user's runs cost (EUR) on one UTC day (`YYYY-MM-DD`), for the daily budget. */
  userSpend: (prefix: string, userId: string, day: string) => `${prefix}:user:{${userId}}:spend:${day}`,
  /** A user's sessions: session id → last activity (ms), for `GET /api/v1/sessions`. */
  userSessions: (prefix: string, userId: string) => `${prefix}:user:{${userId}}:sessions`,
  /** A user's runs in one session: run id → accepted at (ms). */
  sessionRuns: (prefix: string, userId: string, sessionId: string) => `${prefix}:user:{${userId}}:session-runs:${sessionId}`,
  /** A short-lived stream token (by its sha256) → the run and user it lets a plain EventSource follow. */
  streamToken: (prefix: string, tokenHash: string) => `${prefix}:auth:stream-token:${tokenHash}`,
  /** Hashes (sha256) of the API keys managed at run time → their user. */
  apiKeys: (prefix: string) => `${prefix}:auth:apikeys`,
  /**
   * The per-minute run limiter (`rate-limiter-flexible`, which keys `<keyPrefix>:<key>`): its key
   * prefix, and a user's key under it, together `<prefix>:user:{<user>}:runs-per-minute`.
   */
  runsLimiterPrefix: (prefix: string) => `${prefix}:user`,
  userRunsLimiterKey: (userId: string) => `{${userId}}:runs-per-minute`,
  /** A user's runs still going: run id → deadline (ms), shared by every replica. */
  userActiveRuns: (prefix: string, userId: string) => `${prefix}:user:{${userId}}:active`,
  /** The notes log: notes added and removed, folded by every Mimir replica. */
  notesLog: (prefix: string) => `${prefix}:notes`,
  /** Held (SET NX PX) by the gateway replica sweeping the queues for runs past their deadline. */
  deadlineSweep: (prefix: string) => `${prefix}:gateway:deadline-sweep`,
  /** Pub/sub channel on which cancels reach every agent replica. */
  cancelChannel: (prefix: string) => `${prefix}:cancel`,
  /** List a gateway's relay reader (one per shard and tier) blocks on beside its streams, to be woken. */
  relayWake: (prefix: string, instance: string, tier: 'hot' | 'cold', shard: number) => `${prefix}:gateway:{${instance}}:wake:${tier}:${shard}`,
};

/** Values of a run's cancel flag: why it is stopped (`1`, a plain cancel, predates the others). */
export const CANCEL_REASON = { cancelled: '1', interrupted: 'interrupted' } as const;

/** How an interrupted run's `error` event reads. */
export const INTERRUPTED_MESSAGE = 'The run was interrupted by a newer message in its session.';

/** The field holding an entry's JSON in every KODA stream. */
export const STREAM_FIELD = 'e';

/** An entry's JSON, from a stream entry's flat `[field, value, …]` list; undefined when absent. */
export function streamEntryJson(fields: string[]): string | undefined {
  for (let i = 0; i < fields.length - 1; i += 2) if (fields[i] === STREAM_FIELD) return fields[i + 1];
  return undefined;
}
