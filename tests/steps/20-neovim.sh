#!/usr/bin/env bash
# Installs Debian's Neovim when `nvim` is missing: the language server's test in a real editor
# (crates/lsp/tests/binary/stdio.rs, `neovim_shows_diagnostics_and_hover`) needs it and fails
# without it. Idempotent and quiet when Neovim is there.
set -euo pipefail
if command -v nvim >/dev/null 2>&1; then
  exit 0
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "20-neovim: nvim is missing and this user cannot install it: install Debian's neovim package" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "20-neovim: nvim is missing and there is no apt-get: install Neovim 0.7.2 or later" >&2
  exit 1
fi
echo "20-neovim: installing Debian's neovim"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq neovim >/dev/null
nvim --version | head -1
