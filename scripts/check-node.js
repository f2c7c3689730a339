#!/usr/bin/env node
// One clear line instead of a stack trace when the Node.js in use is older than KODA targets.
const fs = require('fs');
const path = require('path');

const wanted = Number(fs.readFileSync(path.join(__dirname, '..', '.nvmrc'), 'utf8').trim());
const found = Number(process.versions.node.split('.')[0]);
if (found < wanted) {
  process.stderr.write(
    `KODA needs Node.js ${wanted} LTS or newer; this is Node.js ${process.versions.node}. ` +
      `Install Node.js ${wanted} (e.g. \`nvm install ${wanted}\`, or \`source scripts/use-node.sh\`, which installs it from the npm registry) and retry.\n`,
  );
  process.exit(1);
}
