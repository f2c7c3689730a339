#!/usr/bin/env node
/**
 * `npm start`: transpiles what changed (SWC, a second or two from a fresh clone), then runs KODA
 * in this very process while the chat page builds beside it (Vite, a few seconds): the API
 * answers at once and `/` serves the page as soon as it is written. No type-check on this path;
 * `npm run typecheck` (and CI) does that.
 */
require('./check-node');
const { build } = require('./build');
const { ensureWebBuilt } = require('./build-web');

build()
  .then(() => {
    ensureWebBuilt().catch((error) => process.stderr.write(`chat page build failed: ${error.stdout ?? ''}${error.stderr ?? ''}${error.message}\n`));
    require('../dist/start-all.js');
  })
  .catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
