import { test } from 'node:test';
import assert from 'node:assert/strict';

import { effectivePathSetting, executableNames, expandConfiguredPath, findServer, FindServerInput } from '../src/serverPath';

/** A fake file system: the set of executable files. */
function input(files: string[], over: Partial<FindServerInput> = {}): FindServerInput {
  const set = new Set(files);
  return {
    extensionPath: '/ext',
    platform: 'linux',
    env: { PATH: '/usr/local/bin:/usr/bin' },
    homedir: '/home/u',
    isExecutable: (f) => set.has(f),
    ...over,
  };
}

test('the setting wins over a bundled binary and PATH', () => {
  const r = findServer(input(['/opt/ml/manifest-lint', '/ext/server/manifest-lint', '/usr/bin/manifest-lint'], { configuredPath: '/opt/ml/manifest-lint' }));
  assert.deepEqual(r, { ok: true, command: '/opt/ml/manifest-lint', source: 'setting' });
});

test('a setting that names nothing is an error, not a silent fallback', () => {
  const r = findServer(input(['/ext/server/manifest-lint', '/usr/bin/manifest-lint'], { configuredPath: '/nope/manifest-lint' }));
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.reason, 'setting');
    assert.match(r.message, /\/nope\/manifest-lint/);
    assert.deepEqual(r.tried, ['/nope/manifest-lint']);
  }
});

test('a blank setting counts as unset', () => {
  const r = findServer(input(['/usr/bin/manifest-lint'], { configuredPath: '   ' }));
  assert.deepEqual(r, { ok: true, command: '/usr/bin/manifest-lint', source: 'path' });
});

test('~ and ${workspaceFolder} expand; relative paths resolve against the workspace folder', () => {
  assert.deepEqual(
    findServer(input(['/home/u/.cargo/bin/manifest-lint'], { configuredPath: '~/.cargo/bin/manifest-lint' })),
    { ok: true, command: '/home/u/.cargo/bin/manifest-lint', source: 'setting' },
  );
  assert.deepEqual(
    findServer(input(['/proj/tools/manifest-lint'], { configuredPath: '${workspaceFolder}/tools/manifest-lint', workspaceFolder: '/proj' })),
    { ok: true, command: '/proj/tools/manifest-lint', source: 'setting' },
  );
  assert.deepEqual(
    findServer(input(['/proj/tools/manifest-lint'], { configuredPath: 'tools/manifest-lint', workspaceFolder: '/proj' })),
    { ok: true, command: '/proj/tools/manifest-lint', source: 'setting' },
  );
  const noFolder = findServer(input([], { configuredPath: 'tools/manifest-lint' }));
  assert.equal(noFolder.ok, false);
  if (!noFolder.ok) {
    assert.match(noFolder.message, /absolute path/);
  }
  assert.equal(expandConfiguredPath('${userHome}/bin/x', { homedir: '/home/u', platform: 'linux' }), '/home/u/bin/x');
});

test('the bundled binary comes before PATH', () => {
  const r = findServer(input(['/ext/server/manifest-lint', '/usr/bin/manifest-lint']));
  assert.deepEqual(r, { ok: true, command: '/ext/server/manifest-lint', source: 'bundled' });
});

test('PATH is searched in order and the result is absolute', () => {
  const r = findServer(input(['/usr/local/bin/manifest-lint', '/usr/bin/manifest-lint']));
  assert.deepEqual(r, { ok: true, command: '/usr/local/bin/manifest-lint', source: 'path' });
});

test('empty and relative PATH entries are skipped: the workspace is never searched', () => {
  const r = findServer(input(['manifest-lint', './manifest-lint', 'bin/manifest-lint'], { env: { PATH: ':.:bin' } }));
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.reason, 'missing');
    assert.deepEqual(r.tried, ['/ext/server/manifest-lint']);
  }
});

test('nothing anywhere: a clear error listing what was tried', () => {
  const r = findServer(input([]));
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.reason, 'missing');
    assert.match(r.message, /not found/);
    assert.deepEqual(r.tried, ['/ext/server/manifest-lint', '/usr/local/bin/manifest-lint', '/usr/bin/manifest-lint']);
  }
});

test('Windows: .exe, PATHEXT, case-insensitive Path, quoted entries, ; delimiter', () => {
  const win = (files: string[], over: Partial<FindServerInput> = {}) =>
    input(files, { platform: 'win32', extensionPath: 'C:\\ext', homedir: 'C:\\Users\\u', env: { Path: 'C:\\Windows;"C:\\Tools";', PATHEXT: '.COM;.EXE;.CMD' }, ...over });
  assert.deepEqual(executableNames('win32', { PATHEXT: '.COM;.EXE;.CMD' }), ['manifest-lint.exe', 'manifest-lint.com', 'manifest-lint.cmd']);
  assert.deepEqual(findServer(win(['C:\\ext\\server\\manifest-lint.exe'])), { ok: true, command: 'C:\\ext\\server\\manifest-lint.exe', source: 'bundled' });
  assert.deepEqual(findServer(win(['C:\\Tools\\manifest-lint.exe'])), { ok: true, command: 'C:\\Tools\\manifest-lint.exe', source: 'path' });
  assert.deepEqual(findServer(win(['C:\\Tools\\manifest-lint.cmd'])), { ok: true, command: 'C:\\Tools\\manifest-lint.cmd', source: 'path' });
  // A setting without extension also finds the .exe.
  assert.deepEqual(
    findServer(win(['D:\\bin\\manifest-lint.exe'], { configuredPath: 'D:\\bin\\manifest-lint' })),
    { ok: true, command: 'D:\\bin\\manifest-lint.exe', source: 'setting' },
  );
  assert.deepEqual(
    findServer(win(['C:\\Users\\u\\.cargo\\bin\\manifest-lint.exe'], { configuredPath: '~\\.cargo\\bin\\manifest-lint.exe' })),
    { ok: true, command: 'C:\\Users\\u\\.cargo\\bin\\manifest-lint.exe', source: 'setting' },
  );
});

test('untrusted workspace: only the user (global) value of manifestLint.path counts', () => {
  const inspected = { defaultValue: '', globalValue: '/home/u/bin/manifest-lint', workspaceValue: './evil', workspaceFolderValue: './evil2' };
  assert.equal(effectivePathSetting(inspected, true), './evil2');
  assert.equal(effectivePathSetting(inspected, false), '/home/u/bin/manifest-lint');
  assert.equal(effectivePathSetting({ workspaceValue: './evil' }, false), undefined);
  assert.equal(effectivePathSetting({ workspaceValue: './ok' }, true), './ok');
  assert.equal(effectivePathSetting({ globalValue: 42 }, true), undefined);
  assert.equal(effectivePathSetting(undefined, true), undefined);
});

test('a PATH folder listed twice is looked at once', () => {
  const r = findServer(input([], { env: { PATH: '/usr/bin:/usr/local/bin:/usr/bin:/usr/bin/:/usr/local/bin' } }));
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.deepEqual(r.tried, ['/ext/server/manifest-lint', '/usr/bin/manifest-lint', '/usr/local/bin/manifest-lint']);
  }
});
