import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { LOCAL_USER, type ClickableObject } from '@koda/contracts';
import type { RetrievedNote } from '@koda/llm';
import { EmbeddingsClient, fusedSearch, NotesProjection, NoteVectors, understandQuery } from '@koda/notes';
import { Backoff, createRedis, redisTarget, KODA_CONFIG, LOGGER, REDIS, type KodaConfig, type Logger } from '../node/agent-platform';
import { embeddingsConfigFromEnv } from './embeddings-config';

/** Hits handed to a model: enough to ground an answer, few enough to stay on point. */
const TOP_K = 5;

/** This replica's full-text index of the notes log, kept live; what Mimir searches. */
@Injectable()
export class NotesSearch implements OnModuleInit, OnApplicationShutdown {
  private readonly projection: NotesProjection;
  /** Semantic vectors of the notes, when `KODA_EMBEDDINGS_URL` is set. */
  private readonly vectors: NoteVectors | null;
  private readonly minSimilarity: number;

  constructor(@Inject(KODA_CONFIG) config: KodaConfig, @Inject(REDIS) redis: Redis, @Inject(LOGGER) logger: Logger) {
    const notesLogger = logger.child({ component: 'notes' });
    const embeddings = embeddingsConfigFromEnv();
    this.vectors = embeddings ? new NoteVectors(new EmbeddingsClient(embeddings), notesLogger) : null;
    this.minSimilarity = embeddings?.minSimilarity ?? 0;
    const vectors = this.vectors;
    this.projection = new NotesProjection({
      redis,
      prefix: config.KODA_PREFIX,
      blockingRedis: createRedis(redisTarget(config), `${config.KODA_PREFIX}:agents:notes`, { logger }),
      logger: notesLogger,
      backoff: new Backoff({ initialMs: 200, maxMs: 10_000 }),
      ...(vectors && { onEntry: (entry) => vectors.apply(entry) }),
    });
  }

  async onModuleInit(): Promise<void> {
    await this.projection.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projection.stop();
  }

  /** The notes of `owner` (only theirs) answering a message or a query (its question's content words are searched). */
  search(message: string, k = TOP_K, owner = LOCAL_USER): { query: string; hits: RetrievedNote[] } {
    const { query } = understandQuery(message);
    const hits = this.projection.index.search(message, k, owner).map((hit) => ({ type: 'note' as const, ...hit }));
    return { query, hits };
  }

  /** `search`, fused with the semantic search when embeddings are configured (and answering). */
  async searchFused(message: string, k = TOP_K, owner = LOCAL_USER): Promise<{ query: string; hits: RetrievedNote[] }> {
    if (!this.vectors) return this.search(message, k, owner);
    const { query } = understandQuery(message);
    const hits = await fusedSearch(this.projection.index, this.vectors, message, k, this.minSimilarity, owner);
    return { query, hits: hits.map((hit) => ({ type: 'note' as const, ...hit })) };
  }
}

export function toClickable(hits: RetrievedNote[]): ClickableObject[] {
  return hits.map(({ type, id, title, snippet, score }) => ({ type, id, title, snippet, score }));
}
