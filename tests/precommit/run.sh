#!/usr/bin/env bash
# End-to-end test of .pre-commit-hooks.yaml, the way a user gets it: `pre-commit` (from PyPI)
# clones this repository at a commit, builds the hook with `cargo install` (language: rust), and runs
# `manifest-lint check` on Packages/manifest.json.
#
# The commit is a snapshot of the current working tree (tracked and untracked, minus ignored files)
# made in a scratch clone, so the test sees uncommitted changes without touching this repository's
# index or refs. The build's target directory is kept in target/precommit so that reruns only
# rebuild the workspace's own crates.
#
# Usage: tests/precommit/run.sh          (from anywhere; needs git, cargo and pre-commit)
# Env:   KEEP_TMP=1 keeps the scratch directory; VERBOSE=1 prints pre-commit's output.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
passed=0
failed=0

for tool in git cargo; do
  command -v "$tool" >/dev/null || { echo "precommit: $tool is not installed" >&2; exit 1; }
done
if command -v pre-commit >/dev/null; then
  precommit=(pre-commit)
elif python3 -c 'import pre_commit' 2>/dev/null; then
  precommit=(python3 -m pre_commit)
else
  echo "precommit: pre-commit is not installed (pip install pre-commit)" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/manifest-lint-precommit.XXXXXX")
cleanup() { if [[ "${KEEP_TMP:-}" != 1 ]]; then rm -rf "$work"; else echo "precommit: kept $work" >&2; fi; }
trap cleanup EXIT

# --- A commit holding the working tree, in a scratch clone ------------------------------------
src="$work/manifest-lint"
git clone -q --no-checkout "$root" "$src"
git --git-dir="$src/.git" --work-tree="$root" add -A
git --git-dir="$src/.git" --work-tree="$root" \
  -c user.name=precommit-test -c user.email=precommit-test@localhost -c commit.gpgsign=false \
  commit -q --allow-empty --no-verify -m "working tree snapshot for the pre-commit hook test"
rev=$(git --git-dir="$src/.git" rev-parse HEAD)

# --- A Unity project that uses the hook --------------------------------------------------------
proj="$work/project"
mkdir -p "$proj/Packages"
git -C "$proj" init -q
cat >"$proj/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $src
    rev: $rev
    hooks:
      - id: manifest-lint
YAML

write_manifest() { # $1: the scope of the OpenUPM registry
  cat >"$proj/Packages/manifest.json" <<JSON
{
  "scopedRegistries": [
    {
      "name": "package.openupm.com",
      "url": "https://package.openupm.com",
      "scopes": ["$1"]
    }
  ],
  "dependencies": {
    "com.cysharp.unitask": "2.5.10",
    "com.unity.test-framework": "1.4.5"
  }
}
JSON
  git -C "$proj" add -A
}

export PRE_COMMIT_HOME="$work/pre-commit-home"
export CARGO_TARGET_DIR="${PRECOMMIT_CARGO_TARGET_DIR:-$root/target/precommit}"
# pre-commit's `cargo install` builds with the release profile (thin LTO): minutes on two cores,
# for a binary this test runs three times. Unless PRECOMMIT_RELEASE_PROFILE=1, build it unoptimised
# instead; the hook, its files filter and the binary's behaviour are the same.
if [[ "${PRECOMMIT_RELEASE_PROFILE:-}" != 1 ]]; then
  export CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_LTO=false \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 CARGO_PROFILE_RELEASE_DEBUG=false
  CARGO_TARGET_DIR="$CARGO_TARGET_DIR-dev"
fi
export PRE_COMMIT_COLOR=never
export SKIP=

run_precommit() { # $1: log file; runs in the project, returns pre-commit's exit code
  (cd "$proj" && "${precommit[@]}" run --all-files) >"$1" 2>&1
}

report() { # $1: ok|FAIL, $2: what, $3: log
  if [[ "$1" == ok ]]; then
    passed=$((passed + 1))
    [[ "${VERBOSE:-}" == 1 ]] && cat "$3"
  else
    failed=$((failed + 1))
    echo "precommit: FAIL: $2" >&2
    sed 's/^/    /' "$3" >&2
  fi
  return 0
}

# 1. A glob scope is an error: the hook fails and names the rule.
write_manifest "com.cysharp.*"
log1="$work/run1.log"
status=0
run_precommit "$log1" || status=$?
if [[ $status -ne 0 ]] && grep -q "glob-scope" "$log1" && grep -q "^manifest-lint\.*Failed" "$log1"; then
  report ok "bad manifest fails" "$log1"
else
  report FAIL "a manifest with scope \"com.cysharp.*\" should fail the hook naming glob-scope (exit $status)" "$log1"
fi

# 2. The fixed manifest passes.
write_manifest "com.cysharp"
log2="$work/run2.log"
status=0
run_precommit "$log2" || status=$?
if [[ $status -eq 0 ]] && grep -q "^manifest-lint\.*Passed" "$log2"; then
  report ok "fixed manifest passes" "$log2"
else
  report FAIL "the fixed manifest should pass the hook (exit $status)" "$log2"
fi

# 3. Files that are not Packages/manifest.json are not passed to the hook.
mkdir -p "$proj/web"
echo '{"name": "not a unity manifest", "scopedRegistries": 3}' >"$proj/web/manifest.json"
git -C "$proj" add -A
log3="$work/run3.log"
status=0
run_precommit "$log3" || status=$?
if [[ $status -eq 0 ]] && ! grep -q "web/manifest.json" "$log3"; then
  report ok "other manifest.json files are ignored" "$log3"
else
  report FAIL "web/manifest.json must not be linted (exit $status)" "$log3"
fi

echo "precommit: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
