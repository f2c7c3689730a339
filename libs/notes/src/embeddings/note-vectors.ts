import { createHash } from 'node:crypto';
import type { Note, NotesLogEntry } from '@koda/contracts';
import type { NotesLogger } from '../notes-log';
import { EmbeddingsError, type EmbeddingsClient } from './embeddings-client';
import { cosine } from './vector-math';

interface StoredVector {
  hash: string;
  model: string;
  vector: number[];
}

/** Longest text of a note sent to be embedded (embedding models have small context windows). */
const EMBED_CHARS = 4000;

const noteText = (note: Note) => `${note.title}\n${note.tags.join(', ')}\n${note.content}`.slice(0, EMBED_CHARS);
const hashOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * The notes' embedding vectors, kept beside the projection: a note is embedded when it enters
 * the notes log (or when its text or the model changed), dropped when removed. The endpoint
 * being down never fails anything: the search goes on lexical only, and says so once.
 */
export class NoteVectors {
  private readonly vectors = new Map<string, StoredVector>();
  private readonly pending = new Map<string, Note>();
  private flushing: Promise<void> = Promise.resolve();
  private warned = false;

  constructor(
    private readonly client: EmbeddingsClient,
    private readonly logger?: NotesLogger,
  ) {}

  get size(): number {
    return this.vectors.size;
  }

  /** Fold one notes log entry (called by the projection); embedding happens in the background. */
  apply(entry: NotesLogEntry): void {
    if (entry.type === 'note_removed') {
      this.vectors.delete(entry.id);
      this.pending.delete(entry.id);
      return;
    }
    const stored = this.vectors.get(entry.note.id);
    if (stored && stored.model === this.client.model && stored.hash === hashOf(noteText(entry.note))) return;
    this.pending.set(entry.note.id, entry.note);
    void this.flush();
  }

  /** Embeds every note waiting; resolves when done (or failed, logged once). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.embedPending());
    return this.flushing;
  }

  private async embedPending(): Promise<void> {
    const batch = [...this.pending.values()].slice(0, 64);
    if (batch.length === 0) return;
    const texts = batch.map(noteText);
    try {
      const vectors = await this.client.embed(texts);
      batch.forEach((note, i) => {
        if (this.pending.get(note.id) !== note) return; // changed or removed meanwhile
        this.pending.delete(note.id);
        this.vectors.set(note.id, { hash: hashOf(texts[i]), model: this.client.model, vector: vectors[i] });
      });
      this.recovered();
      if (this.pending.size > 0) await this.embedPending();
    } catch (err) {
      this.unavailable(err);
    }
  }

  /** Notes ranked by cosine similarity to `query`, best first; null when the endpoint failed. */
  async rank(query: string): Promise<{ id: string; similarity: number }[] | null> {
    if (this.pending.size > 0) await this.flush();
    try {
      const [q] = await this.client.embed([query]);
      this.recovered();
      return [...this.vectors]
        .filter(([, v]) => v.model === this.client.model)
        .map(([id, v]) => ({ id, similarity: cosine(q, v.vector) }))
        .sort((a, b) => b.similarity - a.similarity || a.id.localeCompare(b.id));
    } catch (err) {
      this.unavailable(err);
      return null;
    }
  }

  private unavailable(err: unknown): void {
    if (this.warned) return;
    this.warned = true;
    const reason = err instanceof EmbeddingsError ? err.message : String(err);
    this.logger?.warn({ reason }, 'embeddings endpoint unavailable: searching notes lexically only');
  }

  /** Back up: a later outage deserves its own warning. */
  private recovered(): void {
    this.warned = false;
  }
}
