-- Run by neovim.sh: loads editors/neovim/lspconfig.lua against a stub nvim-lspconfig (this Neovim
-- has no vim.lsp.config, so the lspconfig branch runs) and checks what it registered.
local registered = {}
package.loaded['lspconfig.configs'] = registered
local setups = {}
package.loaded['lspconfig'] = setmetatable({}, {
  __index = function(_, name)
    return { setup = function(opts) table.insert(setups, { name = name, opts = opts }) end }
  end,
})

local failures = {}
local function check(cond, what)
  if not cond then table.insert(failures, what) end
end

local ok, err = pcall(dofile, os.getenv('SNIPPET'))
check(ok, 'lspconfig.lua failed: ' .. tostring(err))
local c = registered.manifest_lint and registered.manifest_lint.default_config
check(c ~= nil, 'no manifest_lint config registered')
if c then
  check(vim.deep_equal(c.cmd, { 'manifest-lint', 'lsp' }), 'cmd: ' .. vim.inspect(c.cmd))
  check(c.root_dir('/game/Packages/manifest.json') == '/game', 'root of a manifest')
  check(c.root_dir('C:\\Game\\Packages\\manifest.json') == 'C:/Game', 'root of a Windows manifest')
  check(c.root_dir('/game/web/manifest.json') == nil, 'no root for another manifest.json')
  check(c.single_file_support == false, 'single_file_support must be off')
  check(c.settings.manifestLint == c.init_options, 'settings.manifestLint is the init_options object')
  check(c.init_options.online == true and c.init_options.registryTimeout == 10 and c.init_options.inlayHints == true, 'defaults')
end
check(#setups == 1 and setups[1].name == 'manifest_lint', 'setup() called once: ' .. vim.inspect(setups))

if #failures > 0 then
  io.stderr:write('neovim (lspconfig.lua): ' .. table.concat(failures, '\nneovim (lspconfig.lua): ') .. '\n')
  vim.cmd('cquit 1')
else
  vim.cmd('qall!')
end
