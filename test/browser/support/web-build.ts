import { execFile } from 'child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'fs';
import * as path from 'path';
import { promisify } from 'util';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const WEB = path.join(ROOT, 'services/gateway/web');
const DIST_INDEX = path.join(ROOT, 'services/gateway/web-dist/index.html');
const SOURCES = [WEB, path.join(ROOT, 'libs/client/src')];
const LOCK = path.join(ROOT, 'services/gateway/.web-dist.lock');
const LOCK_STALE_MS = 120_000;

/**
 * Makes sure the gateway serves a page built from the current sources: `npm run build` makes
 * it, but a test run right after an edit (or on a clone never built) must not test a stale or
 * missing page. Builds with the Vite CLI in a child process (Vite is ESM-only, Jest's module
 * system is not), under a lock so parallel suites build once.
 */
export async function ensureWebBuilt(): Promise<void> {
  if (isFresh()) return;
  await acquireLock();
  try {
    if (isFresh()) return;
    await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', path.join(WEB, 'vite.config.ts')], { cwd: ROOT });
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function isFresh(): boolean {
  if (!existsSync(DIST_INDEX)) return false;
  const built = statSync(DIST_INDEX).mtimeMs;
  return SOURCES.every((dir) => newestMtime(dir) <= built);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (!entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

async function acquireLock(): Promise<void> {
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch {
      // Held by another suite; a lock left by a killed run is taken over once old enough.
      const held = statSync(LOCK, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
