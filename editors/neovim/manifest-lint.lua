-- manifest-lint for Neovim, without nvim-lspconfig. Plain Lua that works on Neovim 0.7.2 and later.
--
-- Use it with `:luafile /path/to/manifest-lint.lua`, or copy it to
-- ~/.config/nvim/plugin/manifest-lint.lua (loaded at startup), or `dofile()` it from init.lua.
--
-- It starts `manifest-lint lsp` for every buffer whose path ends in `Packages/manifest.json`,
-- one server per Unity project (the folder that holds `Packages/`), and nothing else.
--
-- Optional, before loading this file:
--   vim.g.manifest_lint_cmd = { '/full/path/to/manifest-lint', 'lsp' }   -- default: manifest-lint from PATH
--   vim.g.manifest_lint_settings = { online = false, rules = { ['redundant-scope'] = 'off' } }
-- Settings not given keep the server's defaults: online = true, registryTimeout = 10 (seconds),
-- inlayHints = true, rules = {} (rule id -> 'error' | 'warning' | 'info' | 'hint' | 'off').

local M = {}

-- The settings object the server reads, from initializationOptions and from
-- workspace/configuration for the section 'manifestLint'.
local function server_settings()
  local user = vim.g.manifest_lint_settings
  local s = {
    online = true,
    registryTimeout = 10,
    inlayHints = true,
    rules = vim.empty_dict(),
  }
  if type(user) == 'table' then
    for k, v in pairs(user) do
      s[k] = v
    end
  end
  -- An empty Lua table is sent as a JSON array; rules must be an object.
  if type(s.rules) ~= 'table' or next(s.rules) == nil then
    s.rules = vim.empty_dict()
  end
  return s
end

local function server_cmd()
  local cmd = vim.g.manifest_lint_cmd
  if type(cmd) == 'table' and #cmd > 0 then
    return cmd
  end
  return { 'manifest-lint', 'lsp' }
end

-- '/game/Packages/manifest.json' -> '/game'; nil for any other path.
local function project_root(path)
  path = path:gsub('\\', '/')
  local root = path:match('^(.*)/Packages/manifest%.json$')
  if root == nil then
    return nil
  end
  if root == '' then
    return '/'
  end
  return root
end
M.project_root = project_root

-- Neovim 0.7 has no vim.lsp.start: remember one client per project ourselves.
local clients_by_root = {}

local function client_alive(id)
  local client = id and vim.lsp.get_client_by_id(id)
  return client ~= nil and not client.is_stopped()
end

function M.attach(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local name = vim.api.nvim_buf_get_name(bufnr)
  local root = project_root(name)
  if root == nil then
    return nil
  end
  local cmd = server_cmd()
  if vim.fn.executable(cmd[1]) ~= 1 then
    vim.notify(
      'manifest-lint: `' .. cmd[1] .. '` is not executable. Install it (see docs/editors.md) or set vim.g.manifest_lint_cmd.',
      vim.log.levels.ERROR
    )
    return nil
  end
  local settings = server_settings()
  local config = {
    name = 'manifest-lint',
    cmd = cmd,
    root_dir = root,
    init_options = settings,
    settings = { manifestLint = settings },
  }
  if vim.lsp.start then
    -- Neovim 0.8+: reuses a running client with the same name and root_dir.
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  local id = clients_by_root[root]
  if not client_alive(id) then
    config.workspace_folders = { { uri = vim.uri_from_fname(root), name = root } }
    id = vim.lsp.start_client(config)
    clients_by_root[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

local group = vim.api.nvim_create_augroup('manifest_lint', { clear = true })
vim.api.nvim_create_autocmd({ 'BufReadPost', 'BufNewFile' }, {
  group = group,
  pattern = { '*/Packages/manifest.json', 'Packages/manifest.json' },
  callback = function(args)
    M.attach(args.buf)
  end,
  desc = 'Start manifest-lint for Unity Packages/manifest.json',
})

-- Buffers that were already open when this file was loaded.
for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
  if vim.api.nvim_buf_is_loaded(bufnr) and project_root(vim.api.nvim_buf_get_name(bufnr)) then
    M.attach(bufnr)
  end
end

_G.manifest_lint = M
return M
