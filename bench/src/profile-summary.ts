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

export function hotspots(profile: CpuProfile, window?: Window, top = 15): Hotspots {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const self = new Map<string, number>();
  const koda = new Map<string, number>();
  let totalUs = 0;
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    const node = byId.get(id);
    if (!node || (window && (t < window.fromUs || t > window.toUs))) return;
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

/** A text report of every profile under `dir` (one sub-folder per service), per bench phase. */
export async function summarizeProfiles(dir: string, windows: Window[] = [], top = 10): Promise<string> {
  const out: string[] = [];
  const services = await fs.readdir(dir).catch(() => [] as string[]);
  for (const service of services.sort()) {
    const files = (await fs.readdir(path.join(dir, service)).catch(() => [] as string[])).filter((f) => f.endsWith('.cpuprofile')).sort();
    const latest = files[files.length - 1];
    if (!latest) continue;
    const profile = JSON.parse(await fs.readFile(path.join(dir, service, latest), 'utf8')) as CpuProfile;
    for (const window of windows.length ? windows : [undefined]) {
      const h = hotspots(profile, window, top);
      out.push(
        `== ${service} ${window ? `during ${window.name}` : '(whole life)'}: ${(h.totalMs / 1000).toFixed(1)} s, ${(h.idleShare * 100).toFixed(0)}% idle`,
      );
      out.push('  self time:', ...h.self.map(line), '  charged to the nearest KODA frame:', ...h.byKodaFrame.map(line));
    }
  }
  return out.join('\n');
}

const line = (f: HotFunction) => `  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.ms.toFixed(0).padStart(6)} ms  ${f.name}`;

if (require.main === module) {
  const dir = process.argv[2] ?? path.resolve(__dirname, '..', 'results', 'profiles');
  void summarizeProfiles(dir).then((text) => console.log(text || `no profiles under ${dir}`));
}
