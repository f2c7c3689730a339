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
  # Any other name is an agent of the agent table; main-agent.js refuses an unknown one (exit 64).
  *) exec node services/agents/dist/main-agent.js "$KODA_SERVICE" ;;
esac
