import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { createServer, type AddressInfo } from 'net';
import { tmpdir } from 'os';
import path from 'path';
import { startStack, type KodaStack } from '@koda/testing';

/** A port nothing listens on: bound, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const CLI = path.resolve(__dirname, '../../libs/client/dist/cli.js');

/** `npm run chat` as a user runs it: the built program, its stdin piped, against a real gateway. */
class ChatProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(args: string[], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, KODA_URL: '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  type(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  end(): void {
    this.child.stdin!.end();
  }

  interrupt(): void {
    this.child.kill('SIGINT');
  }

  /** Waits until stdout (after `from` characters) matches. */
  async waitFor(pattern: RegExp, from = 0, timeoutMs = 20000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.stdout.slice(from));
      if (match) return match;
      if (Date.now() > deadline) throw new Error(`no ${pattern} in stdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

describe('npm run chat with no message: an interactive session', () => {
  let stack: KodaStack;
  let dir: string;
  const running: ChatProcess[] = [];
  const chat = (args: string[], env: Record<string, string> = {}) => {
    const process = new ChatProcess(args, { KODA_HISTORY: path.join(dir, 'history'), ...env });
    running.push(process);
    return process;
  };

  beforeAll(async () => {
    stack = await startStack('cli-repl', { config: { KODA_OFFLINE_TOKEN_DELAY_MS: 25 } });
    dir = mkdtempSync(path.join(tmpdir(), 'koda-cli-'));
  });
  afterEach(() => running.splice(0).forEach((p) => p.kill()));
  afterAll(async () => {
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps one session across messages, switches mode, lists notes, and records history', async () => {
    const cli = chat(['--url', stack.baseUrl]);
    await cli.waitFor(/mode auto\./);
    cli.type('/mode plume');
    cli.type('Je m’appelle Zoé et je prépare un voyage à Lisbonne.');
    cli.type('Résume notre conversation');
    cli.type('/notes');
    cli.end();
    expect({ code: await cli.exited, stderr: cli.stderr }).toEqual({ code: 0, stderr: '' });
    expect(cli.stdout).toContain('Mode : plume');
    // Both answers streamed under Plume's name, each followed by its metadata line.
    expect(cli.stdout.match(/Plume ›\n[\s\S]+?\n— Plume · /g)).toHaveLength(2);
    expect(cli.stdout).toMatch(/\d+ notes :\n {2}- /);
    const sessionId = /Session : (\S+)/.exec(cli.stdout)![1];
    const session = await (await fetch(`${stack.baseUrl}/api/v1/sessions/${sessionId}`)).json();
    expect(session.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(readFileSync(path.join(dir, 'history'), 'utf8')).toContain('Résume notre conversation\n');
  });

  it('/new starts another conversation', async () => {
    const cli = chat(['--url', stack.baseUrl, '--mode', 'plume']);
    cli.type('Bonjour');
    const first = await cli.waitFor(/— Plume · [\s\S]*?plume › /);
    cli.type('/new');
    cli.type('Résume notre conversation');
    cli.end();
    expect(await cli.exited).toBe(0);
    expect(first).toBeTruthy();
    expect(cli.stdout).toContain('Nouvelle conversation.');
    const sessionId = /Session : (\S+)/.exec(cli.stdout)![1];
    const session = await (await fetch(`${stack.baseUrl}/api/v1/sessions/${sessionId}`)).json();
    expect(session.messages).toHaveLength(2);
  });

  it('Ctrl+C stops the answer being written, and the session goes on', async () => {
    const cli = chat(['--url', stack.baseUrl, '--mode', 'plume']);
    cli.type('Écris un long paragraphe sur les jardins japonais et leur histoire');
    await cli.waitFor(/Plume ›\n\S/);
    cli.interrupt();
    await new Promise((r) => setTimeout(r, 50));
    expect(cli.stderr).toContain('Arrêt demandé');
    cli.type('Bonjour');
    cli.end();
    expect(await cli.exited).toBe(0);
    expect(cli.stderr).toMatch(/Réponse interrompue \(cancelled\)/);
    expect(cli.stdout).toMatch(/— Plume · /);
  });

  it('names the address it tried, and how to change it, when KODA does not answer', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const repl = chat(['--url', url]);
    expect(await repl.exited).toBe(1);
    expect(repl.stderr).toContain(`aucune réponse de ${url}/health`);
    expect(repl.stderr).toMatch(/--url .*KODA_URL/);

    const once = chat(['Bonjour'], { KODA_URL: url });
    expect(await once.exited).toBe(1);
    expect(once.stderr).toContain(`Aucune réponse de ${url}/api/v1/chat/orchestrated/stream (ECONNREFUSED)`);
    expect(once.stderr).toContain(`KODA ne répond pas à ${url}.`);
    expect(once.stderr).toMatch(/--url .*KODA_URL/);
  });
});

/** The same session in a real terminal (tmux): keys, not signals, reach readline in raw mode. */
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
(hasTmux ? describe : describe.skip)('npm run chat in a terminal (tmux)', () => {
  let stack: KodaStack;
  const session = `koda-cli-${process.pid}`;
  const tmux = (...args: string[]) => spawnSync('tmux', ['-L', session, ...args], { encoding: 'utf8' });
  const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', session).stdout;
  async function waitForScreen(pattern: RegExp, timeoutMs = 20000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = screen();
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`no ${pattern} on screen:\n${text}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    stack = await startStack('cli-tty', { config: { KODA_OFFLINE_TOKEN_DELAY_MS: 25 } });
  });
  afterAll(async () => {
    tmux('kill-server');
    await stack?.close();
  });

  it('streams answers, Ctrl+C stops one, Ctrl+D quits', async () => {
    const command = `KODA_HISTORY= ${process.execPath} ${CLI} --url ${stack.baseUrl} --mode plume; echo EXITED=$?; sleep 30`;
    expect(tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '50', command).status).toBe(0);
    await waitForScreen(/plume ›\s*$/);
    tmux('send-keys', '-t', session, '-l', 'Écris un long paragraphe sur les jardins japonais et leur histoire');
    tmux('send-keys', '-t', session, 'Enter');
    await waitForScreen(/Plume ›\n\S/);
    tmux('send-keys', '-t', session, 'C-c');
    await waitForScreen(/Réponse interrompue \(cancelled\)[\s\S]*plume ›\s*$/);
    tmux('send-keys', '-t', session, '-l', 'Bonjour');
    tmux('send-keys', '-t', session, 'Enter');
    await waitForScreen(/plume › Bonjour\nPlume ›\n[\s\S]+— Plume · [\s\S]*plume ›\s*$/);
    tmux('send-keys', '-t', session, 'C-d');
    const text = await waitForScreen(/EXITED=\d+/);
    expect(text).toMatch(/Session : \S+ +\(pour la reprendre/);
    expect(text).toContain('EXITED=0');
  });
});
