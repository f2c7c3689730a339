#!/usr/bin/env bash
# `npm run test:containers`: builds the images (cached), then runs, against a Docker engine,
#   - test/containers: the compose stack (every mode, gateway and plume scaled) and the
#     @koda/testcontainers module (all-in-one, split, an Anthropic-compatible endpoint);
#   - examples/downstream-testcontainers: a separate app's own suite on @koda/testcontainers;
#   - our pipeline suite on a Redis started by testcontainers (KODA_TEST_REDIS=container).
# Needs a running engine (scripts/containers/engine.sh starts one).
set -euo pipefail
cd "$(dirname "$0")/../.."
export TESTCONTAINERS_RYUK_DISABLED=true KODA_IMAGE="${KODA_IMAGE:-koda:latest}" KODA_REDIS_IMAGE="${KODA_REDIS_IMAGE:-koda-redis:7}"

step() { printf '\n== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

step "images"
bash scripts/containers/build-images.sh
step "build (the example uses @koda/testcontainers' compiled output)"
npm run build --silent
step "container suites"
npx jest -c test/containers/jest.config.js
step "downstream example"
(cd examples/downstream-testcontainers && npm test)
step "pipeline suite on a testcontainers Redis"
KODA_TEST_REDIS=container npx jest test/pipeline.spec.ts
