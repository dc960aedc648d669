#!/usr/bin/env bash
# Installs the pinned Verdaccio (tests/registry-server) that manifest-lint-registry's tests run on
# loopback. Runs before the cargo test step. Idempotent and silent when already installed: it
# reinstalls only when package-lock.json changed since the last install (a stamp in
# node_modules). Tries the local npm cache first (--offline), then the registry.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="$root/tests/registry-server"
stamp="$dir/node_modules/.manifest-lint-lock.sha256"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "05-install-verdaccio: node and npm are needed for the registry tests (Verdaccio)" >&2
  exit 1
fi

want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -f "$dir/node_modules/verdaccio/bin/verdaccio" ]]; then
  exit 0
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
npm_ci() {
  npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error "$@" >>"$log" 2>&1
}
if ! npm_ci --offline && ! npm_ci; then
  echo "05-install-verdaccio: 'npm ci --prefix tests/registry-server' failed:" >&2
  cat "$log" >&2
  exit 1
fi
echo "$want" >"$stamp"
