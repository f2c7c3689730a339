/**
 * Removes a marker (the consensus tag) from streamed text, even when a delta splits it: text
 * that could be the start of the marker is held back until the next delta settles it.
 */
export class MarkerFilter {
  private held = '';

  constructor(private readonly marker: string) {}

  /** The part of `delta` that is safe to show now. */
  push(delta: string): string {
    const text = (this.held + delta).split(this.marker).join('');
    const keep = this.partialMarkerSuffix(text);
    this.held = text.slice(text.length - keep);
    return text.slice(0, text.length - keep);
  }

  /** Whatever was held back, once the stream is over. */
  end(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }

  private partialMarkerSuffix(text: string): number {
    for (let n = Math.min(this.marker.length - 1, text.length); n > 0; n--) {
      if (this.marker.startsWith(text.slice(text.length - n))) return n;
    }
    return 0;
  }
}
