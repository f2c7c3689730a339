/**
 * A minimal incremental SSE frame splitter for the bench clients. Hand-written rather than a
 * full parser because the driver process parses tens of thousands of frames per second on a
 * 2-core box and must not become the bottleneck it measures. Handles `id:`, `data:` (one line,
 * as KODA and the peer write) and comment frames (`: ping`, skipped) and `event:` names.
 */
export interface SseFrame {
  id?: string;
  /** The `event:` name, when the server names its events (the LangGraph peer does; KODA does not). */
  event?: string;
  data: string;
}

export class SseFrameReader {
  private buffer = '';

  /** Feeds a decoded chunk; returns the complete frames it finished. */
  feed(chunk: string): SseFrame[] {
    this.buffer += chunk;
    const frames: SseFrame[] = [];
    let end = this.buffer.indexOf('\n\n');
    while (end !== -1) {
      const frame = parseFrame(this.buffer.slice(0, end));
      if (frame) frames.push(frame);
      this.buffer = this.buffer.slice(end + 2);
      end = this.buffer.indexOf('\n\n');
    }
    return frames;
  }
}

function parseFrame(block: string): SseFrame | null {
  let id: string | undefined;
  let event: string | undefined;
  let data: string | undefined;
  for (const raw of block.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.startsWith('data:')) data = data === undefined ? valueOf(line, 5) : `${data}\n${valueOf(line, 5)}`;
    else if (line.startsWith('id:')) id = valueOf(line, 3);
    else if (line.startsWith('event:')) event = valueOf(line, 6);
  }
  if (data === undefined) return null;
  return { ...(id === undefined ? {} : { id }), ...(event === undefined ? {} : { event }), data };
}

const valueOf = (line: string, from: number) => (line[from] === ' ' ? line.slice(from + 1) : line.slice(from));

/**
 * The `publish_ns` stamp the bench puts in its own events, read without JSON.parse (cheaper,
 * and the field is always written by us as a quoted decimal string). Null when absent.
 */
export function publishNsOf(data: string): bigint | null {
  const marker = '"publish_ns":"';
  const at = data.indexOf(marker);
  if (at === -1) return null;
  const from = at + marker.length;
  const to = data.indexOf('"', from);
  return to === -1 ? null : BigInt(data.slice(from, to));
}
