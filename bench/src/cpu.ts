import { promises as fs } from 'fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on every common Linux build). */
const USER_HZ = 100;

/** CPU time (user + system) a process has used so far, in ms; null if it is gone or not ours to read. */
export async function cpuMs(pid: number): Promise<number | null> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (!stat) return null;
  // Fields after the command name, which may itself contain spaces: it ends at the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
}

export type CpuSnapshot = Map<string, number | null>;

export async function snapshotCpu(pids: Record<string, number | undefined>): Promise<CpuSnapshot> {
  const entries = await Promise.all(Object.entries(pids).map(async ([name, pid]) => [name, pid ? await cpuMs(pid) : null] as const));
  return new Map(entries);
}

/** CPU ms each process spent between two snapshots, divided by `per` (runs, jobs, events…). */
export function cpuPer(before: CpuSnapshot, after: CpuSnapshot, per: number): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [name, b] of before) {
    const a = after.get(name);
    out[name] = a == null || b == null || per <= 0 ? null : Math.round(((a - b) / per) * 1000) / 1000;
  }
  return out;
}
