import { promises as fs } from 'fs';
import * as path from 'path';
import Redis from 'ioredis';
import { parseArgs, type BenchOptions } from './args';
import { renderLatencyChart } from './chart';
import { compareCluster } from './cluster-compare';
import { backgroundCommands, bullmqBaseline, endToEnd, idleStreams, langgraphPeer, relaySweep, tracingOverhead, type PhaseContext } from './phases';
import { onceOnExit, stopAll, tails } from './processes';
import { summarizeProfiles, WINDOWS_FILE } from './profile-summary';
import { soak } from './soak';
import { deleteKeys, openFilesLimit } from './redis-probe';
import { PeerRelayHarness } from './relay/peer-relay';
import { uid } from './relay/relay-harness';
import { cpuTable, latestJson, sweepTable, tableOf, targetsOf, type Measurements } from './report';
import { peerTable, targetsTable } from './report-verdicts';
import { missingEntryPoints, PROFILE_DIR, REPO_ROOT, startPeer, startStack, waitForWorkers } from './stack';

const RESULTS_DIR = path.join(REPO_ROOT, 'bench', 'results');
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const wants = (options: BenchOptions, phase: string) => !options.only || options.only.has(phase);

/** Agents every end-to-end run needs: the orchestrator and the mode's agent (all three in auto). */
const NEEDED_QUEUES: Record<BenchOptions['mode'], string[]> = {
  plume: ['orchestrator', 'agent-plume'],
  mimir: ['orchestrator', 'agent-mimir'],
  discussion: ['orchestrator', 'agent-discussion'],
  auto: ['orchestrator', 'agent-plume', 'agent-mimir', 'agent-discussion'],
};

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  // Unique per run, so a shared Redis (CI, other engineers' tests) is never touched outside it.
  const prefix = `kodabench-${Date.now().toString(36)}-${uid().slice(0, 4)}`;
  const admin = new Redis(options.redisUrl, { connectionName: `${prefix}-bench:admin`, maxRetriesPerRequest: 1 });
  const publisher = new Redis(options.redisUrl, { connectionName: `${prefix}-bench:pub` });
  let peer: PeerRelayHarness | null = null;
  const cleanup = onceOnExit(async (signalled) => {
    await stopAll(8000, signalled);
    await peer?.close();
    // Keys hash-tagged with the prefix (`{<prefix>:notes}:…`, the queues' on a cluster) start with a brace.
    const deleted = (await deleteKeys(admin, `${prefix}*`)) + (await deleteKeys(admin, `{${prefix}*`));
    log(`cleanup: processes stopped, ${deleted} Redis keys under ${prefix}* deleted`);
    publisher.disconnect();
    await admin.quit().catch(() => admin.disconnect());
  });

  // The cluster comparison and the soak replace the phases: each runs alone, then cleans up.
  const alone = options.cluster
    ? async () => (await compareCluster(options, prefix, log)).every((f) => f.failed === 0)
    : options.soak
      ? async () => {
          const stack = await startStack(options, prefix);
          await waitForWorkers(stack);
          return soak(options, stack, admin, prefix);
        }
      : null;
  if (alone) {
    try {
      if (!(await alone())) process.exitCode = 1;
    } catch (error) {
      log(`FAILED: ${(error as Error).stack ?? String(error)}\n${tails()}`);
      process.exitCode = 1;
    } finally {
      await cleanup();
    }
    return;
  }

  const m: Measurements = {
    options,
    prefix,
    redisVersion: '',
    sweep: [],
    skipped: [],
    windows: [],
    headlineP99s: {},
    headlineP50s: {},
    cpuPerThousandRelayEvents: {},
  };
  try {
    await preflight(options, admin, m);
    log(`profile ${options.profile}, prefix ${prefix}, Redis ${m.redisVersion} at ${options.redisUrl}`);
    // Each run's profiles alone: the summary then never reads an older run's.
    if (options.cpuProf) await fs.rm(PROFILE_DIR, { recursive: true, force: true });
    const [stack, peerServer] = await Promise.all([startStack(options, prefix), startPeer(options, `${prefix}-peer`, `${prefix}-bench:peer-server`)]);
    peer = new PeerRelayHarness(options.redisUrl, `${prefix}-peer`, `${prefix}-bench:peer-producer`, peerServer.url);
    log(`stack up at ${stack.baseUrl} (gateway pid ${stack.gateway.child.pid}), peer at ${peerServer.url}`);
    const pids = {
      ...Object.fromEntries(stack.processes.map((p) => [p.name, p.child.pid])),
      peer: peerServer.process.child.pid,
      redis: await localRedisPid(admin),
      bench: process.pid,
    };
    const ctx: PhaseContext = { options, prefix, stack, peer, admin, publisher, log, pids };
    await runPhases(ctx, m);
  } catch (error) {
    log(`FAILED: ${(error as Error).stack ?? String(error)}`);
    log(`service output:\n${tails()}`);
    process.exitCode = 1;
  } finally {
    await cleanup();
  }
  await report(m);
}

async function preflight(options: BenchOptions, admin: Redis, m: Measurements): Promise<void> {
  const missing = missingEntryPoints();
  if (missing.length > 0) throw new Error(`built entry points missing (run \`npm run build\`): ${missing.join(', ')}`);
  const info = await admin.info('server').catch((err: Error) => {
    throw new Error(`Redis at ${options.redisUrl} does not answer: ${err.message}`);
  });
  m.redisVersion = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  // Each idle stream is one socket here and one in the gateway (same inherited limit).
  const limit = await openFilesLimit();
  const needed = options.idleStreams + Math.max(...options.relaySweep) * 2 + 500;
  if (needed > limit) {
    const fitted = Math.max(100, limit - Math.max(...options.relaySweep) * 2 - 500);
    log(`open-files limit ${limit} is too low for ${options.idleStreams} idle streams (raise it with \`ulimit -n\`); using ${fitted}`);
    options.idleStreams = fitted;
  }
  // The peer phase's open streams need the same sockets.
  options.peerOpenStreams = Math.min(options.peerOpenStreams, options.idleStreams);
}

/** Redis's pid when it runs on this machine (its CPU time is then accounted too). */
async function localRedisPid(admin: Redis): Promise<number | undefined> {
  const pid = Number(/process_id:(\d+)/.exec(await admin.info('server'))?.[1]);
  const comm = await fs.readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
  return comm.includes('redis') ? pid : undefined;
}

async function runPhases(ctx: PhaseContext, m: Measurements): Promise<void> {
  const { options } = ctx;
  if (wants(options, 'relay')) await relaySweep(ctx, m);
  const missing = await waitForWorkers(ctx.stack);
  const background = await backgroundCommands(ctx, 2000);
  if (wants(options, 'bullmq')) await bullmqBaseline(ctx, m, background, 2000);
  const blocking = missing.filter((q) => NEEDED_QUEUES[options.mode].includes(q));
  if (!wants(options, 'e2e')) m.skipped.push('e2e: not selected (--only)');
  else if (blocking.length > 0) {
    m.skipped.push(`e2e: no worker on ${blocking.join(', ')} (did a worker fail to start? see its output below)`);
    log(`skipping end-to-end runs: no worker on ${blocking.join(', ')}\n${tails()}`);
  } else await endToEnd(ctx, m, background, 2000);
  if (wants(options, 'idle')) await idleStreams(ctx, m);
  // After the idle phase, so its streams and runs never weigh on target (g)'s RSS figure.
  if (options.peer === 'langgraph') {
    if (blocking.length > 0) m.skipped.push(`peer langgraph: no worker on ${blocking.join(', ')}`);
    else await langgraphPeer(ctx, m);
  }
  // Last: it starts a second (traced) stack beside the first.
  if (wants(options, 'tracing') && blocking.length === 0) await tracingOverhead(ctx, m);
}

async function report(m: Measurements): Promise<void> {
  if (m.redisVersion === '') return;
  const targets = targetsOf(m);
  await fs.mkdir(RESULTS_DIR, { recursive: true });
  const chart = renderLatencyChart(
    `Relay latency vs concurrent streams (${m.options.eventIntervalMs} ms/event/stream)`,
    [
      {
        name: 'KODA',
        color: '#1f77b4',
        points: m.sweep.filter((p) => p.koda).map((p) => ({ x: p.streams, p50: p.koda!.latency.p50, p99: p.koda!.latency.p99 })),
      },
      {
        name: 'raw Redis',
        color: '#2ca02c',
        points: m.sweep.filter((p) => p.raw).map((p) => ({ x: p.streams, p50: p.raw!.latency.p50, p99: p.raw!.latency.p99 })),
      },
      {
        name: 'resumable-stream',
        color: '#ff7f0e',
        points: m.sweep.filter((p) => p.peer).map((p) => ({ x: p.streams, p50: p.peer!.latency.p50, p99: p.peer!.latency.p99 })),
      },
    ],
    10,
  );
  await fs.writeFile(path.join(RESULTS_DIR, 'relay-latency.svg'), chart);
  await fs.writeFile(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(latestJson(m), null, 2)}\n`);
  console.log(`\nKODA bench, profile ${m.options.profile} (${m.options.concurrency} concurrent clients, Redis ${m.redisVersion}, node ${process.version})\n`);
  console.log(tableOf(m, targets));
  console.log(`\nTargets of issue #15 (ratios in this run, ${m.options.concurrency} clients):\n${targetsTable(targets)}`);
  if (m.langgraph) console.log(`\nKODA vs the LangGraph JS Agent Server (@langchain/langgraph-api), same clients:\n${peerTable(m)}`);
  console.log(`\nCPU time per unit of work, per process (2 cores = 2,000 ms per second):\n${cpuTable(m)}`);
  if (m.sweep.length > 0) console.log(`\nRelay latency sweep (one event per stream every ${m.options.eventIntervalMs} ms):\n${sweepTable(m)}`);
  for (const s of m.skipped) console.log(`skipped: ${s}`);
  console.log(`\nwritten: bench/results/latest.json, bench/results/relay-latency.svg`);
  if (m.options.cpuProf) {
    // Only the headline phases: start-up (module loading) would otherwise dominate every profile.
    const headline = m.windows.filter((w) => w.name === 'e2e' || w.name === `relay koda ${m.options.concurrency}` || w.name === 'peer langgraph');
    await fs.writeFile(path.join(PROFILE_DIR, WINDOWS_FILE), `${JSON.stringify(headline)}\n`);
    const summary = await summarizeProfiles(PROFILE_DIR, headline);
    await fs.writeFile(path.join(PROFILE_DIR, 'summary.md'), `${summary}\n`);
    console.log(`\nCPU profiles (self time per service, Markdown; bench/results/profiles/summary.md):\n\n${summary}`);
  }
}

void main();
