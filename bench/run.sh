#!/bin/sh
# Runs the standard benchmark scenarios (issue 6) and writes bench/results/{REPORT.md,result.json,chart.png}.
#   bench/run.sh            build, then all scenarios (~10 minutes on 2 cores)
#   bench/run.sh smoke      the seconds-long smoke run (what the test suite does)
#   bench/run.sh jmh [args] the JMH micro-benchmarks (args go to JMH, e.g. -f 1 -wi 2 -i 3 Decode)
# Extra options after the run name go to the harness, e.g. --only steady,mosquitto.
set -eu
cd "$(dirname "$0")/.."
run="${1:-all}"
[ $# -gt 0 ] && shift
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -q -pl gateway,bench -am package -DskipTests
fi
exec java -jar bench/target/bench.jar "$run" "$@"
