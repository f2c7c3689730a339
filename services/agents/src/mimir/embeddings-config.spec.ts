import { embeddingsConfigFromEnv } from './embeddings-config';

describe('embeddingsConfigFromEnv', () => {
  it('is off unless KODA_EMBEDDINGS_URL is set', () => {
    expect(embeddingsConfigFromEnv({})).toBeNull();
    expect(embeddingsConfigFromEnv({ KODA_EMBEDDINGS_URL: ' ' })).toBeNull();
  });

  it('reads the endpoint, model, key and similarity bar', () => {
    expect(
      embeddingsConfigFromEnv({ KODA_EMBEDDINGS_URL: 'http://127.0.0.1:11434', KODA_EMBEDDINGS_MODEL: 'bge-m3', KODA_EMBEDDINGS_MIN_SIMILARITY: '0.6' }),
    ).toEqual({
      url: 'http://127.0.0.1:11434',
      model: 'bge-m3',
      apiKey: undefined,
      minSimilarity: 0.6,
    });
  });

  it('names the variable that is wrong', () => {
    expect(() => embeddingsConfigFromEnv({ KODA_EMBEDDINGS_URL: 'not a url' })).toThrow(/KODA_EMBEDDINGS_URL/);
    expect(() => embeddingsConfigFromEnv({ KODA_EMBEDDINGS_URL: 'http://h', KODA_EMBEDDINGS_MIN_SIMILARITY: 'high' })).toThrow(
      /KODA_EMBEDDINGS_MIN_SIMILARITY/,
    );
  });
});
