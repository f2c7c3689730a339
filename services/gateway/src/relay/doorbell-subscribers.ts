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

/** The subscription changes asked of one connection during one turn of the event loop. */
interface Batch {
  /** Each channel's last asked state (true: subscribed). */
  wanted: Map<string, boolean>;
  /** Settles once the batch's `SSUBSCRIBE` was confirmed (at once when it had none). */
  sent: Promise<void>;
}

/**
 * The fixed set of sharded-pub/sub connections the doorbell relay listens on, whatever the
 * number of open streams: on a single Redis, one connection per `KODA_RELAY_READERS` shard;
 * on a cluster, one ioredis `Cluster` client with `shardedSubscribers`, which keeps one
 * subscriber connection per master and routes each `SSUBSCRIBE` to the master of its slot.
 */
export class DoorbellSubscribers {
  private readonly clients: Redis[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly cluster: boolean;
  private readonly batches = new Map<Redis, Batch>();

  constructor(
    config: KodaConfig,
    logger: Logger,
    private readonly handlers: DoorbellHandlers,
  ) {
    const prefix = config.KODA_PREFIX;
    const cluster = isCluster(config);
    this.cluster = cluster;
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
    const client = this.client(shard);
    if (this.cluster) await client.ssubscribe(channel);
    else await this.change(client, channel, true);
  }

  unsubscribe(channel: string, shard: number): void {
    const client = this.client(shard);
    const sent = this.cluster ? client.sunsubscribe(channel) : this.change(client, channel, false);
    sent.catch(() => undefined);
  }

  /**
   * On a single Redis, the (un)subscriptions asked during one turn of the event loop go out
   * together, one `SUNSUBSCRIBE` and one `SSUBSCRIBE` naming all their channels: a run opened
   * and closed per request cost two commands, each its own write on a connection that cannot
   * auto-pipeline (11 % of the gateway's time end to end). A channel's last ask in the turn
   * wins, and batches go out in order on the one connection, so a channel closed and reopened
   * stays subscribed. (On a cluster every channel has its own slot: one command each.)
   */
  private change(client: Redis, channel: string, subscribed: boolean): Promise<void> {
    let batch = this.batches.get(client);
    if (!batch) {
      const wanted = new Map<string, boolean>();
      const sent = new Promise<void>((resolve, reject) =>
        setImmediate(() => {
          this.batches.delete(client);
          send(client, wanted).then(resolve, reject);
        }),
      );
      batch = { wanted, sent };
      this.batches.set(client, batch);
    }
    batch.wanted.set(channel, subscribed);
    return batch.sent;
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

/** One batch's changes: the unsubscriptions, then the subscriptions (confirmed when this resolves). */
async function send(client: Redis, wanted: Map<string, boolean>): Promise<void> {
  const on: string[] = [];
  const off: string[] = [];
  for (const [channel, subscribed] of wanted) (subscribed ? on : off).push(channel);
  if (off.length > 0) client.sunsubscribe(...off).catch(() => undefined);
  if (on.length > 0) await client.ssubscribe(...on);
}
