// A stand-in for `manifest-lint lsp`: answers initialize, asks for workspace/configuration once
// initialized, and writes what it was started with and told to $FAKE_SERVER_LOG (one JSON per line).
'use strict';

const fs = require('node:fs');

const logFile = process.env.FAKE_SERVER_LOG;
const record = (entry) => fs.appendFileSync(logFile, JSON.stringify(entry) + '\n');
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

function handle(msg) {
  if (msg.method === 'initialize') {
    record({ initializationOptions: msg.params.initializationOptions });
    send({ id: msg.id, result: { capabilities: { textDocumentSync: 1 } } });
  } else if (msg.method === 'initialized') {
    send({ id: 'cfg', method: 'workspace/configuration', params: { items: [{ section: 'manifestLint' }, { section: 'manifestLint.online' }] } });
  } else if (msg.id === 'cfg') {
    record({ configuration: msg.result });
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
