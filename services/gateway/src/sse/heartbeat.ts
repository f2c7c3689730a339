import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { KODA_CONFIG, type KodaConfig } from '@koda/platform';

interface Beating {
  ping(): void;
}

/** One timer for every open stream, rather than one per stream. */
@Injectable()
export class Heartbeat implements OnApplicationShutdown {
  private readonly streams = new Set<Beating>();
  private readonly timer: NodeJS.Timeout;

  constructor(@Inject(KODA_CONFIG) config: KodaConfig) {
    this.timer = setInterval(() => this.streams.forEach((s) => s.ping()), config.KODA_HEARTBEAT_MS);
    this.timer.unref();
  }

  add(stream: Beating): void {
    this.streams.add(stream);
  }
  remove(stream: Beating): void {
    this.streams.delete(stream);
  }
  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
