#!/usr/bin/env node
/**
 * Builds the chat page (Vite; `npm run typecheck` type-checks it) only when its sources changed since the last
 * build, so `npm start` does not rebuild it every time. Also used by the browser tests, which
 * must never test a stale page; a lock makes parallel callers build once.
 */
const { execFile } = require('child_process');
const { existsSync, mkdirSync, readdirSync, rmSync, statSync } = require('fs');
const path = require('path');
const { promisify } = require('util');

const ROOT = path.resolve(__dirname, '..');
const WEB = path.join(ROOT, 'services/gateway/web');
const DIST_INDEX = path.join(ROOT, 'services/gateway/web-dist/index.html');
const SOURCES = [WEB, path.join(ROOT, 'libs/client/src'), path.join(ROOT, 'libs/contracts/src')];
const LOCK = path.join(ROOT, 'services/gateway/.web-dist.lock');
const LOCK_STALE_MS = 120_000;
const run = promisify(execFile);

async function ensureWebBuilt() {
  if (isFresh()) return false;
  await acquireLock();
  try {
    if (isFresh()) return false;
    await run(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', path.join(WEB, 'vite.config.ts')], { cwd: ROOT });
    return true;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function isFresh() {
  if (!existsSync(DIST_INDEX)) return false;
  const built = statSync(DIST_INDEX).mtimeMs;
  return SOURCES.every((dir) => newestMtime(dir) <= built);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (!entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

async function acquireLock() {
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch {
      // Held by another caller; a lock left by a killed run is taken over once old enough.
      const held = statSync(LOCK, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

module.exports = { ensureWebBuilt };

if (require.main === module) {
  ensureWebBuilt().catch((error) => {
    process.stderr.write(`${error.stdout ?? ''}${error.stderr ?? ''}${error.message}\n`);
    process.exit(1);
  });
}
