# Sourced: `docker_build ARGS...` runs `docker build` with BuildKit (parallel stages, no
# container per metadata step: with the vfs storage driver the legacy builder copies the whole
# root filesystem at every step, 10+ minutes for KODA's image). Uses the buildx plugin when
# installed, else a docker CLI older than 23 with DOCKER_BUILDKIT=1 (Debian's docker.io ships
# one at /usr/bin/docker), else the legacy builder.
docker_build() {
  local cli
  for cli in docker /usr/bin/docker; do
    command -v "$cli" >/dev/null 2>&1 || continue
    if "$cli" buildx version >/dev/null 2>&1; then
      "$cli" build "$@"
      return
    fi
    local major
    major=$("$cli" version --format '{{.Client.Version}}' 2>/dev/null | cut -d. -f1)
    if [ -n "$major" ] && [ "$major" -lt 23 ] 2>/dev/null; then
      DOCKER_BUILDKIT=1 "$cli" build "$@"
      return
    fi
  done
  docker build "$@"
}
