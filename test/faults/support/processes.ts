import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { freePort, redisAnswers } from '@koda/platform';

export { freePort };

const ROOT = path.resolve(__dirname, '..', '..', '..');

export type ServiceName = 'gateway' | 'orchestrator' | 'plume' | 'mimir' | 'discussion';

const ENTRY: Record<ServiceName, string> = {
  gateway: 'services/gateway/dist/main.js',
  orchestrator: 'services/orchestrator/dist/main.js',
  plume: 'services/agents/dist/main-plume.js',
  mimir: 'services/agents/dist/main-mimir.js',
  discussion: 'services/agents/dist/main-discussion.js',
};

/** A KODA service running as its own process (built code, `npm run build` first). */
export interface ServiceProcess {
  name: ServiceName;
  child: ChildProcess;
  /** Its JSON log lines so far, parsed. */
  logs: Array<Record<string, unknown>>;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts a service with the given environment; its JSON logs are collected for assertions. */
export function spawnService(name: ServiceName, env: Record<string, string | number>): ServiceProcess {
  const entry = path.join(ROOT, ENTRY[name]);
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first (npm test builds)`);
  const stringEnv = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, ANTHROPIC_API_KEY: '', LOG_LEVEL: 'info', ...stringEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) logs.push(parseLine(line));
  });
  child.stderr.on('data', (chunk: Buffer) => logs.push({ stderr: chunk.toString() }));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  killOnExit(child);
  return { name, child, logs, exited, kill: (signal = 'SIGKILL') => void (child.exitCode === null && child.signalCode === null && child.kill(signal)) };
}

const children = new Set<ChildProcess>();
/** One exit hook for every child: none outlives the test process. */
function killOnExit(child: ChildProcess): void {
  if (children.size === 0) process.once('exit', () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));
  children.add(child);
  child.once('exit', () => children.delete(child));
}

function parseLine(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { notJson: line };
  }
}

/** Waits until the gateway's /health counts a live worker on `queue` (e.g. `agent-plume`). */
export async function waitForWorker(baseUrl: string, queue: string, atLeast = 1, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const health = await (await fetch(`${baseUrl}/health`)).json().catch(() => ({}));
    if ((health.workers?.[queue] ?? 0) >= atLeast) return;
    await sleep(50);
  }
  throw new Error(`no ${queue} worker came up within ${timeoutMs} ms`);
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const value = await probe();
    if (value) return value;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A private `redis-server` that can be stopped and started again on the same port, with AOF
 * (`appendfsync always`) so what was acknowledged before a restart is still there after it.
 */
export class RestartableRedis {
  private child: ChildProcess | null = null;
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'koda-faults-redis-'));
  readonly url: string;

  private constructor(readonly port: number) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  static async start(): Promise<RestartableRedis> {
    const redis = new RestartableRedis(await freePort());
    await redis.start();
    return redis;
  }

  async start(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dir];
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.child = child;
    killOnExit(child);
    await waitFor('the private redis-server', () => redisAnswers(this.url, 200));
  }

  /** Stops the server (SIGTERM: it flushes its AOF) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
