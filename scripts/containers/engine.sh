#!/usr/bin/env bash
# Makes sure a Docker engine answers, for CI and fresh machines: installs Debian's docker.io
# (and docker-compose v1 when no `docker compose` plugin exists) when missing, then starts
# `dockerd --storage-driver=vfs` in the background when `docker info` does not answer.
# Idempotent: on a machine with a running engine it only checks. Needs root to install/start.
set -euo pipefail

log() { printf '== %s\n' "$*"; }

engine_answers() { docker info >/dev/null 2>&1; }

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "${KODA_APT_UPDATED:-}" ]; then
    apt-get update -qq >/dev/null || true
    export KODA_APT_UPDATED=1
  fi
  apt-get install -y -qq "$@" >/dev/null
}

install_missing() {
  local wanted=()
  command -v dockerd >/dev/null 2>&1 || wanted+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || wanted+=(debootstrap)
  if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
    wanted+=(docker-compose)
  fi
  if [ "${#wanted[@]}" -gt 0 ]; then
    log "installing ${wanted[*]}"
    apt_install "${wanted[@]}"
  fi
}

start_engine() {
  local logfile="${KODA_DOCKERD_LOG:-/var/log/koda-dockerd.log}"
  log "starting dockerd (vfs storage), log in $logfile"
  # setsid: the engine outlives this script and is not part of the caller's process group.
  setsid dockerd --storage-driver=vfs >>"$logfile" 2>&1 </dev/null &
  for _ in $(seq 1 120); do
    engine_answers && return 0
    sleep 0.5
  done
  tail -n 30 "$logfile" >&2
  echo "dockerd did not answer within 60 s" >&2
  return 1
}

install_missing
if engine_answers; then
  log "docker engine answers"
else
  start_engine
fi
docker version --format 'engine {{.Server.Version}} (API {{.Server.APIVersion}})'
