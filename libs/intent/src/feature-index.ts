/** A message's n-grams as integer ids with their counts, so training never hashes strings. */
export interface InternedDocument {
  readonly ids: Int32Array;
  readonly counts: Float64Array;
}

/**
 * Gives every training n-gram a dense integer id, in first-seen order (deterministic: same data,
 * same ids). Cross-validation interns the train split once and every fold reuses the ids.
 */
export class FeatureIndex {
  private readonly ids = new Map<string, number>();

  get size(): number {
    return this.ids.size;
  }

  /** Training side: unseen n-grams get new ids. */
  intern(features: ReadonlyMap<string, number>): InternedDocument {
    return this.toDocument(features, (key) => {
      let id = this.ids.get(key);
      if (id === undefined) this.ids.set(key, (id = this.ids.size));
      return id;
    });
  }

  /** Inference side: n-grams never seen in training carry no weight, so they are dropped. */
  lookup(features: ReadonlyMap<string, number>): InternedDocument {
    return this.toDocument(features, (key) => this.ids.get(key) ?? -1);
  }

  private toDocument(features: ReadonlyMap<string, number>, idOf: (key: string) => number): InternedDocument {
    const ids: number[] = [];
    const counts: number[] = [];
    for (const [key, count] of features) {
      const id = idOf(key);
      if (id < 0) continue;
      ids.push(id);
      counts.push(count);
    }
    return { ids: Int32Array.from(ids), counts: Float64Array.from(counts) };
  }
}
