#!/usr/bin/env bash
# The demo: builds the gateway if needed and runs it on embedded defaults with simulated devices
# and an in-process city endpoint. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=gateway/target/gateway.jar
if [ ! -f "$jar" ] || [ -n "$(find gateway/src device-profiles -newer "$jar" -print -quit 2>/dev/null)" ]; then
  mvn -B -q -ntp -DskipTests package
fi
exec deploy/commguard-gateway demo "$@"
