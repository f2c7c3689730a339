import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { BenchOptions } from './args';
import { runE2e, type E2eResult } from './e2e-load';
import { stopAll } from './processes';
import { REPO_ROOT, startStack, waitForWorkers } from './stack';
import { round } from './stats';

const SCRIPT = path.join(REPO_ROOT, 'scripts', 'redis-cluster.sh');
const RESULTS = path.join(REPO_ROOT, 'bench', 'results', 'cluster.json');

export interface ClusterFigures {
  target: 'single Redis' | '3-master cluster';
  runsPerS: number | null;
  eventsPerS: number | null;
  /** Publish → SSE receipt of every event (ms, ISO timestamp resolution). */
  relayP50Ms: number | null;
  relayP99Ms: number | null;
  firstTokenP50Ms: number | null;
  failed: number;
}

/**
 * `npm run bench -- --cluster`: the same end-to-end load (offline model at full speed, the
 * profile's concurrency and run count) on the single Redis and on a throwaway local 3-master
 * Redis Cluster, one after the other in this run, each with a fresh stack of processes.
 */
export async function compareCluster(options: BenchOptions, prefix: string, log: (line: string) => void): Promise<ClusterFigures[]> {
  const figures: ClusterFigures[] = [];
  figures.push(await measure(options, `${prefix}-single`, 'single Redis', undefined, log));
  const dir = path.join(os.tmpdir(), `${prefix}-cluster`);
  const nodes = execFileSync('bash', [SCRIPT, 'start', dir], { encoding: 'utf8' }).trim();
  try {
    figures.push(await measure(options, `${prefix}-cluster`, '3-master cluster', nodes, log));
  } finally {
    execFileSync('bash', [SCRIPT, 'stop', dir]);
  }
  await fs.writeFile(
    RESULTS,
    JSON.stringify({ at: new Date().toISOString(), cpus: os.cpus().length, concurrency: options.concurrency, runs: options.runs, figures }, null, 2),
  );
  log(`\n${table(figures)}\n(written to ${path.relative(REPO_ROOT, RESULTS)})`);
  return figures;
}

async function measure(
  options: BenchOptions,
  prefix: string,
  target: ClusterFigures['target'],
  nodes: string | undefined,
  log: (line: string) => void,
): Promise<ClusterFigures> {
  // The stack's processes inherit this environment: the cluster's seeds, or none.
  if (nodes) process.env.KODA_REDIS_CLUSTER_NODES = nodes;
  else delete process.env.KODA_REDIS_CLUSTER_NODES;
  try {
    const stack = await startStack(options, prefix);
    const missing = await waitForWorkers(stack);
    if (missing.length > 0) throw new Error(`no worker for ${missing.join(', ')}`);
    log(`${target}: warm-up (${options.warmupRuns} runs), then ${options.runs} runs at concurrency ${options.concurrency}`);
    await runE2e(stack.baseUrl, { concurrency: options.concurrency, runs: options.warmupRuns, mode: options.mode });
    const result = await runE2e(stack.baseUrl, { concurrency: options.concurrency, runs: options.runs, mode: options.mode });
    return figuresOf(target, result);
  } finally {
    await stopAll(8000);
    delete process.env.KODA_REDIS_CLUSTER_NODES;
  }
}

function figuresOf(target: ClusterFigures['target'], r: E2eResult): ClusterFigures {
  return {
    target,
    runsPerS: round(r.runsPerS, 1),
    eventsPerS: round(r.eventsPerS, 0),
    relayP50Ms: round(r.eventLatency.p50, 1),
    relayP99Ms: round(r.eventLatency.p99, 1),
    firstTokenP50Ms: round(r.firstToken.p50, 1),
    failed: r.failed,
  };
}

function table(figures: ClusterFigures[]): string {
  const rows = figures.map((f) => `| ${f.target} | ${f.runsPerS} | ${f.eventsPerS} | ${f.relayP50Ms} | ${f.relayP99Ms} | ${f.firstTokenP50Ms} | ${f.failed} |`);
  return ['| Redis | runs/s | events/s | relay p50 ms | relay p99 ms | first token p50 ms | failed |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}
