// Checks what the fake server logged: started as `lsp`, rooted at the Unity project, given the
// expected settings both ways, and opened only Packages/manifest.json.
//   node check-log.cjs <log> <project dir> '<expected settings JSON>' ['<expected initializationOptions JSON>']
// (the initializationOptions default to the settings)
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { pathToFileURL } = require('node:url');

const [logFile, projectDir, expectedJson, initJson] = process.argv.slice(2);
const expected = JSON.parse(expectedJson);
const expectedInit = initJson ? JSON.parse(initJson) : expected;
const entries = fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const find = (key) => entries.find((e) => key in e);
try {
  assert.equal(entries.filter((e) => 'argv' in e).length, 1, 'exactly one server process');
  assert.deepEqual(find('argv').argv, ['lsp']);
  assert.equal(find('initializationOptions').rootUri, pathToFileURL(projectDir).href);
  assert.deepEqual(find('initializationOptions').initializationOptions, expectedInit);
  // The whole `manifestLint` section, which every client answers. Dotted sections
  // (`manifestLint.online`) are answered by some clients only (Eglot 1.9 says null).
  const [section, dotted] = find('configuration').configuration;
  assert.deepEqual(section, expected);
  if (dotted !== null) assert.equal(dotted, expected.online);
  const opened = entries.filter((e) => 'didOpen' in e).map((e) => e.didOpen);
  assert.deepEqual(opened, [pathToFileURL(`${projectDir}/Packages/manifest.json`).href]);
  assert.equal(find('didOpen').languageId, 'json');
} catch (err) {
  console.error(`fake server log ${logFile}:\n${entries.map((e) => '  ' + JSON.stringify(e)).join('\n')}`);
  throw err;
}
