import { promises as fs } from 'fs';
import type Redis from 'ioredis';

/** Connections whose name starts with `prefix` in a `CLIENT LIST` reply (every KODA one is named). */
export function clientsNamed(clientList: string, prefix: string): number {
  let count = 0;
  for (const line of clientList.split('\n')) {
    const at = line.indexOf(' name=');
    if (at !== -1 && line.startsWith(prefix, at + 6)) count++;
  }
  return count;
}

export async function countClients(redis: Redis, prefix: string): Promise<number> {
  return clientsNamed((await redis.client('LIST')) as string, prefix);
}

/** `INFO commandstats` as calls per command (`cmdstat_xadd:calls=12,usec=…` → xadd: 12). */
export function parseCommandStats(info: string): Map<string, number> {
  const calls = new Map<string, number>();
  for (const line of info.split('\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (match) calls.set(match[1], Number(match[2]));
  }
  return calls;
}

export async function commandStats(redis: Redis): Promise<Map<string, number>> {
  return parseCommandStats(await redis.info('commandstats'));
}

/** The bench's own probes, not the system's work. */
const PROBE_COMMANDS = new Set(['info', 'client|list']);

/** Calls made between two snapshots, per command, minus what `background` says idled in. */
export function commandDelta(before: Map<string, number>, after: Map<string, number>, background = new Map<string, number>()): Map<string, number> {
  const delta = new Map<string, number>();
  for (const [cmd, n] of after) {
    if (PROBE_COMMANDS.has(cmd)) continue;
    const d = n - (before.get(cmd) ?? 0) - (background.get(cmd) ?? 0);
    if (d > 0) delta.set(cmd, d);
  }
  return delta;
}

export const total = (calls: Map<string, number>) => [...calls.values()].reduce((a, b) => a + b, 0);

/** Scales a delta measured over `fromMs` to `toMs` (the idle background rate, over the load window). */
export function scaleCalls(calls: Map<string, number>, fromMs: number, toMs: number): Map<string, number> {
  return new Map([...calls].map(([cmd, n]) => [cmd, (n * toMs) / fromMs]));
}

/** Resident set size of a process, in KiB, from /proc (Linux). */
export async function rssKb(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

/** The soft limit on open files of this process (inherited by the services it starts). */
export async function openFilesLimit(): Promise<number> {
  const limits = await fs.readFile('/proc/self/limits', 'utf8');
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
  return !match || match[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match[1]);
}

/** Deletes every key of this bench run (SCAN + UNLINK, never KEYS, so a shared Redis is not stalled). */
export async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (found.length > 0) deleted += await redis.unlink(...found);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}
