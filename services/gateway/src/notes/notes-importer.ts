import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { existsSync } from 'fs';
import type Redis from 'ioredis';
import { importNotesDir } from '@koda/notes';
import { isTransientRedisError, KODA_CONFIG, LOGGER, REDIS, withRetries, type KodaConfig, type Logger } from '@koda/platform';

/** About 20 s of tries for a Redis that is slow or not there yet. */
const IMPORT_ATTEMPTS = 8;

/**
 * Imports `KODA_NOTES_DIR` into the notes log at start; idempotent, so every replica may. The
 * gateway's commands time out after `KODA_REDIS_COMMAND_TIMEOUT_MS` (a request must not hang),
 * so a lost connection or a timed-out command is tried again (notes already imported are
 * skipped); a refusal (Redis full, a broken key) is not. A failed import does not stop the
 * gateway: it serves without those notes (answering 503 while Redis is down or full) and the
 * next start imports them; a gateway that cannot start would only restart and fail again.
 */
@Injectable()
export class NotesImporter implements OnModuleInit {
  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const dir = this.config.KODA_NOTES_DIR;
    if (!existsSync(dir)) {
      this.logger.warn({ dir }, 'KODA_NOTES_DIR does not exist; no notes imported');
      return;
    }
    const importing = withRetries(
      () => importNotesDir(this.redis, this.config.KODA_PREFIX, dir, { logger: this.logger, userId: this.config.KODA_NOTES_USER }),
      {
        attempts: IMPORT_ATTEMPTS,
        backoff: { initialMs: 250, maxMs: 4000 },
        retryable: isTransientRedisError,
        onRetry: (err, attempt, delayMs) =>
          this.logger.warn({ dir, err: (err as Error).message, attempt, retry_in_ms: delayMs }, 'notes import failed; trying again'),
      },
    );
    const result = await importing.catch((err: unknown) => {
      this.logger.error({ dir, err: (err as Error).message }, 'notes not imported; the gateway serves without them and the next start imports them');
      return null;
    });
    if (!result) return;
    this.logger.info({ dir, ...result }, 'notes imported');
  }
}
