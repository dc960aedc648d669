#!/usr/bin/env bash
# Checks editors/neovim/manifest-lint.lua in a real headless Neovim (0.7.2 or newer) against the fake
# server: it must attach to Packages/manifest.json only, start `manifest-lint lsp` from PATH, and send
# the settings as initializationOptions and as the `manifestLint` configuration section.
#
#   neovim.sh                   against the fake server (editors/test/fake-lsp-server.cjs)
#   neovim.sh --server BIN      against a real manifest-lint: a glob scope must come back as a
#                               glob-scope diagnostic (online checks off: nothing leaves the machine)
set -euo pipefail
server=
if [[ "${1:-}" == --server ]]; then
  server=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/bin" "$work/proj/Packages" "$work/proj/web"
if [[ -n "$server" ]]; then
  ln -s "$server" "$work/bin/manifest-lint"
  export EXPECT_CODE=glob-scope
  cat >"$work/proj/Packages/manifest.json" <<'JSON'
{
  "scopedRegistries": [
    { "name": "local", "url": "http://127.0.0.1:9", "scopes": ["com.example.*"] }
  ],
  "dependencies": { "com.example.tools": "1.0.0" }
}
JSON
else
  printf '#!/bin/sh\nexec %q %q "$@"\n' "$(command -v node)" "$here/fake-lsp-server.cjs" >"$work/bin/manifest-lint"
  chmod +x "$work/bin/manifest-lint"
  echo '{ "dependencies": {} }' >"$work/proj/Packages/manifest.json"
fi
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

[[ -n "$server" ]] && exit 0

# lspconfig.lua, against a stub nvim-lspconfig (its vim.lsp.config branch needs Neovim 0.11).
if ! SNIPPET="$here/../neovim/lspconfig.lua" timeout 30 nvim --headless --clean -n \
  -c "luafile $here/neovim-lspconfig-check.lua" >"$work/nvim-lspconfig.out" 2>&1; then
  cat "$work/nvim-lspconfig.out" >&2
  exit 1
fi

node "$here/check-log.cjs" "$FAKE_SERVER_LOG" "$work/proj" \
  '{"online":false,"registryTimeout":10,"inlayHints":true,"rules":{"glob-scope":"warning"}}'
