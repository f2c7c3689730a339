import { execFile, spawnSync } from 'child_process';
import * as path from 'path';
import { promisify } from 'util';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '../../..');

/** `docker compose` (v2 plugin) when it answers, else the standalone `docker-compose` (v1). */
function composeCommand(): string[] {
  return spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0 ? ['docker', 'compose'] : ['docker-compose'];
}

/** One compose project of the repo's docker-compose.yml, under its own name and settings. */
export class ComposeProject {
  private readonly command = composeCommand();

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
  ) {}

  async exec(...args: string[]): Promise<string> {
    const [bin, ...pre] = this.command;
    const { stdout } = await run(bin, [...pre, '-f', path.join(REPO, 'docker-compose.yml'), '-p', this.name, ...args], {
      cwd: REPO,
      env: { ...process.env, ...this.env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  }

  /** Host ports published for each replica of `service`'s `containerPort`. */
  async publishedPorts(service: string, containerPort: number, replicas: number): Promise<number[]> {
    const ports: number[] = [];
    for (let index = 1; index <= replicas; index++) {
      const out = await this.exec('port', '--index', String(index), service, String(containerPort));
      ports.push(Number(out.trim().split(':').pop()));
    }
    return ports;
  }

  /** The log lines of one service, each with the replica (container) that wrote it. */
  async logLines(service: string): Promise<{ container: string; line: string }[]> {
    const out = await this.exec('logs', '--no-color', service);
    return out
      .split('\n')
      .map((raw) => /^(\S+)\s+\|\s?(.*)$/.exec(raw))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ container: m[1], line: m[2] }));
  }

  /** Docker's health status of each container (by id). */
  async healthOf(ids: string[]): Promise<string[]> {
    const { stdout } = await run('docker', ['inspect', '--format', '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}', ...ids]);
    return stdout.trim().split('\n');
  }

  down(): Promise<string> {
    return this.exec('down', '--volumes', '--remove-orphans', '--timeout', '5');
  }
}
