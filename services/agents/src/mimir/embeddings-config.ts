import { DEFAULT_MIN_SIMILARITY, parseEmbeddingsUrl, type EmbeddingsOptions } from '@koda/notes';

export interface EmbeddingsConfig extends EmbeddingsOptions {
  minSimilarity: number;
}

export const DEFAULT_EMBEDDINGS_MODEL = 'nomic-embed-text';

/**
 * Optional semantic search, read from the environment: `KODA_EMBEDDINGS_URL` (unset: off),
 * `KODA_EMBEDDINGS_MODEL`, `KODA_EMBEDDINGS_API_KEY`, `KODA_EMBEDDINGS_MIN_SIMILARITY`. A bad
 * value throws naming the variable, which stops the service at start.
 */
export function embeddingsConfigFromEnv(env: NodeJS.ProcessEnv = process.env): EmbeddingsConfig | null {
  const url = env.KODA_EMBEDDINGS_URL?.trim();
  if (!url) return null;
  const similarity = env.KODA_EMBEDDINGS_MIN_SIMILARITY?.trim();
  const minSimilarity = similarity ? Number(similarity) : DEFAULT_MIN_SIMILARITY;
  if (!Number.isFinite(minSimilarity) || minSimilarity < -1 || minSimilarity > 1) {
    throw new Error(`KODA_EMBEDDINGS_MIN_SIMILARITY must be a number between -1 and 1, got "${similarity}"`);
  }
  return {
    url: parseEmbeddingsUrl(url),
    model: env.KODA_EMBEDDINGS_MODEL?.trim() || DEFAULT_EMBEDDINGS_MODEL,
    apiKey: env.KODA_EMBEDDINGS_API_KEY?.trim() || undefined,
    minSimilarity,
  };
}
