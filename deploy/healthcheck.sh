#!/bin/sh
# Container and pod probe: asks the gateway's admin API on loopback, which needs no token for it.
#   healthcheck.sh        readiness: GET /readyz (200 ready or degraded, 503 not ready)
#   healthcheck.sh live   liveness:  GET /healthz
# COMMGUARD_ADMIN_PORT overrides the default admin port 8641.
port="${COMMGUARD_ADMIN_PORT:-8641}"
case "${1:-ready}" in
  ready) path=/readyz ;;
  live) path=/healthz ;;
  *) echo "usage: healthcheck.sh [ready|live]" >&2; exit 2 ;;
esac
exec curl --fail --silent --show-error --max-time 4 "http://127.0.0.1:${port}${path}" -o /dev/null
