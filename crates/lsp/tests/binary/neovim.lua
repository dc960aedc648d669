-- Driven by crates/lsp/tests/binary/stdio.rs: a real editor (Neovim 0.7.2+, headless) talks to
-- `manifest-lint lsp`. Opens $ML_MANIFEST, waits for diagnostics, asks for a hover, edits the
-- buffer, waits for the new diagnostics, and writes what it saw as JSON to $ML_OUT.
local bin, manifest, out = os.getenv('ML_BIN'), os.getenv('ML_MANIFEST'), os.getenv('ML_OUT')
local results = { steps = {} }

local function codes(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local code = d.code
    if code == nil and d.user_data and d.user_data.lsp then
      code = d.user_data.lsp.code
    end
    table.insert(list, { code = code, lnum = d.lnum, col = d.col, source = d.source })
  end
  table.sort(list, function(a, b) return a.lnum < b.lnum end)
  return list
end

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(manifest))
  local bufnr = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({
    name = 'manifest-lint',
    cmd = { bin, 'lsp' },
    root_dir = vim.fn.fnamemodify(manifest, ':h:h'),
    init_options = { online = false },
  })
  assert(id, 'start_client failed')
  vim.lsp.buf_attach_client(bufnr, id)
  table.insert(results.steps, 'attached')

  local got = vim.wait(20000, function() return #vim.diagnostic.get(bufnr) >= 2 end, 20)
  results.diagnostics = codes(bufnr)
  table.insert(results.steps, got and 'diagnostics' or 'no diagnostics')

  local client = vim.lsp.get_client_by_id(id)
  results.encoding = client.offset_encoding
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = 2, character = 8 },
  }
  local resp, err = client.request_sync('textDocument/hover', params, 10000, bufnr)
  if resp and resp.result and resp.result.contents then
    results.hover = resp.result.contents.value
  else
    results.hover_error = tostring(err or (resp and resp.err))
  end
  table.insert(results.steps, 'hover')

  -- Delete the repeated scope (line 14, 1-based) and wait for its warning to go.
  vim.api.nvim_buf_set_lines(bufnr, 13, 14, false, {})
  local fixed = vim.wait(20000, function() return #vim.diagnostic.get(bufnr) == 1 end, 20)
  results.after_edit = codes(bufnr)
  table.insert(results.steps, fixed and 'edited' or 'edit not seen')

  vim.lsp.stop_client(id)
  local stopped = vim.wait(10000, function() return client.is_stopped() end, 20)
  table.insert(results.steps, stopped and 'stopped' or 'not stopped')
end

local ok, err = pcall(run)
if not ok then
  results.error = tostring(err)
end
local f = assert(io.open(out, 'w'))
f:write(vim.fn.json_encode(results))
f:close()
vim.cmd('qa!')
