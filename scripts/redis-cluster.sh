#!/usr/bin/env bash
# A throwaway local Redis Cluster for development and tests, from the installed redis-server.
#
#   scripts/redis-cluster.sh start [DIR]   3 masters (REPLICAS=1 adds one replica each) on free
#                                          ports; prints the seed list for KODA_REDIS_CLUSTER_NODES
#   scripts/redis-cluster.sh stop  [DIR]   stops those servers and removes DIR
#   scripts/redis-cluster.sh nodes [DIR]   prints the seed list again
#
# DIR (default /tmp/koda-redis-cluster) holds each server's config, pid and log; nothing is
# persisted. Only the servers this script started (by their pid files) are stopped.
set -euo pipefail

cmd=${1:-}
dir=${2:-${KODA_CLUSTER_DIR:-/tmp/koda-redis-cluster}}
masters=${MASTERS:-3}
replicas=${REPLICAS:-0}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

nodes() { paste -sd, "$dir/nodes"; }

start() {
  if [[ -f "$dir/nodes" ]]; then echo "a cluster already runs from $dir (stop it first)" >&2; exit 1; fi
  mkdir -p "$dir"
  local count=$((masters * (1 + replicas))) addrs=() port
  for _ in $(seq 1 "$count"); do
    port=$(free_port)
    # Each server gets a cluster bus port (port + 10000): retry when that one is taken.
    while (( port > 55535 )) || ! node -e "const s=require('net').createServer();s.on('error',()=>process.exit(1));s.listen($((port + 10000)),'127.0.0.1',()=>s.close())"; do port=$(free_port); done
    redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file "$dir/nodes-$port.conf" \
      --cluster-node-timeout 2000 --save "" --appendonly no --daemonize yes \
      --pidfile "$dir/redis-$port.pid" --logfile "$dir/redis-$port.log" --dir "$dir"
    addrs+=("127.0.0.1:$port")
  done
  for addr in "${addrs[@]}"; do
    for _ in $(seq 1 50); do redis-cli -p "${addr##*:}" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
  done
  printf '%s\n' "${addrs[@]}" >"$dir/nodes"
  redis-cli --cluster create "${addrs[@]}" --cluster-replicas "$replicas" --cluster-yes >"$dir/create.log" 2>&1 || {
    cat "$dir/create.log" >&2; stop; exit 1; }
  for _ in $(seq 1 100); do
    if redis-cli -p "${addrs[0]##*:}" cluster info | grep -q 'cluster_state:ok'; then nodes; return; fi
    sleep 0.1
  done
  echo "the cluster did not reach cluster_state:ok in 10 s" >&2; stop; exit 1
}

stop() {
  [[ -d "$dir" ]] || return 0
  for pidfile in "$dir"/redis-*.pid; do
    [[ -f "$pidfile" ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  # Servers delete their pid file on exit; wait for that before removing the folder.
  for _ in $(seq 1 50); do compgen -G "$dir/redis-*.pid" >/dev/null || break; sleep 0.1; done
  rm -rf "$dir"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  nodes) nodes ;;
  *) echo "usage: $0 start|stop|nodes [DIR]" >&2; exit 2 ;;
esac
