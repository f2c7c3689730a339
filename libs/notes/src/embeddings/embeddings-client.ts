/** An OpenAI-compatible `/v1/embeddings` endpoint (a local Ollama, or any hosted one). */
export interface EmbeddingsOptions {
  /** `KODA_EMBEDDINGS_URL`: the endpoint, or a base URL `/v1/embeddings` is appended to. */
  url: string;
  /** `KODA_EMBEDDINGS_MODEL`; sent as `model`. */
  model: string;
  /** `KODA_EMBEDDINGS_API_KEY`, sent as a bearer token when set. */
  apiKey?: string;
  /** Give up on a request after this long. Default 10 s. */
  timeoutMs?: number;
}

export class EmbeddingsError extends Error {
  override readonly name = 'EmbeddingsError';
}

/** The endpoint URL: used as given when it already names `/embeddings`. */
export function embeddingsEndpoint(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  if (/\/embeddings$/.test(trimmed)) return trimmed;
  return /\/v1$/.test(trimmed) ? `${trimmed}/embeddings` : `${trimmed}/v1/embeddings`;
}

/** Checks `KODA_EMBEDDINGS_URL` at start: an http(s) URL, or a message naming the variable. */
export function parseEmbeddingsUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // fall through to the error below
  }
  throw new Error(`KODA_EMBEDDINGS_URL must be an http(s) URL of an OpenAI-compatible embeddings endpoint, got "${value}"`);
}

/** Embeds texts, one vector each, in order. Throws `EmbeddingsError` on any failure. */
export class EmbeddingsClient {
  readonly model: string;
  private readonly endpoint: string;

  constructor(private readonly options: EmbeddingsOptions) {
    this.model = options.model;
    this.endpoint = embeddingsEndpoint(options.url);
  }

  async embed(texts: string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.options.apiKey && { authorization: `Bearer ${this.options.apiKey}` }),
      },
      body: JSON.stringify({ model: this.model, input: texts }),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    }).catch((err: unknown) => {
      throw new EmbeddingsError(`embeddings endpoint unreachable: ${err instanceof Error ? err.message : String(err)}`);
    });
    if (!response.ok) throw new EmbeddingsError(`embeddings endpoint answered HTTP ${response.status}`);
    const body = (await response.json().catch(() => null)) as { data?: { index?: number; embedding?: unknown }[] } | null;
    const data = body?.data;
    if (!Array.isArray(data) || data.length !== texts.length) throw new EmbeddingsError('embeddings endpoint answered no vector list of the right length');
    const vectors = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((d) => d.embedding);
    if (!vectors.every((v) => Array.isArray(v) && v.every((x) => typeof x === 'number'))) {
      throw new EmbeddingsError('embeddings endpoint answered a vector that is not a list of numbers');
    }
    return vectors;
  }
}
