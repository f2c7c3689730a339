#!/bin/sh
# The image's entry point: its first argument picks the KODA service this container runs.
# `exec` makes the service PID 1, so `docker stop` (SIGTERM) reaches it and it shuts down cleanly.
# The service name is exported for the health check, which probes each kind differently.
set -e
cd /app
export KODA_SERVICE="${1:-all}"
# A container is reached through its published port, so the gateway listens on every interface;
# with KODA_AUTH=none it then starts only when KODA_ALLOW_ANONYMOUS=true (see README, "Security").
export HOST="${HOST:-0.0.0.0}"
case "$KODA_SERVICE" in
  all) exec node dist/start-all.js ;;
  gateway) exec node services/gateway/dist/main.js ;;
  orchestrator) exec node services/orchestrator/dist/main.js ;;
  plume | mimir | discussion) exec node "services/agents/dist/main-$KODA_SERVICE.js" ;;
  *)
    echo "unknown KODA service '$KODA_SERVICE': use gateway, orchestrator, plume, mimir, discussion or all" >&2
    exit 64
    ;;
esac
