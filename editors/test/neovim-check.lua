-- Run by neovim.sh: nvim --headless --clean -l is not in 0.7, so this is `:luafile`d after the
-- snippet. Exits 0 when the snippet attached manifest-lint to Packages/manifest.json only.
local proj = os.getenv('PROJ')
local failures = {}
local function check(cond, what)
  if not cond then
    table.insert(failures, what)
  end
end

vim.cmd('edit ' .. vim.fn.fnameescape(proj .. '/Packages/manifest.json'))
local manifest = vim.api.nvim_get_current_buf()
-- The diagnostic the server must publish: the fake server's, or a real rule id.
local expect_code = os.getenv('EXPECT_CODE') or 'fake-rule'
local function code_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end
local function has_expected()
  for _, d in ipairs(vim.diagnostic.get(manifest)) do
    if code_of(d) == expect_code then
      return true
    end
  end
  return false
end
local got = vim.wait(20000, has_expected, 50)
check(got, 'no ' .. expect_code .. ' diagnostic for Packages/manifest.json; got ' .. vim.inspect(vim.diagnostic.get(manifest)))
local attached = vim.lsp.buf_get_clients(manifest)
local names = {}
for _, c in pairs(attached) do
  table.insert(names, c.name)
end
check(#names == 1 and names[1] == 'manifest-lint', 'clients on the manifest: ' .. vim.inspect(names))

-- A second manifest of the same project reuses the client; another JSON file gets none.
vim.cmd('edit ' .. vim.fn.fnameescape(proj .. '/web/manifest.json'))
local other = vim.api.nvim_get_current_buf()
vim.wait(300)
check(next(vim.lsp.buf_get_clients(other)) == nil, 'a client attached to web/manifest.json')

-- Let the workspace/configuration round trip land in the log, then stop cleanly.
vim.wait(500)
vim.lsp.stop_client(vim.lsp.get_active_clients())
vim.wait(2000, function()
  return #vim.lsp.get_active_clients() == 0
end, 50)

if #failures > 0 then
  io.stderr:write('neovim: ' .. table.concat(failures, '\nneovim: ') .. '\n')
  vim.cmd('cquit 1')
else
  vim.cmd('qall!')
end
