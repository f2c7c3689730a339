import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import type { BenchOptions } from './args';
import { getJson } from './http-sse';
import { inspectorUrlIn } from './inspector';
import { isAlive, sleep, startNode, tails, type ManagedProcess } from './processes';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const PROFILE_DIR = path.join(REPO_ROOT, 'bench', 'results', 'profiles');

/** The built entry points `npm run start:*` run: the stack is benchmarked as it is deployed. */
const SERVICES: Record<string, string> = {
  gateway: 'services/gateway/dist/main.js',
  orchestrator: 'services/orchestrator/dist/main.js',
  plume: 'services/agents/dist/main-plume.js',
  mimir: 'services/agents/dist/main-mimir.js',
  discussion: 'services/agents/dist/main-discussion.js',
};

export interface Stack {
  baseUrl: string;
  gateway: ManagedProcess;
  processes: ManagedProcess[];
  /** The gateway's inspector (it runs with `--inspect` on a free loopback port), for a forced GC. */
  inspectorUrl?: string;
}

export interface Health {
  status: string;
  workers: Record<string, number>;
  streams_open: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function missingEntryPoints(): string[] {
  return Object.values(SERVICES).filter((entry) => !fs.existsSync(path.join(REPO_ROOT, entry)));
}

/** `--cpu-prof` into a folder per service, so each profile is found by the service it profiles. */
export function profileArgs(enabled: boolean, name: string): string[] {
  return enabled ? ['--cpu-prof', '--cpu-prof-dir', path.join(PROFILE_DIR, name)] : [];
}

/** Starts gateway, orchestrator and the three agent workers as separate processes (`env`: added to theirs). */
export async function startStack(options: BenchOptions, prefix: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Stack> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    REDIS_URL: options.redisUrl,
    PORT: String(port),
    KODA_PREFIX: prefix,
    // Empty: the agents use the embedded offline provider, whatever the caller's shell holds.
    ANTHROPIC_API_KEY: '',
    KODA_OFFLINE_TOKEN_DELAY_MS: String(options.offlineTokenDelayMs),
    KODA_WORKER_CONCURRENCY: String(options.workerConcurrency),
    KODA_RELAY_READERS: String(options.relayReaders),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    // Untraced unless asked (the tracing phase's second stack), whatever the caller's shell holds.
    OTEL_EXPORTER_OTLP_ENDPOINT: '',
    ...(options.tokenEventsPerS ? { KODA_TOKEN_EVENTS_PER_S: String(options.tokenEventsPerS) } : {}),
    ...extraEnv,
  };
  // The soak and the idle phase read the gateway after a full GC, asked through the inspector.
  const inspect = (name: string) => (name === 'gateway' ? ['--inspect=127.0.0.1:0'] : []);
  const traced = Boolean(extraEnv.OTEL_EXPORTER_OTLP_ENDPOINT);
  const label = traced ? (name: string) => `${name} (traced)` : (name: string) => name;
  // The traced stack profiles into its own folders: its profiles never mix with the headline ones.
  const processes = Object.entries(SERVICES).map(([name, entry]) =>
    startNode(label(name), path.join(REPO_ROOT, entry), [], env, [...profileArgs(options.cpuProf, traced ? `${name}-traced` : name), ...inspect(name)]),
  );
  const stack: Stack = { baseUrl: `http://127.0.0.1:${port}`, gateway: processes[0], processes };
  await waitForGateway(stack);
  stack.inspectorUrl = inspectorUrlIn(stack.gateway.tail());
  return stack;
}

export async function health(stack: Stack): Promise<Health> {
  return (await getJson<Health>(`${stack.baseUrl}/health`)).body;
}

async function waitForGateway(stack: Stack, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (!isAlive(stack.gateway)) throw new Error(`the gateway exited while starting:\n${tails()}`);
    const answer = await getJson<Health>(`${stack.baseUrl}/health`).catch(() => null);
    if (answer && answer.status === 200) return;
    if (Date.now() > until) throw new Error(`the gateway did not answer /health within ${timeoutMs} ms:\n${tails()}`);
    await sleep(200);
  }
}

/**
 * Waits until every queue has a worker. Returns the queues still without one when it gives
 * up (a worker failed to start): the phases that need runs are then skipped, not faked.
 */
export async function waitForWorkers(stack: Stack, timeoutMs = 30_000): Promise<string[]> {
  let until = Date.now() + timeoutMs;
  for (;;) {
    const answer = await health(stack).catch(() => null);
    const missing = answer
      ? Object.entries(answer.workers)
          .filter(([, n]) => n === 0)
          .map(([q]) => q)
      : ['(no /health answer)'];
    if (missing.length === 0 || Date.now() > until) return missing;
    // A worker that died at start will never register: give the others a moment, then stop waiting.
    if (stack.processes.some((p) => !isAlive(p))) until = Math.min(until, Date.now() + 3000);
    await sleep(250);
  }
}

/** The peer's SSE server, in its own process like the gateway. */
export async function startPeer(options: BenchOptions, keyPrefix: string, connectionName: string): Promise<{ url: string; process: ManagedProcess }> {
  const port = await freePort();
  const env = { ...process.env, REDIS_URL: options.redisUrl, PEER_PORT: String(port), PEER_KEY_PREFIX: keyPrefix, PEER_CONNECTION_NAME: connectionName };
  const peer = startNode('peer', path.join(__dirname, 'peer', 'peer-server.js'), [], env, profileArgs(options.cpuProf, 'peer'));
  const until = Date.now() + 20_000;
  while (!peer.tail().includes(`ready ${port}`)) {
    if (!isAlive(peer) || Date.now() > until) throw new Error(`the peer server did not start:\n${peer.tail()}`);
    await sleep(50);
  }
  return { url: `http://127.0.0.1:${port}`, process: peer };
}
