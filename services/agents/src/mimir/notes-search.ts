import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import type { ClickableObject } from '@koda/contracts';
import type { RetrievedNote } from '@koda/llm';
import { extractSearchQuery, NotesProjection } from '@koda/notes';
import { Backoff, createRedis, KODA_CONFIG, LOGGER, REDIS, type KodaConfig, type Logger } from '@koda/platform';

/** Hits handed to a model: enough to ground an answer, few enough to stay on point. */
const TOP_K = 5;

/** This replica's full-text index of the notes log, kept live; what Mimir searches. */
@Injectable()
export class NotesSearch implements OnModuleInit, OnApplicationShutdown {
  private readonly projection: NotesProjection;

  constructor(@Inject(KODA_CONFIG) config: KodaConfig, @Inject(REDIS) redis: Redis, @Inject(LOGGER) logger: Logger) {
    this.projection = new NotesProjection({
      redis,
      prefix: config.KODA_PREFIX,
      blockingRedis: createRedis(config.REDIS_URL, `${config.KODA_PREFIX}:agents:notes`, { logger }),
      logger: logger.child({ component: 'notes' }),
      backoff: new Backoff({ initialMs: 200, maxMs: 10_000 }),
    });
  }

  async onModuleInit(): Promise<void> {
    await this.projection.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projection.stop();
  }

  search(message: string, k = TOP_K): { query: string; hits: RetrievedNote[] } {
    const query = extractSearchQuery(message);
    const hits = this.projection.index.search(query, k).map((hit) => ({ type: 'note' as const, ...hit }));
    return { query, hits };
  }
}

export function toClickable(hits: RetrievedNote[]): ClickableObject[] {
  return hits.map(({ type, id, title, snippet, score }) => ({ type, id, title, snippet, score }));
}
