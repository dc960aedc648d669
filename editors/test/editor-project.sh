#!/usr/bin/env bash
# Shared by neovim.sh and emacs.sh: parses `--server BIN`, makes a scratch project (`$work/proj`
# with Packages/manifest.json and an unrelated web/manifest.json) and a `manifest-lint` on PATH
# that is either the real binary (then EXPECT_CODE=glob-scope: the manifest has a glob scope) or
# the fake server. Sets: server, here, work (removed on exit), FAKE_SERVER_LOG, PROJ, PATH.
# Usage: source "$(dirname "${BASH_SOURCE[0]}")/editor-project.sh" "$@"
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
: >"$work/server.log"
export FAKE_SERVER_LOG="$work/server.log" PROJ="$work/proj" PATH="$work/bin:$PATH"
