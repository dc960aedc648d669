#!/usr/bin/env bash
# The pre-commit hook (.pre-commit-hooks.yaml) as users run it: pre-commit from PyPI builds the
# hook from a snapshot of this working tree with `cargo install` and lints a Unity project.
# Idempotent; quiet on success; the last line is the count.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

if ! command -v pre-commit >/dev/null 2>&1 && ! python3 -c 'import pre_commit' 2>/dev/null; then
  log=$(mktemp)
  if ! python3 -m pip install --quiet --disable-pip-version-check pre-commit >"$log" 2>&1; then
    cat "$log" >&2
    echo "pre-commit: installing pre-commit with pip failed" >&2
    exit 1
  fi
  rm -f "$log"
  hash -r
fi

tests/precommit/run.sh
