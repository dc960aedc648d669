import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { toTrustSettings, userTrustedRegistries, withRegistry } from '../src/trust';

test('only the user (global) value is read, never workspace values', () => {
  const inspected = {
    globalValue: ['https://npm.example.com', 3, 'ftp://x', ' http://127.0.0.1:4873 '],
    workspaceValue: ['https://evil.example'],
    workspaceFolderValue: ['http://10.0.0.1'],
  };
  assert.deepEqual(userTrustedRegistries(inspected), ['https://npm.example.com', 'http://127.0.0.1:4873']);
  assert.deepEqual(userTrustedRegistries({ workspaceValue: ['https://evil.example'] }), []);
  assert.deepEqual(userTrustedRegistries(undefined), []);
});

test('probe-all counts only from user settings, in a trusted workspace', () => {
  assert.equal(toTrustSettings(undefined, { globalValue: true }, true).probeAll, true);
  assert.equal(toTrustSettings(undefined, { globalValue: true }, false).probeAll, false);
  assert.equal(toTrustSettings(undefined, { workspaceValue: true }, true).probeAll, false);
  assert.equal(toTrustSettings(undefined, undefined, true).trustRegistryCommand, true);
});

test('trusting adds the URL once, to the user list', () => {
  assert.deepEqual(withRegistry({ globalValue: ['https://a.example'] }, 'https://b.example'), [
    'https://a.example',
    'https://b.example',
  ]);
  assert.equal(withRegistry({ globalValue: ['https://a.example'] }, 'https://a.example'), undefined);
  assert.equal(withRegistry(undefined, 'javascript:alert(1)'), undefined);
  assert.equal(withRegistry(undefined, 42), undefined);
  assert.deepEqual(withRegistry({ workspaceValue: ['https://w.example'] }, 'https://b.example'), ['https://b.example']);
});
