import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { KODA_CONFIG, type KodaConfig } from '@koda/platform';

interface Beating {
  ping(): void;
}

/**
 * How often a slice of the streams is pinged. Pinging every stream in one go stalled the event
 * loop for the whole burst (≈1 s for 10,000 streams on 2 vCPUs, every interval), delaying every
 * event of every active stream; in slices the same work comes in stalls of a millisecond or two.
 */
const SLICE_MS = 25;

/**
 * One timer for every open stream, rather than one per stream. Each stream belongs to one of
 * `interval / SLICE_MS` slices (round robin), and each tick pings one slice, so every stream
 * still gets one comment line per interval.
 */
@Injectable()
export class Heartbeat implements OnApplicationShutdown {
  private readonly slices: Set<Beating>[];
  private readonly sliceOf = new Map<Beating, Set<Beating>>();
  private readonly timer: NodeJS.Timeout;
  private nextSlice = 0;
  private tick = 0;

  constructor(@Inject(KODA_CONFIG) config: KodaConfig) {
    const count = Math.max(1, Math.round(config.KODA_HEARTBEAT_MS / SLICE_MS));
    this.slices = Array.from({ length: count }, () => new Set<Beating>());
    this.timer = setInterval(() => this.slices[this.tick++ % count].forEach((s) => s.ping()), config.KODA_HEARTBEAT_MS / count);
    this.timer.unref();
  }

  /** Streams beating now (for the hang-up tests and the soak). */
  get size(): number {
    return this.sliceOf.size;
  }

  add(stream: Beating): void {
    const slice = this.slices[this.nextSlice++ % this.slices.length];
    slice.add(stream);
    this.sliceOf.set(stream, slice);
  }

  remove(stream: Beating): void {
    this.sliceOf.get(stream)?.delete(stream);
    this.sliceOf.delete(stream);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
