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
# Earlier builds' images, now untagged: each layer is a full copy on the vfs driver.
docker image prune -f >/dev/null
echo "$KODA_IMAGE built in $(($(date +%s) - started)) s, $(docker image inspect "$KODA_IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1 / 1e6}')"
