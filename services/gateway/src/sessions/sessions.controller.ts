import { Controller, Get, Inject, Param } from '@nestjs/common';
import type Redis from 'ioredis';
import type { SessionView } from '@koda/contracts';
import { KODA_CONFIG, LOGGER, readSession, REDIS, type KodaConfig, type Logger } from '@koda/platform';

@Controller('api/v1/sessions')
export class SessionsController {
  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The conversation, folded from the session log (empty for a session with no finished run yet). */
  @Get(':session_id')
  async session(@Param('session_id') sessionId: string): Promise<SessionView> {
    return { session_id: sessionId, messages: await readSession(this.redis, this.config.KODA_PREFIX, sessionId, this.logger) };
  }
}
