-- manifest-lint for Neovim users of nvim-lspconfig (or of Neovim 0.11's vim.lsp.config).
-- Paste into init.lua (or require it). The server attaches only to `.../Packages/manifest.json`.
-- Without nvim-lspconfig, on any Neovim from 0.7.2 on, use manifest-lint.lua in this folder instead.

local settings = {
  online = true, -- contact the registries the manifest names
  registryTimeout = 10, -- seconds per registry request
  inlayHints = true, -- registry of each dependency as an inlay hint
  rules = vim.empty_dict(), -- e.g. { ['redundant-scope'] = 'off', ['unity-scope-override'] = 'error' }
}

-- '/game/Packages/manifest.json' -> '/game'; nil for every other file, so nothing else attaches.
local function unity_root(fname)
  return (fname:gsub('\\', '/'):match('^(.*)/Packages/manifest%.json$'))
end

if vim.lsp.config and vim.lsp.enable then
  -- Neovim 0.11+ (nvim-lspconfig 2.x builds on this; nothing from it is needed here).
  vim.lsp.config('manifest_lint', {
    cmd = { 'manifest-lint', 'lsp' },
    filetypes = { 'json', 'jsonc' },
    root_dir = function(bufnr, on_dir)
      local root = unity_root(vim.api.nvim_buf_get_name(bufnr))
      if root then
        on_dir(root)
      end
    end,
    init_options = settings,
    settings = { manifestLint = settings },
  })
  vim.lsp.enable('manifest_lint')
else
  -- nvim-lspconfig 0.1.x on Neovim 0.8-0.10: register a custom server, then set it up.
  local configs = require('lspconfig.configs')
  if not configs.manifest_lint then
    configs.manifest_lint = {
      default_config = {
        cmd = { 'manifest-lint', 'lsp' },
        filetypes = { 'json', 'jsonc' },
        root_dir = function(fname)
          return unity_root(fname)
        end,
        single_file_support = false,
        init_options = settings,
        settings = { manifestLint = settings },
      },
      docs = { description = 'manifest-lint: linter for Unity Packages/manifest.json' },
    }
  end
  require('lspconfig').manifest_lint.setup({})
end
