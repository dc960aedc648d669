#!/usr/bin/env bash
# tests/run's own arithmetic: in a scratch tree with fake steps and a fake `cargo`, the final
# `total:` line must count failed tests (each step's count, cargo's failed tests, a crashed test
# binary, and 1 for a check that failed without a count), not failed steps. Quiet; the last line
# is `run-counts: N passed, N failed`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/manifest-lint-run-counts.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tests/steps" "$work/bin"
cp "$root/tests/run" "$work/tests/run"

# A step with its own counts that fails, one that fails without counts, one that passes.
printf 'echo "a: 3 passed, 2 failed"; exit 1\n' >"$work/tests/steps/10-a.sh"
printf 'echo "something broke"; exit 1\n' >"$work/tests/steps/15-b.sh"
printf 'echo "c: 4 passed, 0 failed, 1 skipped"\n' >"$work/tests/steps/30-c.sh"
# cargo test as --no-fail-fast prints it: one binary with a failed test, one that passed, one
# that crashed (no result line), then the doc tests.
cat >"$work/cargo-test.log" <<'LOG'
test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.79s
error: test failed, to rerun pass `--test one`
test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s
error: test failed, to rerun pass `--test two`
error: 2 targets failed:
LOG
cat >"$work/bin/cargo" <<FAKE
#!/usr/bin/env bash
case "\$1" in
  fmt) exit 0 ;;
  clippy) exit 1 ;;
  test)
    if [[ " \$* " == *" --doc "* ]]; then echo "test result: ok. 2 passed; 0 failed; 0 ignored"; exit 0; fi
    [[ " \$* " == *" --no-fail-fast "* ]] || { echo "cargo test without --no-fail-fast" >&2; exit 3; }
    cat "$work/cargo-test.log"; exit 101 ;;
esac
FAKE
chmod +x "$work/bin/cargo"

passed=0
failed=0
status=0
PATH="$work/bin:$PATH" bash "$work/tests/run" >"$work/out.txt" 2>&1 || status=$?
check() { # what, expected, actual
  if [[ "$2" == "$3" ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "run-counts: FAIL: $1: expected '$2', got '$3'" >&2; fi
}
# passed: 3 (a) + 4 (c) + 3 (cargo) + 2 (doc); failed: 2 (a) + 1 (b) + 1 (clippy) + 1 + 1 crashed (cargo)
check "the last line" "total: 12 passed, 6 failed" "$(tail -1 "$work/out.txt")"
check "the exit status" 1 "$status"
check "cargo's own line" "cargo test: 3 passed, 2 failed" "$(grep '^cargo test:' "$work/out.txt" || true)"
if [[ $failed -gt 0 ]]; then sed 's/^/    /' "$work/out.txt" >&2; fi
echo "run-counts: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
