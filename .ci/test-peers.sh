#!/usr/bin/env bash
# Checks that every external program the tests run is present and works, probed the way the tests
# use it (.ci/test-peers.tsv). With --install, installs the Debian packages of the failing probes
# (as root, or through sudo) and probes again. Exits 2 naming the packages still missing.
set -uo pipefail
cd "$(dirname "$0")/.."

failing() {
  local pkgs probe
  while IFS=$'\t' read -r pkgs probe; do
    case "$pkgs" in ''|'#'*) continue ;; esac
    sh -c "$probe" >/dev/null 2>&1 </dev/null || echo "$pkgs"
  done < .ci/test-peers.tsv
}

missing=$(failing | tr '\n' ' ')
if [ -n "${missing// /}" ] && [ "${1:-}" = "--install" ]; then
  echo "Installing test peers: $missing"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null 2>&1; then sudo=(sudo); else sudo=(); fi
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ ${#sudo[@]} -gt 0 ]; }; then
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
      || echo "apt-get update failed; trying the cached package lists"
    # shellcheck disable=SC2086 # one word per package
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
  fi
  missing=$(failing | tr '\n' ' ')
fi
if [ -n "${missing// /}" ]; then
  echo "The tests need Debian packages that are missing or broken here: ${missing% }" >&2
  echo "Run ./.ci/test.sh as root (it installs them), or: apt-get install --no-install-recommends ${missing% }" >&2
  exit 2
fi
