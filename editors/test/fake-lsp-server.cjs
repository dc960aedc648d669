// A stand-in for `manifest-lint lsp`, for testing the editor configurations in editors/: it
// answers initialize, asks for workspace/configuration once initialized, publishes one diagnostic
// (code "fake-rule") for each opened document, and appends what it was started with and told to
// $FAKE_SERVER_LOG, one JSON object per line.
'use strict';

const fs = require('node:fs');

// The VS Code extension checks `--version` before it starts a server.
if (process.argv[2] === '--version') {
  process.stdout.write('manifest-lint 0.0.0-fake\n');
  process.exit(0);
}

const logFile = process.env.FAKE_SERVER_LOG;
const record = (entry) => {
  if (logFile) fs.appendFileSync(logFile, JSON.stringify(entry) + '\n');
};
record({ argv: process.argv.slice(2) });

const send = (msg) => {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }), 'utf8');
  process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
  process.stdout.write(body);
};

let buffer = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())[1]);
    if (buffer.length < headerEnd + 4 + length) return;
    const msg = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
    buffer = buffer.subarray(headerEnd + 4 + length);
    handle(msg);
  }
});
process.stdin.on('end', () => process.exit(0));

function handle(msg) {
  if (msg.method === 'initialize') {
    record({ initializationOptions: msg.params.initializationOptions, rootUri: msg.params.rootUri });
    send({ id: msg.id, result: { capabilities: { textDocumentSync: 1 }, serverInfo: { name: 'fake-manifest-lint' } } });
  } else if (msg.method === 'initialized') {
    send({ id: 'cfg', method: 'workspace/configuration', params: { items: [{ section: 'manifestLint' }, { section: 'manifestLint.online' }] } });
  } else if (msg.id === 'cfg' && !msg.method) {
    record({ configuration: msg.result });
  } else if (msg.method === 'textDocument/didOpen') {
    const { uri, languageId } = msg.params.textDocument;
    record({ didOpen: uri, languageId });
    send({
      method: 'textDocument/publishDiagnostics',
      params: {
        uri,
        diagnostics: [
          {
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
            severity: 1,
            code: 'fake-rule',
            source: 'manifest-lint',
            message: 'fake diagnostic',
          },
        ],
      },
    });
  } else if (msg.method === 'workspace/didChangeConfiguration') {
    record({ didChangeConfiguration: msg.params });
  } else if (msg.method === 'shutdown') {
    send({ id: msg.id, result: null });
  } else if (msg.method === 'exit') {
    process.exit(0);
  } else if (msg.id !== undefined && msg.method) {
    send({ id: msg.id, result: null });
  }
}
