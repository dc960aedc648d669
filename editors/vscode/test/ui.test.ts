import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  RestartBudget,
  checkVersionOutput,
  diagnosticCode,
  findReadme,
  pathSettingsCommand,
  plainText,
  remoteHint,
  rulesReportedByJsonService,
  unique,
} from '../src/ui';

test('plainText: code spans become quoted text, stray backticks go', () => {
  assert.equal(plainText('Replace `@com.foo` with `com.foo`'), "Replace '@com.foo' with 'com.foo'");
  assert.equal(plainText('`manifest-lint` is not on PATH'), "'manifest-lint' is not on PATH");
  assert.equal(plainText('a lone ` backtick'), 'a lone  backtick');
  assert.equal(plainText('nothing to do'), 'nothing to do');
});

test('unique keeps the first of each, in order', () => {
  assert.deepEqual(unique(['/a/manifest-lint', '/b/manifest-lint', '/a/manifest-lint']), ['/a/manifest-lint', '/b/manifest-lint']);
});

test('findReadme: vsce stores readme.md in lower case; README.md wins when both exist', () => {
  assert.equal(findReadme(['package.json', 'readme.md', 'dist']), 'readme.md');
  assert.equal(findReadme(['README.md', 'readme.md']), 'README.md');
  assert.equal(findReadme(['Readme.MD']), 'Readme.MD');
  assert.equal(findReadme(['package.json', 'changelog.md']), undefined);
});

test('"Set path" opens the Remote settings in a remote window, the User settings otherwise', () => {
  assert.deepEqual(pathSettingsCommand(undefined), { command: 'workbench.action.openSettings', args: ['manifestLint.path'] });
  assert.deepEqual(pathSettingsCommand('ssh-remote'), { command: 'workbench.action.openRemoteSettings', args: [{ query: 'manifestLint.path' }] });
  assert.equal(remoteHint(undefined), '');
  assert.match(remoteHint('wsl'), /remote window \(wsl\).*Remote settings/);
});

test('what VS Code\'s JSON service already reports is left out, only while it validates', () => {
  assert.deepEqual([...rulesReportedByJsonService({ validate: true, languageId: 'json' })].sort(), ['duplicate-key', 'invalid-json']);
  assert.deepEqual([...rulesReportedByJsonService({ validate: true, languageId: 'jsonc' })], ['duplicate-key']);
  assert.equal(rulesReportedByJsonService({ validate: false, languageId: 'json' }).size, 0);
});

test('diagnosticCode reads strings, numbers and { value, target }', () => {
  assert.equal(diagnosticCode('glob-scope'), 'glob-scope');
  assert.equal(diagnosticCode(7), '7');
  assert.equal(diagnosticCode({ value: 'duplicate-key', target: {} }), 'duplicate-key');
  assert.equal(diagnosticCode(undefined), undefined);
  assert.equal(diagnosticCode({ target: {} }), undefined);
});

test('RestartBudget: 3 restarts within the window, then none; old crashes expire', () => {
  const b = new RestartBudget(3, 1000);
  assert.deepEqual([b.allow(0), b.allow(10), b.allow(20), b.allow(30)], [true, true, true, false]);
  const c = new RestartBudget(3, 1000);
  assert.deepEqual([c.allow(0), c.allow(10), c.allow(20), c.allow(5000)], [true, true, true, true]);
});

test('checkVersionOutput accepts only "manifest-lint <version>"', () => {
  assert.deepEqual(checkVersionOutput('manifest-lint 0.1.0\n'), { ok: true, version: '0.1.0' });
  assert.deepEqual(checkVersionOutput(''), { ok: false });
  assert.deepEqual(checkVersionOutput('ruff 0.6.0\n'), { ok: false });
  assert.deepEqual(checkVersionOutput('Usage: false [ignored command line arguments]\n'), { ok: false });
});
