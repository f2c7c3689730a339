import { Controller, Delete, Get, HttpCode, Inject, Param } from '@nestjs/common';
import type Redis from 'ioredis';
import { keys, type SessionView } from '@koda/contracts';
import { KODA_CONFIG, LOGGER, readSession, REDIS, type KodaConfig, type Logger } from '@koda/platform';
import { CurrentUser } from '../auth/request-user';
import { idParam } from '../http/id-param';
import { notFound } from '../http/not-found';

@Controller('api/v1/sessions')
export class SessionsController {
  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The conversation, folded from the session log (empty for a session with no finished run yet). */
  @Get(':session_id')
  async session(@Param('session_id') sessionIdParam: string, @CurrentUser() user: string): Promise<SessionView> {
    const sessionId = idParam('session_id', sessionIdParam);
    return { session_id: sessionId, messages: await readSession(this.redis, this.config.KODA_PREFIX, user, sessionId, this.logger) };
  }

  /** Forgets a conversation (its session log); runs already streamed keep their own logs until they expire. */
  @Delete(':session_id')
  @HttpCode(204)
  async forget(@Param('session_id') sessionIdParam: string, @CurrentUser() user: string): Promise<void> {
    const sessionId = idParam('session_id', sessionIdParam);
    const removed = await this.redis.unlink(keys.sessionLog(this.config.KODA_PREFIX, user, sessionId));
    if (removed === 0) throw notFound('session_not_found', `No session ${sessionId}.`);
    this.logger.info({ session_id: sessionId, user_id: user }, 'session deleted');
  }
}
