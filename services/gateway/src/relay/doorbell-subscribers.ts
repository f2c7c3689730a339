import type Redis from 'ioredis';
import type { Logger } from 'pino';
import { createRedis, isCluster, redisTarget, type KodaConfig } from '@koda/platform';

export interface DoorbellHandlers {
  /** A doorbell rang on a channel this gateway subscribes to. */
  onRing(channel: string, message: string): void;
  /**
   * A subscriber connection came back (pub/sub loses whatever was published meanwhile): every
   * channel is to be repaired from its stream. Called at once and again once the channels
   * were subscribed again (ioredis re-subscribes by itself, without telling when it is done).
   */
  onReconnected(): void;
}

/** Time for ioredis to re-subscribe every channel after a reconnection, before the second repair. */
const RESUBSCRIBE_MS = 250;

/**
 * The fixed set of sharded-pub/sub connections the doorbell relay listens on, whatever the
 * number of open streams: on a single Redis, one connection per `KODA_RELAY_READERS` shard;
 * on a cluster, one ioredis `Cluster` client with `shardedSubscribers`, which keeps one
 * subscriber connection per master and routes each `SSUBSCRIBE` to the master of its slot.
 */
export class DoorbellSubscribers {
  private readonly clients: Redis[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    config: KodaConfig,
    logger: Logger,
    private readonly handlers: DoorbellHandlers,
  ) {
    const prefix = config.KODA_PREFIX;
    const cluster = isCluster(config);
    const count = cluster ? 1 : config.KODA_RELAY_READERS;
    for (let shard = 0; shard < count; shard++) {
      const client = createRedis(redisTarget(config), `${prefix}:gateway:doorbell:${shard}`, { logger, shardedSubscribers: cluster });
      client.on('smessage', (channel: string, message: string) => handlers.onRing(channel, message));
      if (cluster) {
        // The subscriber group replaced a connection (or the topology moved) and re-subscribed.
        client.on('subscribersReady', () => this.reconnected());
        client.on('-node', () => this.reconnected());
      } else {
        let connected = false;
        client.on('ready', () => {
          if (connected) this.reconnected();
          connected = true;
        });
      }
      this.clients.push(client);
    }
  }

  /** Resolves once Redis confirmed the subscription: from then on no ring on it is missed. */
  async subscribe(channel: string, shard: number): Promise<void> {
    await this.client(shard).ssubscribe(channel);
  }

  unsubscribe(channel: string, shard: number): void {
    this.client(shard)
      .sunsubscribe(channel)
      .catch(() => undefined);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    for (const client of this.clients) client.disconnect();
  }

  private client(shard: number): Redis {
    return this.clients[shard % this.clients.length];
  }

  private reconnected(): void {
    this.handlers.onReconnected();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.handlers.onReconnected();
    }, RESUBSCRIBE_MS);
    timer.unref();
    this.timers.add(timer);
  }
}
