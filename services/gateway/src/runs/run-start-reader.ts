import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { compareStreamIds, isTerminalEvent, keys, LOCAL_USER, ORIGIN_ID, parseRunEvent, streamEntryJson, type StartEvent } from '@koda/contracts';
import { KODA_CONFIG, REDIS, type KodaConfig } from '@koda/platform';
import { summarizeRun, type RunSummary } from './run-status';

type RawEntry = [id: string, fields: string[]];

/** Where a client asking for a run's events after some id stands (see README, "Resuming"). */
export type ResumePoint =
  | { kind: 'unknown' }
  | { kind: 'ended'; start: StartEvent }
  | { kind: 'from'; start: StartEvent; afterId?: string }
  | { kind: 'reset'; start: StartEvent; reason: string };

/** Reads a run's `start` event (whether the run exists, what any replica needs to end it) and resume points. */
@Injectable()
export class RunStartReader {
  constructor(
    @Inject(KODA_CONFIG) private readonly config: KodaConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** The run's `start`, or null when there is no such run of `owner`'s (another user's run is unknown). */
  async read(runId: string, owner: string): Promise<StartEvent | null> {
    const [first] = await this.redis.xrange(this.key(runId), '-', '+', 'COUNT', 1);
    return ownedStart(startOf(first), owner);
  }

  /** The run's first entry as a stream would send it (id, JSON, event), or null (see `read`). */
  async readEntry(runId: string, owner: string): Promise<{ id: string; json: string; event: StartEvent } | null> {
    const [first] = await this.redis.xrange(this.key(runId), '-', '+', 'COUNT', 1);
    const event = ownedStart(startOf(first), owner);
    return event ? { id: first[0], json: streamEntryJson(first[1]) ?? '', event } : null;
  }

  /** Where `owner`'s run stands (null: no such run of theirs), from its first and last events. */
  async summary(runId: string, owner: string): Promise<RunSummary | null> {
    const key = this.key(runId);
    const results = (await this.redis.pipeline().xrange(key, '-', '+', 'COUNT', 1).xrevrange(key, '+', '-', 'COUNT', 1).xlen(key).exec()) ?? [];
    for (const [error] of results) if (error) throw error;
    const [[, first], [, last], [, length]] = results as [unknown, unknown][];
    const start = ownedStart(startOf((first as RawEntry[])[0]), owner);
    const lastEvent = parseRunEvent(streamEntryJson((last as RawEntry[])[0]?.[1] ?? []) ?? '');
    if (!start || !lastEvent.ok) return null;
    return summarizeRun(start, lastEvent.event, length as number);
  }

  /**
   * Decides how to serve `afterId` (canonical) in one round trip: the run's first and last
   * entries, and whether `afterId` is an entry of this run's log at all.
   */
  async locate(runId: string, afterId: string | undefined, owner: string): Promise<ResumePoint> {
    const key = this.key(runId);
    const reads = this.redis.pipeline().xrange(key, '-', '+', 'COUNT', 1).xrevrange(key, '+', '-', 'COUNT', 1);
    const asked = afterId !== undefined && afterId !== ORIGIN_ID;
    if (asked) reads.xrange(key, afterId, afterId);
    const results = (await reads.exec()) ?? [];
    for (const [error] of results) if (error) throw error;
    const [[, firstEntries], [, lastEntries], exact] = results as [unknown, RawEntry[]][];
    const start = ownedStart(startOf(firstEntries[0]), owner);
    if (!start) return { kind: 'unknown' };
    if (!asked) return { kind: 'from', start };
    const last = lastEntries[0];
    if (isTerminal(last) && compareStreamIds(afterId, last[0]) >= 0) return { kind: 'ended', start };
    if (exact && exact[1].length > 0) return { kind: 'from', start, afterId };
    return { kind: 'reset', start, reason: resetReason(afterId, firstEntries[0][0], last[0]) };
  }

  private key(runId: string): string {
    return keys.runEvents(this.config.KODA_PREFIX, runId);
  }
}

function startOf(entry: RawEntry | undefined): StartEvent | null {
  if (!entry) return null;
  const parsed = parseRunEvent(streamEntryJson(entry[1]) ?? '');
  return parsed.ok && parsed.event.type === 'start' ? parsed.event : null;
}

/** A run is its starter's alone: for anyone else it does not exist. */
export function ownedStart(start: StartEvent | null, owner: string): StartEvent | null {
  return start && (start.user_id ?? LOCAL_USER) === owner ? start : null;
}

function isTerminal(entry: RawEntry): boolean {
  const parsed = parseRunEvent(streamEntryJson(entry[1]) ?? '');
  return parsed.ok && isTerminalEvent(parsed.event);
}

function resetReason(afterId: string, firstId: string, lastId: string): string {
  if (compareStreamIds(afterId, firstId) < 0) return 'the id is older than this run: it belongs to another run';
  if (compareStreamIds(afterId, lastId) > 0) return 'the id is past the end of this run: it belongs to another run';
  return 'the id is not an event of this run (another run, or a position lost with a trimmed or failed-over stream)';
}
