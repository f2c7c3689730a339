import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'crypto';
import type Redis from 'ioredis';
import { compareStreamIds, keys, ORIGIN_ID } from '@koda/contracts';
import { createRedis, isCluster, redisTarget, KODA_CONFIG, LOGGER, REDIS, type KodaConfig, type Logger, withRetries } from '@koda/platform';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { ChannelTable, type RunChannel, type Tier } from './channel-table';
import { gatewayErrorEntry } from './gateway-event';
import { toRelayEntries, type RawStreamEntry, type RelayEntry } from './relay-entry';
import { RunSubscription, type RelayListener } from './run-subscription';
import { PollingReaderLoop } from './polling-reader-loop';
import { StreamReaderLoop, type ReadTarget } from './stream-reader-loop';
import { DoorbellSubscribers } from './doorbell-subscribers';
import { parseDoorbell, runIdOfDoorbell } from './doorbell';

/** What the relay needs of a reader: a blocking one (single Redis) or a polling one (cluster). */
type ReaderLoop = Pick<StreamReaderLoop, 'start' | 'wake' | 'stop'> & { ring?(channel: RunChannel): void };

/**
 * On a cluster, how long a reader round that found nothing waits, per tier (see
 * PollingReaderLoop). Writers ring the run's wake channel, which wakes the reader at once: the
 * poll only bounds the delay of an event whose ring was lost.
 */
const POLL_MS: Record<Tier, number> = { hot: 250, cold: 1000 };

/** A run with no entry for this long is parked on its shard's idle reader (see `Tier`). */
const IDLE_AFTER_MS = 2000;
const IDLE_SWEEP_MS = 1000;
/** Every this many sweeps, idle runs are checked for a log that disappeared (deleted mid-run). */
const GONE_CHECK_EVERY = 5;
/** Catch-up reads tried before the subscriber's connection is closed for it to resume. */
const CATCH_UP_ATTEMPTS = 3;

/**
 * Relays run logs to any number of SSE clients over a fixed number of Redis connections,
 * whatever the number of open streams: each run log is followed once and fanned out in memory.
 *
 * `KODA_RELAY=doorbell` (default): live entries come from the runs' doorbells (the write script
 * publishes `<prev-id> <id> <json>` with every entry, atomically) on one sharded-pub/sub
 * connection per `KODA_RELAY_READERS` shard (on a cluster, one per master). The stream stays
 * the truth: a channel subscribes first, then reads by cursor; a doorbell is delivered only if
 * its prev-id is the channel's cursor, dropped if already delivered, and otherwise reveals a
 * gap, repaired by a read by cursor. A lost last doorbell is bounded by the safety read of quiet
 * channels (`KODA_RELAY_SAFETY_POLL_MS`), and a subscriber reconnection repairs every channel.
 * `KODA_RELAY=xread`: two blocking readers per shard (active and idle runs) re-arm one `XREAD`
 * over all their streams per batch (on a cluster: reads by cursor, woken by the doorbell).
 *
 * Never a gap: a read's entries reach a channel only if the read was issued for that very
 * channel at its current cursor; a subscriber goes live only after its catch-up read
 * succeeded; whatever cannot be relayed without a gap (a stream Redis refuses to read, a
 * catch-up that keeps failing) closes the affected connections only, for their clients to
 * resume from their last id.
 */
@Injectable()
export class RunStreamRelay implements OnModuleInit, OnApplicationShutdown {
  private readonly table: ChannelTable;
  private readonly loops: Record<Tier, ReaderLoop[]> = { hot: [], cold: [] };
  /** On a cluster: the one client every reader shares (one connection per master). */
  private clusterReader: Redis | null = null;
  /** The doorbell subscribers (`doorbell` relay, or `xread` on a cluster, where they wake the reads). */
  private doorbells: DoorbellSubscribers | null = null;
  private readonly byDoorbell: boolean;
  private readonly instance = randomUUID();
  private sweep: NodeJS.Timeout | null = null;
  private sweeps = 0;

  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: GatewayMetrics,
  ) {
    this.table = new ChannelTable(config.KODA_RELAY_READERS);
    this.byDoorbell = config.KODA_RELAY === 'doorbell';
  }

  onModuleInit(): void {
    const cluster = isCluster(this.config);
    if (cluster) this.clusterReader = createRedis(redisTarget(this.config), `${this.config.KODA_PREFIX}:gateway:relay`, { logger: this.logger });
    if (this.byDoorbell || cluster) {
      this.doorbells = new DoorbellSubscribers(this.config, this.logger, {
        onRing: (channel, message) => this.onRing(channel, message),
        onReconnected: () => this.repairAll(),
      });
    }
    for (let shard = 0; shard < this.config.KODA_RELAY_READERS; shard++) {
      if (this.byDoorbell) this.loops.hot.push(this.safetyReader(shard));
      else for (const tier of ['hot', 'cold'] as const) this.loops[tier].push(this.xreadLoop(shard, tier));
    }
    for (const loop of [...this.loops.hot, ...this.loops.cold]) loop.start();
    this.sweep = setInterval(() => {
      this.parkIdle();
      if (++this.sweeps % GONE_CHECK_EVERY === 0) void this.endRunsWhoseLogIsGone();
    }, IDLE_SWEEP_MS);
    this.sweep.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    await Promise.all([...this.loops.hot, ...this.loops.cold].map((loop) => loop.stop()));
    this.clusterReader?.disconnect();
    this.doorbells?.stop();
  }

  /** The `xread` relay's reader of one shard and tier: blocking on a single Redis, polling on a cluster. */
  private xreadLoop(shard: number, tier: Tier): ReaderLoop {
    const name = tier === 'hot' ? `relay:${shard}` : `relay-idle:${shard}`;
    const callbacks = {
      targets: () => this.table.targets(shard, tier),
      onEntries: (target: ReadTarget<RunChannel>, entries: RawStreamEntry[]) => this.onLive(target, entries),
      onRefused: (targets: ReadTarget<RunChannel>[], error: Error) => this.isolateRefused(targets, error),
    };
    if (this.clusterReader) return new PollingReaderLoop<RunChannel>(this.clusterReader, POLL_MS[tier], callbacks, this.logger, name);
    const prefix = this.config.KODA_PREFIX;
    const reader = createRedis(redisTarget(this.config), `${prefix}:gateway:${name}`, { logger: this.logger });
    return new StreamReaderLoop<RunChannel>(reader, this.redis, keys.relayWake(prefix, this.instance, tier, shard), callbacks, this.logger);
  }

  /**
   * The `doorbell` relay's reader of one shard: reads by cursor a channel with a gap at once
   * (`ring`), and every channel quiet for `KODA_RELAY_SAFETY_POLL_MS` at that interval, so a
   * lost last doorbell delays its entry by at most about twice that. On a single Redis one
   * multi-key XREAD per round over the command connection; on a cluster one per stream.
   */
  private safetyReader(shard: number): ReaderLoop {
    const quietMs = this.config.KODA_RELAY_SAFETY_POLL_MS;
    const callbacks = {
      targets: () => [...this.table.targets(shard, 'hot'), ...this.table.targets(shard, 'cold')],
      onEntries: (target: ReadTarget<RunChannel>, entries: RawStreamEntry[]) => this.onLive(target, entries),
      onRefused: (targets: ReadTarget<RunChannel>[], error: Error) => this.isolateRefused(targets, error),
    };
    const options = { batched: !this.clusterReader, due: (target: ReadTarget<RunChannel>) => Date.now() - target.owner.lastEventAt >= quietMs };
    return new PollingReaderLoop<RunChannel>(this.clusterReader ?? this.redis, quietMs, callbacks, this.logger, `relay-safety:${shard}`, options);
  }

  get openSubscriptions(): number {
    let count = 0;
    for (const channel of this.table.values()) count += channel.subscribers.size;
    return count;
  }

  get openChannels(): number {
    let count = 0;
    for (const _ of this.table.values()) count += 1;
    return count;
  }

  /**
   * Streams a run's events after `afterId` (from the start by default) until its terminal
   * event. `afterId` must be a canonical id (see `parseStreamId`): it becomes a read cursor.
   */
  subscribe(runId: string, afterId: string | undefined, listener: RelayListener): () => void {
    const existing = this.table.get(runId);
    const channel = existing ?? this.open(runId);
    const subscription = new RunSubscription(runId, afterId ?? ORIGIN_ID, listener);
    channel.subscribers.add(subscription);
    if (existing) {
      void this.catchUp(channel, subscription, afterId);
    } else {
      // A new channel needs no catch-up read: a read by cursor (`XREAD … afterId`) returns
      // exactly what `XRANGE (afterId +` would, so the channel starts at the subscriber's position.
      channel.cursor = afterId ?? ORIGIN_ID;
      subscription.goLive([]);
      if (!this.byDoorbell) this.loops.hot[channel.shard].wake();
    }
    return () => this.release(channel, subscription);
  }

  /** Delivers an event this gateway made up (never stored) to the run's local subscribers. */
  deliverLocal(runId: string, entry: RelayEntry): void {
    const channel = this.table.get(runId);
    if (!channel) return;
    for (const subscription of [...channel.subscribers]) {
      subscription.deliverNow(entry);
      if (subscription.ended) this.release(channel, subscription);
    }
  }

  /** Delivers an event this gateway made up to every local subscriber of every run. */
  broadcastLocal(entryFor: (runId: string) => RelayEntry): void {
    for (const channel of [...this.table.values()]) this.deliverLocal(channel.runId, entryFor(channel.runId));
  }

  /** Ends every subscription without a terminal event (shutdown): clients resume elsewhere. */
  abortAll(reason: string): void {
    for (const channel of [...this.table.values()]) this.abortChannel(channel, reason);
  }

  private open(runId: string): RunChannel {
    const key = keys.runEvents(this.config.KODA_PREFIX, runId);
    const channel: RunChannel = {
      runId,
      key,
      cursor: null,
      subscribers: new Set(),
      shard: shardOf(runId, this.loops.hot.length),
      tier: 'hot',
      lastEventAt: Date.now(),
    };
    this.table.add(channel);
    this.watchDoorbell(channel);
    return channel;
  }

  /**
   * Subscribes to the run's doorbell, then (doorbell relay) reads the stream by cursor: what was
   * written before the subscription took effect is read, everything after it rings.
   */
  private watchDoorbell(channel: RunChannel): void {
    if (!this.doorbells) return;
    const doorbell = keys.runWake(this.config.KODA_PREFIX, channel.runId);
    this.doorbells.subscribe(doorbell, channel.shard).then(
      () => this.repair(channel),
      (err: Error) => {
        this.logger.warn(
          { run_id: channel.runId, err: err.message },
          'could not subscribe to the run’s doorbell; its events arrive at the safety poll interval',
        );
        this.repair(channel);
      },
    );
  }

  private close(channel: RunChannel): void {
    this.table.remove(channel);
    if (this.table.get(channel.runId)) return;
    this.doorbells?.unsubscribe(keys.runWake(this.config.KODA_PREFIX, channel.runId), channel.shard);
  }

  /** A writer rang a run's doorbell. */
  private onRing(doorbellChannel: string, message: string): void {
    const channel = this.table.get(runIdOfDoorbell(doorbellChannel));
    if (!channel || channel.cursor === null) return;
    if (!this.byDoorbell) return this.loops[channel.tier][channel.shard]?.ring?.(channel);
    const bell = parseDoorbell(message);
    if (!bell) return this.repair(channel);
    const [id] = bell.entry;
    if (compareStreamIds(id, channel.cursor) <= 0) return; // already delivered (a repair read it first, or a duplicate)
    if (bell.prev !== channel.cursor) return this.repair(channel); // a gap: something between cursor and id never rang here
    this.onLive({ key: channel.key, cursor: channel.cursor, owner: channel }, [bell.entry]);
  }

  /** Reads the channel by cursor now (a gap, a new subscription): the stream is the truth. */
  private repair(channel: RunChannel): void {
    if (this.table.get(channel.runId) !== channel) return;
    if (this.byDoorbell) this.loops.hot[channel.shard]?.ring?.(channel);
    else this.loops[channel.tier][channel.shard]?.wake();
  }

  /** A subscriber connection came back: doorbells may have been lost, every channel is repaired. */
  private repairAll(): void {
    for (const channel of this.table.values()) if (channel.cursor !== null) this.repair(channel);
  }

  /**
   * A second reader of a channel already live: reads what it missed (buffering live entries
   * meanwhile), then joins the live fan-out. A read that keeps failing closes this subscriber
   * only: going live past a gap would lose events silently.
   */
  private async catchUp(channel: RunChannel, subscription: RunSubscription, afterId: string | undefined): Promise<void> {
    const read = async () => {
      const raw = (await this.redis.xrange(channel.key, afterId ? `(${afterId}` : '-', '+')) as RawStreamEntry[];
      if (subscription.ended) return;
      subscription.goLive(this.parse(channel, raw));
      if (subscription.ended) this.release(channel, subscription);
    };
    try {
      await withRetries(read, { attempts: CATCH_UP_ATTEMPTS, backoff: { initialMs: 50, maxMs: 1000 }, retryable: () => !subscription.ended });
    } catch (err) {
      if (subscription.ended) return;
      this.logger.warn({ err: (err as Error).message, run_id: channel.runId }, 'relay catch-up read failed; closing the stream for the client to resume');
      subscription.abort('catch-up read failed');
      this.release(channel, subscription);
    }
  }

  private onLive(target: ReadTarget<RunChannel>, raw: RawStreamEntry[]): void {
    const channel = target.owner;
    // Entries belong to the read's own channel at the cursor it was issued for; a channel
    // closed and re-opened meanwhile, or already advanced by its other reader (a run moving
    // between tiers), re-reads from its own cursor instead.
    if (raw.length === 0 || this.table.get(channel.runId) !== channel || channel.cursor !== target.cursor) return;
    channel.cursor = raw[raw.length - 1][0];
    channel.lastEventAt = Date.now();
    if (channel.tier === 'cold') {
      this.table.setTier(channel, 'hot');
      if (!this.byDoorbell) this.loops.hot[channel.shard].wake();
    }
    const entries = this.parse(channel, raw);
    for (const subscription of [...channel.subscribers]) {
      for (const entry of entries) subscription.deliver(entry);
      if (subscription.ended) this.release(channel, subscription);
    }
  }

  /**
   * Redis refused a whole multi-stream read: finds the streams it refuses one by one and ends
   * only their channels (their clients resume), so one bad stream cannot stall the others.
   */
  private async isolateRefused(targets: ReadTarget<RunChannel>[], error: Error): Promise<void> {
    // One command per stream (not a pipeline): on a cluster each goes to its own slot's master.
    const results = await Promise.all(
      targets.map((target) =>
        this.redis.xread('COUNT', 1, 'STREAMS', target.key, target.cursor).then(
          () => [null] as const,
          (probeError: Error) => [probeError] as const,
        ),
      ),
    );
    let isolated = 0;
    results.forEach(([probeError], i) => {
      if (!probeError) return;
      isolated += 1;
      this.logger.warn({ run_id: targets[i].owner.runId, err: probeError.message }, 'Redis refused to read this run log; its streams are closed');
      this.abortChannel(targets[i].owner, 'run log unreadable');
    });
    if (isolated === 0) {
      this.logger.warn({ err: error.message }, 'relay read refused, but no single stream is at fault; retrying');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  private abortChannel(channel: RunChannel, reason: string): void {
    for (const subscription of [...channel.subscribers]) {
      subscription.abort(reason);
      this.release(channel, subscription);
    }
    this.close(channel);
  }

  /** Moves runs idle for a while to their shard's idle reader, waking it once per shard. */
  private parkIdle(): void {
    const shards = new Set<number>();
    for (const channel of this.table.idleHot(Date.now() - IDLE_AFTER_MS)) {
      this.table.setTier(channel, 'cold');
      shards.add(channel.shard);
    }
    for (const shard of shards) this.loops.cold[shard]?.wake();
  }

  /**
   * A run log deleted mid-run can never receive its terminal event (every script refuses to
   * write to a missing log), and a blocking read of a missing key just waits: the idle runs'
   * streams are checked now and then, and those whose log is gone end with a fatal error.
   */
  private async endRunsWhoseLogIsGone(): Promise<void> {
    const idle = this.table.idle();
    if (idle.length === 0) return;
    const results = await Promise.all(
      idle.map((channel) =>
        this.redis.exists(channel.key).then(
          (exists) => [null, exists] as const,
          (error: Error) => [error, 1] as const,
        ),
      ),
    );
    results.forEach(([error, exists], i) => {
      if (error || exists !== 0) return;
      const channel = idle[i];
      this.logger.warn({ run_id: channel.runId }, 'the run log disappeared mid-run; its streams end here');
      this.deliverLocal(
        channel.runId,
        gatewayErrorEntry(channel.runId, 'internal', 'The run’s log is gone (deleted or expired): the run cannot go on. Please ask again.', true),
      );
    });
  }

  private release(channel: RunChannel, subscription: RunSubscription): void {
    subscription.close();
    channel.subscribers.delete(subscription);
    if (channel.subscribers.size === 0) this.close(channel);
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
