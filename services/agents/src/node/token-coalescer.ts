/** Who speaks in a token run: a discussion persona and turn, or the node itself. */
export interface TokenTag {
  agent?: string;
  turn?: number;
}

/**
 * Coalesces a model's text deltas into at most one `token` event per interval (20/s by
 * default) whatever the model's pace, losing no text and keeping order. The first delta
 * goes out at once, so time-to-first-token is not traded for fewer events.
 *
 * A write that fails is never an unhandled rejection: the first failure is kept, reported to
 * `onFailure` (the node stops its LLM call), no later delta is written, and `flush()` rejects.
 */
export class TokenCoalescer {
  private pending = '';
  private pendingTag: TokenTag = {};
  private timer: NodeJS.Timeout | null = null;
  private lastFlushAt = 0;
  private writes: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;
  /** Every delta pushed so far: the node's partial answer. */
  text = '';

  constructor(
    private readonly intervalMs: number,
    private readonly write: (delta: string, tag: TokenTag) => Promise<unknown>,
    private readonly onFailure: (error: unknown) => void = () => undefined,
  ) {}

  push(delta: string, tag: TokenTag = {}): void {
    if (!delta) return;
    if (this.pending && !sameTag(tag, this.pendingTag)) this.flushNow();
    this.pending += delta;
    this.pendingTag = tag;
    this.text += delta;
    this.schedule();
  }

  /** Writes what is pending and resolves once every write so far has landed; rejects if one failed. */
  async flush(): Promise<void> {
    this.flushNow();
    await this.writes;
    if (this.failure) throw this.failure.error;
  }

  /** Forgets the partial text: the node starts over after a retry. */
  reset(): void {
    this.text = '';
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlushAt + this.intervalMs - Date.now());
    if (wait === 0) this.flushNow();
    else this.timer = setTimeout(() => this.flushNow(), wait);
  }

  private flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.pending) return;
    const delta = this.pending;
    const tag = this.pendingTag;
    this.pending = '';
    this.lastFlushAt = Date.now();
    this.writes = this.writes.then(() => this.writeOnce(delta, tag));
  }

  private async writeOnce(delta: string, tag: TokenTag): Promise<void> {
    if (this.failure) return;
    try {
      await this.write(delta, tag);
    } catch (error) {
      this.failure = { error };
      this.onFailure(error);
    }
  }
}

const sameTag = (a: TokenTag, b: TokenTag) => a.agent === b.agent && a.turn === b.turn;
