import { test } from 'node:test';
import assert from 'node:assert/strict';

import { isManifestPath } from '../src/manifestPath';

test('Packages/manifest.json anywhere matches', () => {
  assert.equal(isManifestPath('/home/u/Game/Packages/manifest.json', 'linux'), true);
  assert.equal(isManifestPath('Packages/manifest.json', 'linux'), true);
});

test('other manifest.json files do not', () => {
  assert.equal(isManifestPath('/home/u/web/manifest.json', 'linux'), false);
  assert.equal(isManifestPath('/home/u/Game/Packages/com.x/package.json', 'linux'), false);
  assert.equal(isManifestPath('/home/u/Game/MyPackages/manifest.json', 'linux'), false);
  assert.equal(isManifestPath('/home/u/Game/packages/manifest.json', 'linux'), false);
});

test('Windows paths: backslashes and case-insensitive', () => {
  assert.equal(isManifestPath('C:\\Game\\Packages\\manifest.json', 'win32'), true);
  assert.equal(isManifestPath('c:\\game\\packages\\Manifest.json', 'win32'), true);
  assert.equal(isManifestPath('C:\\Game\\MyPackages\\manifest.json', 'win32'), false);
});
