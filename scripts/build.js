#!/usr/bin/env node
/**
 * The build: SWC transpiles each project's `src/**\/*.ts` to `dist/` (CommonJS, decorator
 * metadata for NestJS), one file at a time and only the files whose source is newer than their
 * output; outputs whose source is gone are removed. No type-check here: `npm run typecheck` does
 * that (tsc), so `npm start` on a fresh clone runs within seconds instead of waiting for tsc.
 *
 *   node scripts/build.js                 every project (the list below)
 *   node scripts/build.js libs/contracts  the projects named, relative to the current folder
 *                                         (each project's `build` script, hence Nx, runs `... .`)
 */
const { transformFile } = require('@swc/core');
const { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync } = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const PROJECTS = [
  'libs/contracts',
  'libs/platform',
  'libs/intent',
  'libs/notes',
  'libs/llm',
  'libs/client',
  'libs/testcontainers',
  'services/gateway',
  'services/orchestrator',
  'services/agents',
  '.',
];
const SWC = { ...JSON.parse(readFileSync(path.join(ROOT, '.swcrc'), 'utf8')), swcrc: false, sourceMaps: true };

/** The sources of one project: `.ts` (tests excluded) to transpile, `.json` to copy. */
function sourcesOf(srcDir) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if ((entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts')) || entry.name.endsWith('.json'))
        files.push(full);
    }
  };
  walk(srcDir);
  return files;
}

function outputOf(srcDir, distDir, file) {
  const relative = path.relative(srcDir, file);
  return path.join(distDir, relative.endsWith('.ts') ? relative.replace(/\.ts$/, '.js') : relative);
}

const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);

async function buildProject(project) {
  const srcDir = path.join(ROOT, project, 'src');
  const distDir = path.join(ROOT, project, 'dist');
  if (!existsSync(srcDir)) return 0;
  const sources = sourcesOf(srcDir);
  const stale = sources.filter((file) => mtime(file) > mtime(outputOf(srcDir, distDir, file)));
  await Promise.all(stale.map((file) => emit(file, outputOf(srcDir, distDir, file))));
  removeOrphans(distDir, new Set(sources.map((file) => outputOf(srcDir, distDir, file))));
  return stale.length;
}

async function emit(file, out) {
  mkdirSync(path.dirname(out), { recursive: true });
  if (file.endsWith('.json')) return copyFileSync(file, out);
  const { code, map } = await transformFile(file, { ...SWC, filename: file, sourceFileName: path.relative(path.dirname(out), file) });
  writeFileSync(out, `${code}\n//# sourceMappingURL=${path.basename(out)}.map\n`);
  if (map) writeFileSync(`${out}.map`, map);
}

/** Removes `.js` (and their maps) left by a source that was deleted or renamed. */
function removeOrphans(distDir, wanted) {
  if (!existsSync(distDir)) return;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.js') && !wanted.has(full)) {
        rmSync(full, { force: true });
        rmSync(`${full}.map`, { force: true });
      }
    }
  };
  walk(distDir);
}

/** Builds the projects named (default: all), returns how many files it wrote. */
async function build(projects = PROJECTS) {
  const started = Date.now();
  const counts = await Promise.all(projects.map((project) => buildProject(path.relative(ROOT, path.resolve(project)))));
  const built = counts.reduce((a, b) => a + b, 0);
  if (process.env.KODA_BUILD_VERBOSE || built > 0) process.stderr.write(`swc: ${built} file(s) in ${Date.now() - started} ms\n`);
  return built;
}

module.exports = { build };

if (require.main === module) {
  const named = process.argv.slice(2);
  build(named.length > 0 ? named : PROJECTS).catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
}
