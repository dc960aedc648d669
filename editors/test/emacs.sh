#!/usr/bin/env bash
# Checks editors/emacs/manifest-lint.el in batch Emacs (28 with elpa-eglot, or 29+) against the fake
# server: Eglot must start `manifest-lint lsp` from PATH for Packages/manifest.json only and send
# the settings as initializationOptions and as the `manifestLint` configuration section.
#
#   emacs.sh                    against the fake server (editors/test/fake-lsp-server.cjs)
#   emacs.sh --server BIN       against a real manifest-lint: a glob scope must come back as a
#                               glob-scope diagnostic (online checks off: nothing leaves the machine)
set -euo pipefail
# shellcheck source=editor-project.sh
source "$(dirname "${BASH_SOURCE[0]}")/editor-project.sh" "$@"

export HOME="$work"
status=0
(cd "$work/proj" && timeout 60 emacs --batch -l "$here/emacs-check.el") >"$work/emacs.out" 2>&1 || status=$?
if [[ $status -ne 0 ]]; then
  cat "$work/emacs.out" >&2
  echo "emacs: emacs exited with $status" >&2
  exit 1
fi

[[ -n "$server" ]] && exit 0
# The snippet's own initializationOptions (the test overrides only the workspace configuration).
node "$here/check-log.cjs" "$FAKE_SERVER_LOG" "$work/proj" \
  '{"online":false,"registryTimeout":10,"inlayHints":true,"rules":{"glob-scope":"warning"}}' \
  '{"online":true,"registryTimeout":10,"inlayHints":true}'
