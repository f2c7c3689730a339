import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { freePort } from '@koda/platform';

const SAMPLE = path.resolve(__dirname, '..', '..', '..', 'deploy', 'nginx', 'koda.conf');

export interface NginxProxy {
  url: string;
  stop(): Promise<void>;
}

export const nginxInstalled = (): boolean => spawnSync('nginx', ['-v'], { stdio: 'ignore' }).status === 0;

/**
 * Runs Debian's nginx with the sample config of `deploy/nginx/koda.conf`, changed only in its
 * upstream servers, its port and its idle timeout (60 s in the sample; shorter in tests, so a
 * test can outlast it in seconds).
 */
export async function startNginx(upstreams: string[], idleTimeoutS: number): Promise<NginxProxy> {
  if (!nginxInstalled()) throw new Error('nginx is not installed: apt-get install nginx-light (.ci/run installs it)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'koda-nginx-'));
  const port = await freePort();
  const site = fs
    .readFileSync(SAMPLE, 'utf8')
    .replace(
      /(upstream koda_gateways \{\n)(?:\s*server [^\n]*\n)+/,
      (_m, head: string) => head + upstreams.map((u) => `    server ${u} max_fails=1 fail_timeout=5s;\n`).join(''),
    )
    .replace('listen 8080;', `listen 127.0.0.1:${port};`)
    .replace(/proxy_read_timeout 60s;/, `proxy_read_timeout ${idleTimeoutS}s;`)
    .replace(/proxy_send_timeout 60s;/, `proxy_send_timeout ${idleTimeoutS}s;`);
  fs.writeFileSync(path.join(dir, 'koda.conf'), site);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t};`).join('\n');
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off;\nmaster_process off;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;\nevents { worker_connections 1024; }\nhttp {\n  access_log off;\n${temp}\n  include ${dir}/koda.conf;\n}\n`,
  );
  const child: ChildProcess = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'ignore' });
  process.once('exit', () => child.exitCode === null && child.kill('SIGKILL'));
  await waitForPort(port, child, dir);
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, child: ChildProcess, dir: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${fs.existsSync(`${dir}/error.log`) ? fs.readFileSync(`${dir}/error.log`, 'utf8') : ''}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('nginx did not listen within 5 s');
}
