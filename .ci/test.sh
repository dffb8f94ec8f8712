#!/usr/bin/env bash
# The test command: installs the test peers that are missing or broken (probed the way the tests
# use them, see .ci/test-peers.tsv), then runs the whole suite.
# Needs a JDK 17+, Maven and (for missing packages) apt-get as root or through sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
./.ci/test-peers.sh --install
exec mvn -B -ntp verify "$@"
