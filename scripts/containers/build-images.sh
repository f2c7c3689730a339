#!/usr/bin/env bash
# Builds every image the container tests use, with no image registry: the base images (kept
# when their tag exists, see build-base.sh), then KODA's one image from the repo's Dockerfile
# on the local base (Docker's layer cache makes an unchanged rebuild take seconds).
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=docker-build.sh
source ./docker-build.sh

bash ./build-base.sh
KODA_IMAGE="${KODA_IMAGE:-koda:latest}"
echo "== building $KODA_IMAGE"
started=$(date +%s)
docker_build -q --build-arg "BASE_IMAGE=${KODA_BASE_IMAGE:-koda-base:26}" -t "$KODA_IMAGE" ../.. >/dev/null
# Earlier builds' images (now untagged) and build cache this build did not use: on the vfs
# driver each layer is a full copy, tens of GB after a few source changes.
docker image prune -f >/dev/null
docker builder prune -f --filter "until=${KODA_BUILD_CACHE_TTL:-1h}" >/dev/null 2>&1 || true
echo "$KODA_IMAGE built in $(($(date +%s) - started)) s, $(docker image inspect "$KODA_IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1 / 1e6}')"
