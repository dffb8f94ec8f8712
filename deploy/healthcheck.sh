#!/bin/sh
# Container health: the gateway's admin API on loopback answers GET /health with 200.
# COMMGUARD_ADMIN_TOKEN_FILE and COMMGUARD_ADMIN_PORT override the example config's values.
token_file="${COMMGUARD_ADMIN_TOKEN_FILE:-/etc/commguard/admin.token}"
port="${COMMGUARD_ADMIN_PORT:-8641}"
[ -r "$token_file" ] || { echo "no admin token at $token_file: enable admin with tokenFile for health checks"; exit 1; }
exec curl --fail --silent --show-error --max-time 4 \
  -H "Authorization: Bearer $(cat "$token_file")" "http://127.0.0.1:${port}/health" -o /dev/null
