import { promises as fs } from 'fs';
import * as path from 'path';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  samples: number[];
  timeDeltas: number[];
  /** µs on the monotonic clock, the same as process.hrtime() on Linux: phases can be cut out. */
  startTime: number;
  endTime: number;
}

/** A phase of the bench, in µs of process.hrtime (same clock as the profiles' timestamps). */
export interface Window {
  name: string;
  fromUs: number;
  toUs: number;
}

export interface HotFunction {
  name: string;
  ms: number;
  share: number;
}

export interface Hotspots {
  totalMs: number;
  idleShare: number;
  /** Self time per function (natives included: a syscall shows as writev, writeUtf8String…). */
  self: HotFunction[];
  /** Self time charged to the nearest KODA frame up the stack (repo code outside node_modules). */
  byKodaFrame: HotFunction[];
}

/** The file the bench writes its phase windows to, beside the profiles, so a re-summary cuts the same phases. */
export const WINDOWS_FILE = 'windows.json';

/**
 * Self time in `profile`, counting only samples inside one of `windows` (all samples when none
 * is given). Several windows of one phase (the repeated relay point) add up.
 */
export function hotspots(profile: CpuProfile, windows: Window[] = [], top = 15): Hotspots {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const self = new Map<string, number>();
  const koda = new Map<string, number>();
  const inside = (t: number) => windows.length === 0 || windows.some((w) => t >= w.fromUs && t <= w.toUs);
  let totalUs = 0;
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    const node = byId.get(id);
    if (!node || !inside(t)) return;
    totalUs += dt;
    add(self, labelOf(node), dt);
    add(koda, labelOf(kodaFrameOf(node, byId, parentOf) ?? node), dt);
  });
  const rank = (m: Map<string, number>) =>
    [...m]
      .filter(([name]) => name !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: totalUs ? us / totalUs : 0 }));
  return { totalMs: totalUs / 1000, idleShare: totalUs ? (self.get('(idle)') ?? 0) / totalUs : 0, self: rank(self), byKodaFrame: rank(koda) };
}

const add = (m: Map<string, number>, key: string, v: number) => m.set(key, (m.get(key) ?? 0) + v);

/** KODA's own compiled code (a service's or a lib's dist folder), not a dependency. */
const isKodaFrame = (n: CpuProfileNode) => /\/(services|libs)\/[^/]+\/dist\//.test(n.callFrame.url) && !n.callFrame.url.includes('node_modules');

function kodaFrameOf(node: CpuProfileNode, byId: Map<number, CpuProfileNode>, parentOf: Map<number, number>): CpuProfileNode | null {
  for (let cur: CpuProfileNode | undefined = node; cur; cur = byId.get(parentOf.get(cur.id) ?? -1)) {
    if (isKodaFrame(cur)) return cur;
  }
  return null;
}

function labelOf(node: CpuProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  if (!url) return functionName || '(anonymous)';
  const file = url.replace(/^file:\/\//, '');
  return `${functionName || '(anonymous)'} ${path.basename(path.dirname(file))}/${path.basename(file)}:${lineNumber + 1}`;
}

/** Windows grouped by phase name, in first-seen order: the repeats of a phase are one group. */
export function groupWindows(windows: Window[]): [string, Window[]][] {
  const groups = new Map<string, Window[]>();
  for (const w of windows) groups.set(w.name, [...(groups.get(w.name) ?? []), w]);
  return [...groups];
}

/** Does any of `windows` overlap the profile's lifetime? (Several processes may share a service's folder.) */
export const covers = (profile: Pick<CpuProfile, 'startTime' | 'endTime'>, windows: Window[]) =>
  windows.length === 0 || windows.some((w) => w.toUs >= profile.startTime && w.fromUs <= profile.endTime);

/** One line per service and phase: busy time and the top self-time items, for a before/after table. */
export function compactRow(phase: string, service: string, h: Hotspots, top: number): string {
  const busyMs = h.totalMs * (1 - h.idleShare);
  const items = (list: HotFunction[], n: number) =>
    list
      .slice(0, n)
      .map((f) => `\`${f.name.replace(/ .*\//, ' ')}\` ${((f.ms / Math.max(busyMs, 1e-9)) * 100).toFixed(0)}`)
      .join(' · ');
  const kodaFrames = h.byKodaFrame.filter((f) => /\.js:\d+$/.test(f.name));
  return `| ${phase} | ${service} | ${(busyMs / 1000).toFixed(2)} s | ${items(h.self, top)} | ${items(kodaFrames, Math.min(top, 4))} |`;
}

/** One service's hot spots during one phase, as a Markdown block ready to paste into a README. */
export function markdownOf(service: string, phase: string, h: Hotspots, top: number): string {
  const busyMs = h.totalMs * (1 - h.idleShare);
  const rows = h.self.slice(0, top).map((f) => `| ${((f.ms / Math.max(busyMs, 1e-9)) * 100).toFixed(1)} % | ${f.ms.toFixed(0)} | \`${f.name}\` |`);
  const kodaRows = h.byKodaFrame
    .slice(0, Math.min(top, 5))
    .map((f) => `| ${((f.ms / Math.max(busyMs, 1e-9)) * 100).toFixed(1)} % | ${f.ms.toFixed(0)} | \`${f.name}\` |`);
  return [
    `#### ${service}, ${phase}: ${(busyMs / 1000).toFixed(2)} s busy of ${(h.totalMs / 1000).toFixed(1)} s`,
    '',
    '| self, % of busy | ms | function |',
    '|---:|---:|---|',
    ...rows,
    '',
    `charged to the nearest KODA frame (top ${kodaRows.length}):`,
    '',
    '| % of busy | ms | KODA frame |',
    '|---:|---:|---|',
    ...kodaRows,
  ].join('\n');
}

/**
 * A Markdown report of every profile under `dir` (one sub-folder per service), per bench phase:
 * for each phase, each service's top self-time items. Only the profiles alive during a phase
 * count (the traced stack's processes write to `<service>-traced`).
 */
export async function summarizeProfiles(dir: string, windows: Window[] = [], top = 10): Promise<string> {
  const out: string[] = [];
  const services = (await fs.readdir(dir, { withFileTypes: true }).catch(() => [])).filter((d) => d.isDirectory()).map((d) => d.name);
  const profiles = new Map<string, CpuProfile[]>();
  for (const service of services.sort()) {
    const files = (await fs.readdir(path.join(dir, service)).catch(() => [] as string[])).filter((f) => f.endsWith('.cpuprofile')).sort();
    profiles.set(service, await Promise.all(files.map(async (f) => JSON.parse(await fs.readFile(path.join(dir, service, f), 'utf8')) as CpuProfile)));
  }
  const groups: [string, Window[]][] = windows.length ? groupWindows(windows) : [['whole life', []]];
  const compact: string[] = [
    '| phase | service | busy | top self time (% of busy) | top KODA frames, self time below them included (%) |',
    '|---|---|---:|---|---|',
  ];
  for (const [phase, phaseWindows] of groups) {
    out.push(`### During ${phase}${phaseWindows.length > 1 ? ` (${phaseWindows.length} repeats)` : ''}`, '');
    for (const [service, list] of profiles) {
      const alive = list.filter((p) => covers(p, phaseWindows));
      if (alive.length === 0) continue;
      // Several processes of one service in one phase (not the case in the bench today): add them up.
      const merged = alive.map((p) => hotspots(p, phaseWindows, top * 4)).reduce(mergeHotspots);
      // A service with nothing to do in a phase (an agent during the relay) only shows its GC: skip it.
      if (workMs(merged) < MIN_WORK_MS) continue;
      out.push(markdownOf(service, phase, trim(merged, top), top), '');
      compact.push(compactRow(phase, service, merged, Math.min(top, 6)));
    }
  }
  return [`Top self-time items per service and phase (paste-ready):`, '', ...compact, '', ...out].join('\n').trimEnd();
}

/** Busy time outside the collector and V8's own bookkeeping: what the service's code did. */
export const workMs = (h: Hotspots) => h.self.filter((f) => f.name !== '(garbage collector)' && f.name !== '(program)').reduce((sum, f) => sum + f.ms, 0);
const MIN_WORK_MS = 50;

function mergeHotspots(a: Hotspots, b: Hotspots): Hotspots {
  const sum = (x: HotFunction[], y: HotFunction[]) => {
    const m = new Map<string, number>();
    for (const f of [...x, ...y]) add(m, f.name, f.ms);
    return [...m].map(([name, ms]) => ({ name, ms, share: 0 })).sort((p, q) => q.ms - p.ms);
  };
  const totalMs = a.totalMs + b.totalMs;
  return {
    totalMs,
    idleShare: totalMs ? (a.idleShare * a.totalMs + b.idleShare * b.totalMs) / totalMs : 0,
    self: sum(a.self, b.self),
    byKodaFrame: sum(a.byKodaFrame, b.byKodaFrame),
  };
}

const trim = (h: Hotspots, top: number): Hotspots => ({ ...h, self: h.self.slice(0, top), byKodaFrame: h.byKodaFrame.slice(0, top) });

/** `node bench/dist/profile-summary.js [dir] [top]`: re-summarises, cut to the phases in `dir/windows.json` when present. */
async function cli(): Promise<void> {
  const dir = process.argv[2] ?? path.resolve(__dirname, '..', 'results', 'profiles');
  const top = Number(process.argv[3]) || 10;
  const windows = await fs
    .readFile(path.join(dir, WINDOWS_FILE), 'utf8')
    .then((text) => JSON.parse(text) as Window[])
    .catch(() => []);
  const text = await summarizeProfiles(dir, windows, top);
  console.log(text || `no profiles under ${dir}`);
}

if (require.main === module) void cli();
