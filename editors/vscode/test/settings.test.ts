import { test } from 'node:test';
import assert from 'node:assert/strict';

import { answerConfiguration, answerConfigurationItem, describeSettings, toServerSettings } from '../src/settings';

const defaults = { online: true, registryTimeout: 10, inlayHints: true, rules: {} };

test('missing settings map to the documented defaults', () => {
  assert.deepEqual(toServerSettings(undefined, { trusted: true }), defaults);
  assert.deepEqual(toServerSettings({}, { trusted: true }), defaults);
});

test('user values pass through', () => {
  assert.deepEqual(
    toServerSettings({ online: false, registryTimeout: 3.5, inlayHints: false, rules: { 'glob-scope': 'warning', 'redundant-scope': 'off' } }, { trusted: true }),
    { online: false, registryTimeout: 3.5, inlayHints: false, rules: { 'glob-scope': 'warning', 'redundant-scope': 'off' } },
  );
});

test('invalid values fall back to defaults; invalid rule severities are dropped', () => {
  assert.deepEqual(
    toServerSettings({ online: 'yes', registryTimeout: -1, inlayHints: null, rules: { a: 'fatal', b: 'hint', c: 3 } }, { trusted: true }),
    { ...defaults, rules: { b: 'hint' } },
  );
  assert.equal(toServerSettings({ registryTimeout: Number.NaN }, { trusted: true }).registryTimeout, 10);
  assert.equal(toServerSettings({ registryTimeout: Infinity }, { trusted: true }).registryTimeout, 10);
  assert.deepEqual(toServerSettings({ rules: ['error'] }, { trusted: true }).rules, {});
});

test('an untrusted workspace forces online checks off, whatever the settings say', () => {
  assert.equal(toServerSettings({ online: true }, { trusted: false }).online, false);
  assert.equal(toServerSettings({}, { trusted: false }).online, false);
  // Everything else is kept.
  assert.deepEqual(toServerSettings({ inlayHints: false, rules: { 'glob-scope': 'off' } }, { trusted: false }), {
    online: false,
    registryTimeout: 10,
    inlayHints: false,
    rules: { 'glob-scope': 'off' },
  });
});

test('workspace/configuration: our section, keys inside it, and everything else', () => {
  const s = toServerSettings({ rules: { 'glob-scope': 'warning' } }, { trusted: false });
  assert.deepEqual(answerConfigurationItem('manifestLint', s), { handled: true, value: s });
  assert.deepEqual(answerConfigurationItem('manifestLint.online', s), { handled: true, value: false });
  assert.deepEqual(answerConfigurationItem('manifestLint.rules.glob-scope', s), { handled: true, value: 'warning' });
  assert.deepEqual(answerConfigurationItem('manifestLint.rules.nope', s), { handled: true, value: null });
  assert.deepEqual(answerConfigurationItem('manifestLintX', s), { handled: false });
  assert.deepEqual(answerConfigurationItem('editor', s), { handled: false });
  assert.deepEqual(answerConfigurationItem(undefined, s), { handled: false });
  assert.deepEqual(
    answerConfiguration([{ section: 'editor' }, { section: 'manifestLint' }, {}], s, [{ tabSize: 4 }, { online: true }, null]),
    [{ tabSize: 4 }, s, null],
  );
});

test('describeSettings says why online checks are off', () => {
  assert.match(describeSettings(toServerSettings({}, { trusted: false }), false), /off \(untrusted workspace\)/);
  assert.match(describeSettings(toServerSettings({}, { trusted: true }), true), /on \(timeout 10s\)/);
});
