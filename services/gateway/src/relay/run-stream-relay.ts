import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'crypto';
import type Redis from 'ioredis';
import { keys } from '@koda/contracts';
import { createRedis, KODA_CONFIG, LOGGER, REDIS, type KodaConfig, type Logger } from '@koda/platform';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { toRelayEntries, type RawStreamEntry, type RelayEntry } from './relay-entry';
import { RunSubscription, type RelayListener } from './run-subscription';
import { StreamReaderLoop, type ReadTarget } from './stream-reader-loop';
import { ORIGIN_ID } from './stream-ids';

interface RunChannel {
  runId: string;
  key: string;
  /** Last id read live; null until the first catch-up read says where live reading starts. */
  cursor: string | null;
  subscribers: Set<RunSubscription>;
  shard: number;
}

/**
 * Relays run logs to any number of SSE clients over a fixed number of Redis connections
 * (`KODA_RELAY_READERS` blocking readers plus the shared command connection), whatever the
 * number of open streams: each run log is read once and fanned out in memory.
 */
@Injectable()
export class RunStreamRelay implements OnModuleInit, OnApplicationShutdown {
  private readonly channels = new Map<string, RunChannel>();
  private readonly byKey = new Map<string, RunChannel>();
  private readonly loops: StreamReaderLoop[] = [];
  private readonly instance = randomUUID();

  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: GatewayMetrics,
  ) {}

  onModuleInit(): void {
    for (let shard = 0; shard < this.config.KODA_RELAY_READERS; shard++) {
      const reader = createRedis(this.config.REDIS_URL, `${this.config.KODA_PREFIX}:gateway:relay:${shard}`);
      const wakeKey = `${this.config.KODA_PREFIX}:gateway:{${this.instance}}:wake:${shard}`;
      const loop = new StreamReaderLoop(reader, this.redis, wakeKey, () => this.targetsOf(shard), (key, entries) => this.onLive(key, entries), this.logger);
      loop.start();
      this.loops.push(loop);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop()));
  }

  get openSubscriptions(): number {
    let count = 0;
    for (const channel of this.channels.values()) count += channel.subscribers.size;
    return count;
  }

  /** Streams a run's events after `afterId` (from the start by default) until its terminal event. */
  subscribe(runId: string, afterId: string | undefined, listener: RelayListener): () => void {
    const channel = this.channelOf(runId);
    const subscription = new RunSubscription(runId, afterId ?? ORIGIN_ID, listener);
    channel.subscribers.add(subscription);
    void this.catchUp(channel, subscription, afterId);
    return () => this.release(channel, subscription);
  }

  private channelOf(runId: string): RunChannel {
    let channel = this.channels.get(runId);
    if (!channel) {
      const key = keys.runEvents(this.config.KODA_PREFIX, runId);
      channel = { runId, key, cursor: null, subscribers: new Set(), shard: shardOf(runId, this.loops.length) };
      this.channels.set(runId, channel);
      this.byKey.set(key, channel);
    }
    return channel;
  }

  private async catchUp(channel: RunChannel, subscription: RunSubscription, afterId: string | undefined): Promise<void> {
    let entries: RelayEntry[] = [];
    try {
      const raw = (await this.redis.xrange(channel.key, afterId ? `(${afterId}` : '-', '+')) as RawStreamEntry[];
      entries = this.parse(channel, raw);
    } catch (err) {
      this.logger.warn({ err, run_id: channel.runId }, 'relay catch-up read failed; continuing live');
    }
    if (subscription.ended) return;
    if (channel.cursor === null && this.channels.get(channel.runId) === channel) {
      channel.cursor = entries.length > 0 ? entries[entries.length - 1].id : (afterId ?? ORIGIN_ID);
      this.loops[channel.shard].wake();
    }
    subscription.goLive(entries);
    if (subscription.ended) this.release(channel, subscription);
  }

  private onLive(key: string, raw: RawStreamEntry[]): void {
    const channel = this.byKey.get(key);
    if (!channel || raw.length === 0) return;
    channel.cursor = raw[raw.length - 1][0];
    const entries = this.parse(channel, raw);
    for (const subscription of [...channel.subscribers]) {
      for (const entry of entries) subscription.deliver(entry);
      if (subscription.ended) this.release(channel, subscription);
    }
  }

  private release(channel: RunChannel, subscription: RunSubscription): void {
    subscription.close();
    channel.subscribers.delete(subscription);
    if (channel.subscribers.size === 0 && this.channels.get(channel.runId) === channel) {
      this.channels.delete(channel.runId);
      this.byKey.delete(channel.key);
    }
  }

  private targetsOf(shard: number): ReadTarget[] {
    const targets: ReadTarget[] = [];
    for (const channel of this.channels.values()) {
      if (channel.shard === shard && channel.cursor !== null) targets.push({ key: channel.key, cursor: channel.cursor });
    }
    return targets;
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
