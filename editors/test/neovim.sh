#!/usr/bin/env bash
# Checks editors/neovim/manifest-lint.lua in a real headless Neovim (0.7.2 or newer) against the fake
# server: it must attach to Packages/manifest.json only, start `manifest-lint lsp` from PATH, and send
# the settings as initializationOptions and as the `manifestLint` configuration section.
#
#   neovim.sh                   against the fake server (editors/test/fake-lsp-server.cjs)
#   neovim.sh --server BIN      against a real manifest-lint: a glob scope must come back as a
#                               glob-scope diagnostic (online checks off: nothing leaves the machine)
set -euo pipefail
# shellcheck source=editor-project.sh
source "$(dirname "${BASH_SOURCE[0]}")/editor-project.sh" "$@"

status=0
(cd "$work/proj" && timeout 60 nvim --headless --clean -n \
  -c "lua vim.g.manifest_lint_settings = { online = false, rules = { ['glob-scope'] = 'warning' } }" \
  -c "luafile $here/../neovim/manifest-lint.lua" \
  -c "luafile $here/neovim-check.lua") >"$work/nvim.out" 2>&1 || status=$?
if [[ $status -ne 0 ]]; then
  cat "$work/nvim.out" >&2
  echo "neovim: nvim exited with $status" >&2
  exit 1
fi

[[ -n "$server" ]] && exit 0

# lspconfig.lua, against a stub nvim-lspconfig (its vim.lsp.config branch needs Neovim 0.11).
if ! SNIPPET="$here/../neovim/lspconfig.lua" timeout 30 nvim --headless --clean -n \
  -c "luafile $here/neovim-lspconfig-check.lua" >"$work/nvim-lspconfig.out" 2>&1; then
  cat "$work/nvim-lspconfig.out" >&2
  exit 1
fi

node "$here/check-log.cjs" "$FAKE_SERVER_LOG" "$work/proj" \
  '{"online":false,"registryTimeout":10,"inlayHints":true,"rules":{"glob-scope":"warning"}}'
