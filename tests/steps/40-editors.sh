#!/usr/bin/env bash
# Editor integrations (editors/): the VS Code extension's unit tests, its .vsix built offline with
# vsce from the committed lockfile, the bundled extension driven through vscode-languageclient
# against a fake server, static checks of every editor configuration, and, where the editors are
# installed, the Neovim (0.7.2+) and Emacs/Eglot snippets in real headless editors.
#
# Idempotent; quiet on success; the last line is `editors: N passed, N failed[, N skipped]`.
# Env: MANIFEST_LINT_BIN=path/to/manifest-lint to check package.json's rule list against it and
# to run the Neovim and Emacs snippets against the real server (default: target/debug/manifest-lint,
# or target/release/manifest-lint, when built).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
vscode="$root/editors/vscode"
work=$(mktemp -d "${TMPDIR:-/tmp}/manifest-lint-editors.XXXXXX")
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
skipped=0

fail() { # $1: what, $2: log file
  failed=$((failed + 1))
  echo "editors: FAIL: $1" >&2
  [[ -n "${2:-}" && -f "$2" ]] && sed 's/^/    /' "$2" >&2
  return 0
}

# Runs `node --test` on the given files; adds its counts to ours.
node_tests() { # $1: label, $2: cwd, rest: test files or globs, relative to $2 (no spaces)
  local label=$1 dir=$2 log="$work/$1.log" status=0
  shift 2
  # shellcheck disable=SC2068 # the globs expand inside $dir
  (cd "$dir" && timeout 300 node --test $@) >"$log" 2>&1 || status=$?
  local p f
  p=$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$log" | tail -1)
  f=$(sed -n 's/^# fail \([0-9][0-9]*\)$/\1/p' "$log" | tail -1)
  if [[ -z "$p" || -z "$f" ]]; then
    fail "$label: node --test printed no summary (exit $status)" "$log"
    return 0
  fi
  passed=$((passed + p))
  if [[ "$f" -ne 0 || $status -ne 0 ]]; then
    failed=$((failed + f))
    [[ "$f" -eq 0 ]] && failed=$((failed + 1))
    echo "editors: FAIL: $label: $f failed (exit $status)" >&2
    grep -E -A30 '^not ok' "$log" | sed 's/^/    /' >&2 || sed 's/^/    /' "$log" >&2
  fi
  return 0
}

check() { # $1: what, rest: command; one pass or one fail
  local what=$1 log="$work/check-$((passed + failed + skipped)).log"
  shift
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1))
  else
    fail "$what" "$log"
  fi
}

for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "editors: $tool is not installed" >&2; exit 1; }
done

# --- VS Code: dependencies from the lockfile ----------------------------------------------------
# npm ci only when node_modules is missing or older than the lockfile: the step stays idempotent
# and fast on reruns, and a fresh clone installs exactly what package-lock.json says.
if [[ ! -f "$vscode/node_modules/.package-lock.json" || "$vscode/package-lock.json" -nt "$vscode/node_modules/.package-lock.json" ]]; then
  # The npm cache first (--offline), then the registry.
  if ! (cd "$vscode" && { npm ci --offline --no-audit --no-fund || npm ci --no-audit --no-fund; }) >"$work/npm-ci.log" 2>&1; then
    fail "npm ci in editors/vscode" "$work/npm-ci.log"
    echo "editors: $passed passed, $failed failed"
    exit 1
  fi
fi

# --- VS Code: type check and unit tests of the vscode-free modules -----------------------------
rm -rf "$vscode/out"
if (cd "$vscode" && npx --no-install tsc -p .) >"$work/tsc.log" 2>&1; then
  passed=$((passed + 1))
  node_tests unit "$vscode" "out/test/*.test.js"
else
  fail "tsc -p editors/vscode" "$work/tsc.log"
fi

# --- VS Code: the .vsix, built offline --------------------------------------------------------
# The proxy variables point nowhere, so any network access by esbuild or vsce fails the build.
vsix_dir="$work/vsix"
if (cd "$vscode" && HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 \
  node scripts/package.mjs --out "$vsix_dir") >"$work/vsce.log" 2>&1; then
  vsix=$(find "$vsix_dir" -name 'manifest-lint-*.vsix' | head -1)
  if [[ -n "$vsix" ]]; then
    node -e '
      // Lists a zip archive (the .vsix) from its central directory, without unzip.
      const buf = require("fs").readFileSync(process.argv[1]);
      let eocd = buf.length - 22;
      while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
      if (eocd < 0) throw new Error("not a zip file");
      const count = buf.readUInt16LE(eocd + 10);
      let p = buf.readUInt32LE(eocd + 16);
      for (let i = 0; i < count; i++) {
        const nameLen = buf.readUInt16LE(p + 28), extra = buf.readUInt16LE(p + 30), comment = buf.readUInt16LE(p + 32);
        console.log(buf.toString("utf8", p + 46, p + 46 + nameLen));
        p += 46 + nameLen + extra + comment;
      }' "$vsix" >"$work/vsix-files.txt"
    check "the .vsix holds extension/package.json" grep -qx 'extension/package.json' "$work/vsix-files.txt"
    check "the .vsix holds the bundle extension/dist/extension.js" grep -qx 'extension/dist/extension.js' "$work/vsix-files.txt"
    check "the .vsix holds the manifest's JSON schema (jsonValidation)" grep -qx 'extension/schema/unity-manifest.schema.json' "$work/vsix-files.txt"
    check "the .vsix holds the package.json JSON schema (jsonValidation)" grep -qx 'extension/schema/unity-package.schema.json' "$work/vsix-files.txt"
    check "the .vsix holds README, CHANGELOG and LICENSE" bash -c "grep -qix 'extension/readme.md' '$work/vsix-files.txt' && grep -qix 'extension/changelog.md' '$work/vsix-files.txt' && grep -qi 'extension/LICENSE' '$work/vsix-files.txt'"
    check "the .vsix ships no sources, tests or node_modules" bash -c "! grep -E 'extension/(src|test|test-bundle|out|node_modules|scripts)/' '$work/vsix-files.txt'"
  else
    fail "vsce reported success but wrote no .vsix" "$work/vsce.log"
  fi
else
  fail "packaging the .vsix (scripts/package.mjs)" "$work/vsce.log"
fi

# --- VS Code: the bundle, through vscode-languageclient, against a fake server ------------------
if [[ -f "$vscode/dist/extension.js" ]]; then
  node_tests bundle "$vscode" test-bundle/activate.test.cjs
else
  fail "no dist/extension.js to test"
fi

# --- package.json lists the server's own rules ----------------------------------------------------
bin=${MANIFEST_LINT_BIN:-}
if [[ -z "$bin" ]]; then
  for candidate in "$root/target/debug/manifest-lint" "$root/target/release/manifest-lint"; do
    [[ -x "$candidate" ]] && { bin=$candidate; break; }
  done
fi
if [[ -n "$bin" ]]; then
  # Fails on rule ids the server does not know; rules it added since the last sync are a note.
  check "package.json's manifestLint.rules against \`manifest-lint rules\`" node "$vscode/scripts/sync-rules.mjs" --check "$bin"
  node "$vscode/scripts/sync-rules.mjs" --check "$bin" 2>&1 >/dev/null | sed 's/^/editors: note: /' >&2 || true
else
  skipped=$((skipped + 1))
  echo "editors: skipped the rule list check: no built manifest-lint (set MANIFEST_LINT_BIN)" >&2
fi

# --- Every editor configuration states the same contract ----------------------------------------
node_tests static "$root/editors" test/static-checks.test.cjs
check "helix/languages.toml parses as TOML" python3 -c 'import sys, tomllib; tomllib.load(open(sys.argv[1], "rb"))' "$root/editors/helix/languages.toml"

# --- Neovim and Emacs, when installed -----------------------------------------------------------
# In CI (CI=true, as root, on Debian) they are installed from Debian's packages: Neovim 0.7.2 and
# Emacs 28 with Eglot on bookworm, the oldest versions the snippets support. Elsewhere a missing
# editor is a skip, reported on stderr.
apt_updated=
apt_install() { # packages...; quiet, best effort
  [[ "${CI:-}" == true && $(id -u) -eq 0 ]] && command -v apt-get >/dev/null || return 1
  if [[ -z "$apt_updated" ]]; then
    apt-get -o DPkg::Lock::Timeout=600 update -qq >"$work/apt.log" 2>&1 || return 1
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >>"$work/apt.log" 2>&1
}
has_eglot() { command -v emacs >/dev/null && emacs --batch --eval '(kill-emacs (if (require (quote eglot) nil t) 0 1))' >/dev/null 2>&1; }

command -v nvim >/dev/null || apt_install neovim || true
has_eglot || apt_install emacs-nox elpa-eglot || true

if command -v nvim >/dev/null; then
  check "Neovim: editors/neovim/manifest-lint.lua in headless nvim" "$root/editors/test/neovim.sh"
  if [[ -n "$bin" ]]; then
    check "Neovim: the snippet with the real server ($bin)" "$root/editors/test/neovim.sh" --server "$bin"
  fi
else
  skipped=$((skipped + 1))
  echo "editors: skipped the Neovim check: nvim is not installed" >&2
fi
if has_eglot; then
  check "Emacs: editors/emacs/manifest-lint.el with Eglot in batch Emacs" "$root/editors/test/emacs.sh"
  if [[ -n "$bin" ]]; then
    check "Emacs: the snippet with the real server ($bin)" "$root/editors/test/emacs.sh" --server "$bin"
  fi
else
  skipped=$((skipped + 1))
  echo "editors: skipped the Emacs check: emacs with eglot is not installed" >&2
fi

if [[ $skipped -gt 0 ]]; then
  echo "editors: $passed passed, $failed failed, $skipped skipped"
else
  echo "editors: $passed passed, $failed failed"
fi
[[ $failed -eq 0 ]]
