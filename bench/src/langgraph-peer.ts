import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { BenchOptions } from './args';
import type { E2eTarget, FrameMeaning } from './e2e-load';
import { openSse, withLimit, type OpenSse } from './http-sse';
import { isAlive, sleep, startNode, type ManagedProcess } from './processes';
import { rssKb } from './redis-probe';
import { deferred, withTimeout } from './relay/relay-harness';
import type { SseFrame } from './sse-frames';
import { freePort, profileArgs, REPO_ROOT } from './stack';

/**
 * The full-pipeline peer of `--peer langgraph`: the LangGraph JS Agent Server
 * (`@langchain/langgraph-api`, the in-memory server behind `langgraph dev`), installed on demand
 * in its own folder (its own package.json and lock, outside the workspace), serving a graph that
 * streams the chunks KODA's offline Plume streamed for the same message.
 */
export const LANGGRAPH_DIR = path.join(REPO_ROOT, 'bench', 'peers', 'langgraph');

/** The graph's message for a run that streams nothing until its client leaves (graph.mjs). */
export const HOLD_MESSAGE = '__hold__';

/** Installs the peer (`npm ci` in its folder) unless it is there already; throws a clear error if that fails. */
export async function ensureLangGraphInstalled(log: (line: string) => void): Promise<void> {
  if (fs.existsSync(path.join(LANGGRAPH_DIR, 'node_modules', '@langchain', 'langgraph-api', 'package.json'))) return;
  log('installing the LangGraph peer: npm ci in bench/peers/langgraph (once; needs the npm registry)…');
  const npm = fs.existsSync(path.join(path.dirname(process.execPath), 'npm')) ? path.join(path.dirname(process.execPath), 'npm') : 'npm';
  // Not the workspace's npm settings: this folder is a project of its own.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(npm, ['ci', '--no-audit', '--no-fund'], { cwd: LANGGRAPH_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => output.push(chunk.toString('utf8'));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', (err) => (output.push(err.message), resolve(-1)));
    child.once('exit', resolve);
  });
  if (code !== 0) {
    const text = output.join('');
    // npm puts the cause first and may append its usage: keep both ends.
    const shown = text.length > 2500 ? `${text.slice(0, 1600)}\n…\n${text.slice(-800)}` : text;
    throw new Error(`installing the LangGraph peer failed (npm ci in ${path.relative(REPO_ROOT, LANGGRAPH_DIR)}, exit ${code}):\n${shown}`);
  }
}

/** Everything that would make the server call home: LangSmith tracing off, no key. */
const OFFLINE_ENV: NodeJS.ProcessEnv = {
  LANGSMITH_TRACING: 'false',
  LANGSMITH_TRACING_V2: 'false',
  LANGCHAIN_TRACING: 'false',
  LANGCHAIN_TRACING_V2: 'false',
  LANGSMITH_API_KEY: '',
  LANGCHAIN_API_KEY: '',
  LANGGRAPH_CONFIG: '',
  LOG_LEVEL: 'error',
  // As `langgraph dev` runs it.
  NODE_ENV: 'development',
};

/** Starts the server in its own process (stopped with the others by stopAll, also on Ctrl-C). */
export async function startLangGraph(options: BenchOptions, chunksFile: string, dataDir: string): Promise<{ url: string; process: ManagedProcess }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...OFFLINE_ENV,
    PEER_PORT: String(port),
    PEER_DATA_DIR: dataDir,
    PEER_CHUNKS_FILE: chunksFile,
    // `langgraph dev --n-jobs-per-worker` (10 there by default). Each idle worker polls for a
    // pending run after a random 0-1 s sleep, so more workers means a sooner pick-up at low load.
    PEER_WORKERS: String(options.peerWorkers),
  };
  const server = startNode('langgraph', path.join(LANGGRAPH_DIR, 'server.mjs'), [], env, profileArgs(options.cpuProf, 'langgraph'));
  const until = Date.now() + 60_000;
  while (!server.tail().includes(`ready ${port}`)) {
    if (!isAlive(server) || Date.now() > until) throw new Error(`the LangGraph server did not start:\n${server.tail()}`);
    await sleep(100);
  }
  return { url: `http://127.0.0.1:${port}`, process: server };
}

/** Stops the server now (SIGTERM, then SIGKILL), rather than at the end of the bench. */
export async function stopLangGraph(server: ManagedProcess): Promise<void> {
  if (!isAlive(server)) return;
  server.child.kill('SIGTERM');
  const exited = await Promise.race([server.exited.then(() => true), sleep(5000).then(() => false)]);
  if (!exited) server.child.kill('SIGKILL');
  await server.exited;
}

/** `POST /runs/stream`: a stateless run (one request, as KODA's one POST), its custom stream mode carrying the tokens. */
export function langGraphTarget(url: string): E2eTarget {
  return {
    url: `${url}/runs/stream`,
    body: (message) => JSON.stringify({ assistant_id: 'plume', input: { message }, stream_mode: ['custom'] }),
    read: readLangGraphFrame,
    // The stream just ends: no terminal event in this protocol.
    completeAtEnd: true,
  };
}

/** One frame of the server's SSE: `metadata` (the run id) first, one `custom` event per chunk, `error` on failure. */
export function readLangGraphFrame(frame: SseFrame): FrameMeaning {
  if (frame.event === 'custom') {
    const data = JSON.parse(frame.data) as { type?: string; delta?: string };
    return { token: data.type === 'token', delta: data.delta };
  }
  if (frame.event === 'error') {
    const data = JSON.parse(frame.data) as { message?: string; error?: string };
    return { failure: data.message ?? data.error ?? frame.data };
  }
  return {};
}

export interface OpenStreamsResult {
  streams: number;
  rssBeforeKb: number;
  rssAfterKb: number;
  perStreamKb: number;
}

/**
 * RSS of `pid` per open stream: `n` streams opened by `open` (each resolving once its response
 * is open), held while RSS settles, then closed.
 */
export async function rssPerOpenStream(pid: number, n: number, open: (i: number) => { stream: OpenSse; ready: Promise<void> }): Promise<OpenStreamsResult> {
  // After hundreds of runs a server's heap is still shrinking for a moment: let it settle first,
  // or a collection during the measurement reads as a negative cost.
  await sleep(3000);
  const rssBeforeKb = await rssKb(pid);
  const streams: OpenSse[] = [];
  await withTimeout(
    withLimit(
      Array.from({ length: n }, (_, i) => i),
      128,
      async (i) => {
        const { stream, ready } = open(i);
        stream.done.catch(() => undefined);
        streams.push(stream);
        await ready;
      },
    ),
    120_000,
    `opening ${n} streams`,
  );
  await sleep(2000);
  const rssAfterKb = await rssKb(pid);
  streams.forEach((s) => s.close());
  return { streams: n, rssBeforeKb, rssAfterKb, perStreamKb: (rssAfterKb - rssBeforeKb) / n };
}

/** A LangGraph stream that stays open: a run of the hold message, cancelled when its client leaves. */
export function openHeldLangGraphStream(url: string): { stream: OpenSse; ready: Promise<void> } {
  const opened = deferred();
  const stream = openSse({
    url: `${url}/runs/stream`,
    method: 'POST',
    body: JSON.stringify({ assistant_id: 'plume', input: { message: HOLD_MESSAGE }, stream_mode: ['custom'], on_disconnect: 'cancel' }),
    agent: false,
    onOpen: opened.resolve,
    onFrame: () => undefined,
  });
  return { stream, ready: opened.promise };
}
