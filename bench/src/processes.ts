import { spawn, type ChildProcess } from 'child_process';

/** A process the bench started; only these are ever signalled, by their own pid. */
export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** The last lines it wrote to stderr/stdout, shown when it dies or the bench fails. */
  tail(): string;
  exited: Promise<number | null>;
}

const TAIL_LINES = 30;

export function startNode(name: string, script: string, args: string[], env: NodeJS.ProcessEnv, nodeArgs: string[] = []): ManagedProcess {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(line);
    if (lines.length > TAIL_LINES) lines.splice(0, lines.length - TAIL_LINES);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const managed = { name, child, tail: () => lines.join('\n'), exited };
  started.push(managed);
  return managed;
}

const started: ManagedProcess[] = [];

export const isAlive = (p: ManagedProcess) => p.child.exitCode === null && p.child.signalCode === null;

/**
 * Stops every process started here: SIGTERM (the services close cleanly and, with --cpu-prof,
 * write their profile), then SIGKILL whatever is still alive after the grace period.
 * `alreadySignalled`: after a Ctrl-C the terminal already sent SIGINT to the whole process
 * group, and a second signal would kill a service mid-shutdown, so wait first.
 */
export async function stopAll(graceMs = 8000, alreadySignalled = false): Promise<void> {
  const alive = () => started.filter(isAlive);
  if (alreadySignalled) await Promise.race([Promise.all(alive().map((p) => p.exited)), sleep(graceMs / 2)]);
  for (const p of alive()) p.child.kill('SIGTERM');
  await Promise.race([Promise.all(alive().map((p) => p.exited)), sleep(graceMs)]);
  for (const p of alive()) p.child.kill('SIGKILL');
  await Promise.all(started.map((p) => p.exited));
}

export function tails(): string {
  return started.map((p) => `--- ${p.name} (pid ${p.child.pid}, exit ${p.child.exitCode ?? p.child.signalCode ?? 'running'})\n${p.tail()}`).join('\n');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `cleanup` once whatever ends the bench: normal end, an error, Ctrl-C or SIGTERM.
 * Returns a function the normal path calls itself.
 */
export function onceOnExit(cleanup: (signalled: boolean) => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  const run = (signalled: boolean) => (running ??= cleanup(signalled).catch((err) => console.error('cleanup failed:', err)));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the stack and deleting the bench's Redis keys…`);
      void run(true).then(() => process.exit(130));
    });
  }
  return () => run(false);
}
