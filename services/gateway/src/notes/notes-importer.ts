import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { existsSync } from 'fs';
import type Redis from 'ioredis';
import { importNotesDir } from '@koda/notes';
import { isTransientRedisError, KODA_CONFIG, LOGGER, REDIS, withRetries, type KodaConfig, type Logger } from '@koda/platform';

/**
 * Imports `KODA_NOTES_DIR` into the notes log at start; idempotent, so every replica may. The
 * gateway's commands time out after `KODA_REDIS_COMMAND_TIMEOUT_MS` (a request must not hang),
 * and one slow reply on a busy Redis must not stop a gateway from starting: a lost connection
 * or a timed-out command is tried again (notes already imported are skipped); a refusal is not.
 */
/** About 20 s of tries before the gateway gives up starting. */
const IMPORT_ATTEMPTS = 8;

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
    const result = await withRetries(
      () => importNotesDir(this.redis, this.config.KODA_PREFIX, dir, { logger: this.logger, userId: this.config.KODA_NOTES_USER }),
      {
        attempts: IMPORT_ATTEMPTS,
        backoff: { initialMs: 250, maxMs: 4000 },
        retryable: isTransientRedisError,
        onRetry: (err, attempt, delayMs) =>
          this.logger.warn({ dir, err: (err as Error).message, attempt, retry_in_ms: delayMs }, 'notes import failed; trying again'),
      },
    );
    this.logger.info({ dir, ...result }, 'notes imported');
  }
}
