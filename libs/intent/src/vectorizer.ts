import { FeatureIndex, InternedDocument } from './feature-index';
import { extractFeatures, FeatureOptions } from './features';
import { SparseVector } from './sparse';

export interface VectorizerOptions extends FeatureOptions {
  /** Features seen in fewer training messages are dropped: one-off n-grams are mostly noise. */
  minDocumentFrequency: number;
}

/**
 * Maps messages to L2-normalised TF-IDF vectors over the n-grams of the training messages.
 * Sublinear TF (1 + log tf) keeps a repeated word from dominating a short message; IDF
 * down-weights n-grams every message shares ("de", "the"). A feature with IDF 0 is one this
 * vectorizer was not fitted on (another fold's, or too rare) and is left out.
 */
export class Vectorizer {
  private constructor(
    private readonly index: FeatureIndex,
    private readonly idf: Float64Array,
    private readonly options: VectorizerOptions,
  ) {}

  /** Fits IDF on `documents`, which must have been interned by `index`. */
  static fit(documents: readonly InternedDocument[], index: FeatureIndex, options: VectorizerOptions): Vectorizer {
    const documentFrequency = new Float64Array(index.size);
    for (const document of documents) for (const id of document.ids) documentFrequency[id] += 1;
    const idf = documentFrequency.map((df) => (df >= Math.max(options.minDocumentFrequency, 1) ? Math.log((1 + documents.length) / (1 + df)) + 1 : 0));
    return new Vectorizer(index, idf, options);
  }

  /** Width of the vectors: every id the index knew when this vectorizer was fitted. */
  get dimension(): number {
    return this.idf.length;
  }

  transform(message: unknown): SparseVector {
    return this.vectorize(this.index.lookup(extractFeatures(message, this.options)));
  }

  vectorize(document: InternedDocument): SparseVector {
    const indices = new Int32Array(document.ids.length);
    const values = new Float64Array(document.ids.length);
    let size = 0;
    let squaredNorm = 0;
    for (let j = 0; j < document.ids.length; j++) {
      const id = document.ids[j];
      const weight = id < this.idf.length ? this.idf[id] : 0;
      if (weight === 0) continue;
      indices[size] = id;
      values[size] = (1 + Math.log(document.counts[j])) * weight;
      squaredNorm += values[size] * values[size];
      size += 1;
    }
    const norm = Math.sqrt(squaredNorm) || 1;
    for (let j = 0; j < size; j++) values[j] /= norm;
    return { indices: indices.subarray(0, size), values: values.subarray(0, size) };
  }
}
