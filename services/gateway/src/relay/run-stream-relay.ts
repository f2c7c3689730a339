import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'crypto';
import type Redis from 'ioredis';
import { keys } from '@koda/contracts';
import { createRedis, KODA_CONFIG, LOGGER, REDIS, type KodaConfig, type Logger } from '@koda/platform';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { ChannelTable, type RunChannel, type Tier } from './channel-table';
import { toRelayEntries, type RawStreamEntry, type RelayEntry } from './relay-entry';
import { RunSubscription, type RelayListener } from './run-subscription';
import { StreamReaderLoop } from './stream-reader-loop';
import { compareStreamIds, ORIGIN_ID } from './stream-ids';

/** A run with no entry for this long is parked on its shard's idle reader (see `Tier`). */
const IDLE_AFTER_MS = 2000;
const IDLE_SWEEP_MS = 1000;

/**
 * Relays run logs to any number of SSE clients over a fixed number of Redis connections
 * (two blocking readers per `KODA_RELAY_READERS` shard, one for active runs and one for idle
 * ones, plus the shared command connection), whatever the number of open streams: each run
 * log is read once and fanned out in memory.
 */
@Injectable()
export class RunStreamRelay implements OnModuleInit, OnApplicationShutdown {
  private readonly table: ChannelTable;
  private readonly loops: Record<Tier, StreamReaderLoop[]> = { hot: [], cold: [] };
  private readonly instance = randomUUID();
  private sweep: NodeJS.Timeout | null = null;

  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: GatewayMetrics,
  ) {
    this.table = new ChannelTable(config.KODA_RELAY_READERS);
  }

  onModuleInit(): void {
    const prefix = this.config.KODA_PREFIX;
    for (let shard = 0; shard < this.config.KODA_RELAY_READERS; shard++) {
      for (const tier of ['hot', 'cold'] as const) {
        const name = tier === 'hot' ? `relay:${shard}` : `relay-idle:${shard}`;
        const reader = createRedis(this.config.REDIS_URL, `${prefix}:gateway:${name}`);
        const wakeKey = `${prefix}:gateway:{${this.instance}}:wake:${tier}:${shard}`;
        const loop = new StreamReaderLoop(reader, this.redis, wakeKey, () => this.table.targets(shard, tier), (key, entries) => this.onLive(key, entries), this.logger);
        loop.start();
        this.loops[tier].push(loop);
      }
    }
    this.sweep = setInterval(() => this.parkIdle(), IDLE_SWEEP_MS);
    this.sweep.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    await Promise.all([...this.loops.hot, ...this.loops.cold].map((loop) => loop.stop()));
  }

  get openSubscriptions(): number {
    let count = 0;
    for (const channel of this.table.values()) count += channel.subscribers.size;
    return count;
  }

  /** Streams a run's events after `afterId` (from the start by default) until its terminal event. */
  subscribe(runId: string, afterId: string | undefined, listener: RelayListener): () => void {
    const existing = this.table.get(runId);
    const channel = existing ?? this.open(runId);
    const subscription = new RunSubscription(runId, afterId ?? ORIGIN_ID, listener);
    channel.subscribers.add(subscription);
    if (existing) {
      void this.catchUp(channel, subscription, afterId);
    } else {
      // A new channel needs no catch-up read: `XREAD … afterId` returns exactly what
      // `XRANGE (afterId +` would, so the live read starts at the subscriber's position.
      channel.cursor = afterId ?? ORIGIN_ID;
      subscription.goLive([]);
      this.loops.hot[channel.shard].wake();
    }
    return () => this.release(channel, subscription);
  }

  private open(runId: string): RunChannel {
    const key = keys.runEvents(this.config.KODA_PREFIX, runId);
    const channel: RunChannel = { runId, key, cursor: null, subscribers: new Set(), shard: shardOf(runId, this.loops.hot.length), tier: 'hot', lastEventAt: Date.now() };
    this.table.add(channel);
    return channel;
  }

  /** A second reader of a channel already live: reads what it missed, then joins the live fan-out. */
  private async catchUp(channel: RunChannel, subscription: RunSubscription, afterId: string | undefined): Promise<void> {
    let entries: RelayEntry[] = [];
    try {
      const raw = (await this.redis.xrange(channel.key, afterId ? `(${afterId}` : '-', '+')) as RawStreamEntry[];
      entries = this.parse(channel, raw);
    } catch (err) {
      this.logger.warn({ err, run_id: channel.runId }, 'relay catch-up read failed; continuing live');
    }
    if (subscription.ended) return;
    subscription.goLive(entries);
    if (subscription.ended) this.release(channel, subscription);
  }

  private onLive(key: string, raw: RawStreamEntry[]): void {
    const channel = this.table.byKey(key);
    if (!channel || raw.length === 0) return;
    // Both readers of a shard may briefly hold the same key (a run moving between tiers):
    // keep the cursor monotonic; subscribers drop anything at or before what they delivered.
    const last = raw[raw.length - 1][0];
    if (channel.cursor !== null && compareStreamIds(last, channel.cursor) <= 0) return;
    channel.cursor = last;
    channel.lastEventAt = Date.now();
    if (channel.tier === 'cold') {
      this.table.setTier(channel, 'hot');
      this.loops.hot[channel.shard].wake();
    }
    const entries = this.parse(channel, raw);
    for (const subscription of [...channel.subscribers]) {
      for (const entry of entries) subscription.deliver(entry);
      if (subscription.ended) this.release(channel, subscription);
    }
  }

  /** Moves runs idle for a while to their shard's idle reader, waking it once per shard. */
  private parkIdle(): void {
    const shards = new Set<number>();
    for (const channel of this.table.idleHot(Date.now() - IDLE_AFTER_MS)) {
      this.table.setTier(channel, 'cold');
      shards.add(channel.shard);
    }
    for (const shard of shards) this.loops.cold[shard].wake();
  }

  private release(channel: RunChannel, subscription: RunSubscription): void {
    subscription.close();
    channel.subscribers.delete(subscription);
    if (channel.subscribers.size === 0) this.table.remove(channel);
  }

  private parse(channel: RunChannel, raw: RawStreamEntry[]): RelayEntry[] {
    return toRelayEntries(raw, (id, reason) => {
      this.metrics.malformedEntries.inc();
      this.logger.warn({ run_id: channel.runId, entry_id: id, reason }, 'skipped a malformed run-log entry');
    });
  }
}

function shardOf(runId: string, shards: number): number {
  let hash = 0;
  for (let i = 0; i < runId.length; i++) hash = (hash * 31 + runId.charCodeAt(i)) | 0;
  return Math.abs(hash) % shards;
}
