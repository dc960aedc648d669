#!/usr/bin/env bash
# The fix engine's fuzz target (fuzz/fuzz_targets/fix_all.rs) for a short while, when
# cargo-fuzz and a nightly toolchain are installed; otherwise a visible SKIP (the same
# invariants always run on stable in crates/core/tests/fuzz_fix.rs).
#   FUZZ_SECONDS=30 (default) tests/steps/60-fuzz.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
seconds="${FUZZ_SECONDS:-30}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "SKIP fuzz: cargo-fuzz is not installed (cargo install cargo-fuzz); the stable run of the same invariants is crates/core/tests/fuzz_fix.rs"
  echo "fuzz: 0 passed, 0 failed, 1 skipped"
  exit 0
fi
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "SKIP fuzz: no nightly toolchain (rustup toolchain install nightly)"
  echo "fuzz: 0 passed, 0 failed, 1 skipped"
  exit 0
fi
# Work on a copy of the seeds, so that the corpus in the repository only holds what was chosen.
work=$(mktemp -d "${TMPDIR:-/tmp}/manifest-lint-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp fuzz/corpus/fix_all/* "$work/"
for f in tests/fixtures/*/*.json; do
  cp "$f" "$work/$(basename "$(dirname "$f")")-$(basename "$f")"
done
if (cd fuzz && cargo +nightly fuzz run fix_all "$work" -- -max_total_time="$seconds" -max_len=4096); then
  echo "fuzz: 1 passed, 0 failed"
else
  echo "fuzz: the fix engine broke an invariant; the crashing input is under fuzz/artifacts/fix_all/" >&2
  echo "fuzz: 0 passed, 1 failed"
  exit 1
fi
