import type { RunSubscription } from './run-subscription';
import type { ReadTarget } from './stream-reader-loop';

/**
 * `hot`: read by the shard's busy reader, whose blocking XREAD is re-issued after every event
 * batch, so each of its keys costs Redis and the gateway work on every cycle. `cold`: idle
 * runs, parked on a second reader whose XREAD is re-issued only when one of them wakes up or
 * the parked set changes. Without the split, N idle streams made every event cost O(N).
 * With the doorbell relay (which reads no stream per event) the tiers only say which runs are
 * idle, for the check of run logs deleted mid-run.
 */
export type Tier = 'hot' | 'cold';

export interface RunChannel {
  runId: string;
  key: string;
  /** Last id read live; null until a catch-up read says where live reading starts. */
  cursor: string | null;
  subscribers: Set<RunSubscription>;
  shard: number;
  tier: Tier;
  /** When the channel last received an entry (or opened), for demotion to `cold`. */
  lastEventAt: number;
}

/** The open channels of one gateway, indexed by run, by stream key and by (shard, tier). */
export class ChannelTable {
  private readonly byRun = new Map<string, RunChannel>();
  private readonly byStreamKey = new Map<string, RunChannel>();
  private readonly sets: Record<Tier, Set<RunChannel>[]>;

  constructor(shards: number) {
    this.sets = { hot: sets(shards), cold: sets(shards) };
  }

  get(runId: string): RunChannel | undefined {
    return this.byRun.get(runId);
  }

  byKey(key: string): RunChannel | undefined {
    return this.byStreamKey.get(key);
  }

  values(): IterableIterator<RunChannel> {
    return this.byRun.values();
  }

  add(channel: RunChannel): void {
    this.byRun.set(channel.runId, channel);
    this.byStreamKey.set(channel.key, channel);
    this.sets[channel.tier][channel.shard].add(channel);
  }

  /** Removes the channel if it is still the one registered for its run. */
  remove(channel: RunChannel): void {
    if (this.byRun.get(channel.runId) !== channel) return;
    this.byRun.delete(channel.runId);
    this.byStreamKey.delete(channel.key);
    this.sets[channel.tier][channel.shard].delete(channel);
  }

  setTier(channel: RunChannel, tier: Tier): void {
    if (channel.tier === tier || this.byRun.get(channel.runId) !== channel) return;
    this.sets[channel.tier][channel.shard].delete(channel);
    channel.tier = tier;
    this.sets[tier][channel.shard].add(channel);
  }

  /** What a shard's reader of that tier reads: channels whose live position is known. */
  targets(shard: number, tier: Tier): ReadTarget<RunChannel>[] {
    const targets: ReadTarget<RunChannel>[] = [];
    for (const channel of this.sets[tier][shard]) {
      if (channel.cursor !== null) targets.push({ key: channel.key, cursor: channel.cursor, owner: channel });
    }
    return targets;
  }

  /** Channels parked on the idle readers, live position known. */
  idle(): RunChannel[] {
    return this.sets.cold.flatMap((shard) => [...shard].filter((channel) => channel.cursor !== null));
  }

  /** Hot channels with no entry since `before` (epoch ms). */
  idleHot(before: number): RunChannel[] {
    const idle: RunChannel[] = [];
    for (const shard of this.sets.hot) {
      for (const channel of shard) if (channel.cursor !== null && channel.lastEventAt < before) idle.push(channel);
    }
    return idle;
  }
}

const sets = (n: number) => Array.from({ length: n }, () => new Set<RunChannel>());
