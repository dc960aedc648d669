#!/usr/bin/env bash
# Checks editors/neovim/manifest-lint.lua in a real headless Neovim (0.7.2 or newer) against the fake
# server: it must attach to Packages/manifest.json only, start `manifest-lint lsp` from PATH, and send
# the settings as initializationOptions and as the `manifestLint` configuration section.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/bin" "$work/proj/Packages" "$work/proj/web"
printf '#!/bin/sh\nexec %q %q "$@"\n' "$(command -v node)" "$here/fake-lsp-server.cjs" >"$work/bin/manifest-lint"
chmod +x "$work/bin/manifest-lint"
echo '{ "dependencies": {} }' >"$work/proj/Packages/manifest.json"
echo '{ "name": "web app" }' >"$work/proj/web/manifest.json"

export FAKE_SERVER_LOG="$work/server.log" PROJ="$work/proj" PATH="$work/bin:$PATH"
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

node "$here/check-log.cjs" "$FAKE_SERVER_LOG" "$work/proj" \
  '{"online":false,"registryTimeout":10,"inlayHints":true,"rules":{"glob-scope":"warning"}}'
