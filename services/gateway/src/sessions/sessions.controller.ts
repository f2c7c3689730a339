import { Controller, Delete, Get, HttpCode, Inject, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type Redis from 'ioredis';
import { keys, type SessionSummary, type SessionView } from '@koda/contracts';
import { KODA_CONFIG, LOGGER, readSession, REDIS, type KodaConfig, type Logger } from '@koda/platform';
import { CurrentUser } from '../auth/request-user';
import { idParam } from '../http/id-param';
import { notFound } from '../http/not-found';
import { ApiErrors } from '../openapi/api-error';
import { ApiSessionId } from '../openapi/id-params';
import { SessionListDoc, SessionRunsDoc, SessionViewDoc } from '../openapi/response.docs';
import type { RunSummary } from '../runs/run-status';
import { SessionDirectory } from './session-directory';

@ApiTags('sessions')
@Controller('api/v1/sessions')
export class SessionsController {
  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly directory: SessionDirectory,
  ) {}

  /** The caller's sessions, most recent first: title (first message), last activity, the run still going if any. */
  @Get()
  @ApiOperation({ summary: 'The caller’s sessions, most recent first' })
  @ApiOkResponse({ type: SessionListDoc })
  @ApiErrors(401, 503)
  async list(@CurrentUser() user: string): Promise<{ sessions: SessionSummary[] }> {
    return { sessions: await this.directory.sessionsOf(user) };
  }

  /** The caller's runs in one session, oldest first; another user's session: 404. */
  @Get(':session_id/runs')
  @ApiOperation({ summary: 'The caller’s runs in one session, oldest first' })
  @ApiSessionId()
  @ApiOkResponse({ type: SessionRunsDoc })
  @ApiErrors(400, 401, 404, 503)
  async runs(@Param('session_id') sessionIdParam: string, @CurrentUser() user: string): Promise<{ session_id: string; runs: RunSummary[] }> {
    const sessionId = idParam('session_id', sessionIdParam);
    const runs = await this.directory.runsOf(user, sessionId);
    if (runs === null) throw notFound('session_not_found', `No session ${sessionId}.`);
    return { session_id: sessionId, runs };
  }

  /** The conversation, folded from the session log (empty for a session with no finished run yet). */
  @Get(':session_id')
  @ApiOperation({ summary: 'The conversation (empty for a session with no finished run)' })
  @ApiSessionId()
  @ApiOkResponse({ type: SessionViewDoc })
  @ApiErrors(400, 401, 503)
  async session(@Param('session_id') sessionIdParam: string, @CurrentUser() user: string): Promise<SessionView> {
    const sessionId = idParam('session_id', sessionIdParam);
    return { session_id: sessionId, messages: await readSession(this.redis, this.config.KODA_PREFIX, user, sessionId, this.logger) };
  }

  /** Forgets a conversation (its session log); runs already streamed keep their own logs until they expire. */
  @Delete(':session_id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Forget a conversation' })
  @ApiSessionId()
  @ApiNoContentResponse({ description: 'Forgotten.' })
  @ApiErrors(400, 401, 404, 503)
  async forget(@Param('session_id') sessionIdParam: string, @CurrentUser() user: string): Promise<void> {
    const sessionId = idParam('session_id', sessionIdParam);
    const prefix = this.config.KODA_PREFIX;
    // The session log has its own hash slot ({user:session}); the user's index keys share {user}.
    // Two commands, so a Redis Cluster never sees a cross-slot one; the log goes first.
    const logs = await this.forgetLog(user, sessionId);
    const [[, runs], [, listed]] = ((await this.redis
      .multi()
      .unlink(keys.sessionRuns(prefix, user, sessionId))
      .zrem(keys.userSessions(prefix, user), sessionId)
      .exec()) ?? [
      [null, 0],
      [null, 0],
    ]) as [unknown, number][];
    if (logs === 0 && runs === 0 && listed === 0) throw notFound('session_not_found', `No session ${sessionId}.`);
    this.logger.info({ session_id: sessionId, user_id: user }, 'session deleted');
  }

  /**
   * Deletes the session log and remembers the last `seq` accepted so far: a run accepted before
   * the delete (still going, or a finisher's append left pending) then appends nothing, so the
   * conversation does not come back; runs accepted after it start a new one. Kept as long as
   * a run's log can live.
   */
  private forgetLog(user: string, sessionId: string): Promise<number> {
    const prefix = this.config.KODA_PREFIX;
    const keep = this.config.KODA_RUN_TTL_SECONDS + Math.ceil(this.config.KODA_RUN_TIMEOUT_MS / 1000);
    const sessionKeys = [
      keys.sessionLog(prefix, user, sessionId),
      keys.sessionAppended(prefix, user, sessionId),
      keys.sessionSeq(prefix, user, sessionId),
      keys.sessionDeletedThrough(prefix, user, sessionId),
    ];
    return this.redis.eval(FORGET_LOG_SCRIPT, sessionKeys.length, ...sessionKeys, keep) as Promise<number>;
  }
}

/** KEYS: the session's log, appended set, seq counter, deleted-through mark (one slot); ARGV[1]: the mark's lifetime (s). */
const FORGET_LOG_SCRIPT = `
local seq = redis.call('GET', KEYS[3])
if seq then redis.call('SET', KEYS[4], seq, 'EX', ARGV[1]) end
return redis.call('UNLINK', KEYS[1], KEYS[2])`;
