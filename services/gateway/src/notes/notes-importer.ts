import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { existsSync } from 'fs';
import type Redis from 'ioredis';
import { importNotesDir } from '@koda/notes';
import { KODA_CONFIG, LOGGER, REDIS, type KodaConfig, type Logger } from '@koda/platform';

/** Imports `KODA_NOTES_DIR` into the notes log at start; idempotent, so every replica may. */
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
    const result = await importNotesDir(this.redis, this.config.KODA_PREFIX, dir, { logger: this.logger, userId: this.config.KODA_NOTES_USER });
    this.logger.info({ dir, ...result }, 'notes imported');
  }
}
