import { test } from 'node:test';
import assert from 'node:assert/strict';

import { isManifestPath, isPackageJsonPath, looksLikeUnityPackage } from '../src/manifestPath';

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

test('package.json files by name', () => {
  assert.equal(isPackageJsonPath('/home/u/tools/package.json', 'linux'), true);
  assert.equal(isPackageJsonPath('/home/u/tools/Package.json', 'linux'), false);
  assert.equal(isPackageJsonPath('C:\\u\\tools\\Package.JSON', 'win32'), true);
  assert.equal(isPackageJsonPath('/home/u/tools/package.json.bak', 'linux'), false);
});

test('Unity packages: embedded, or with Unity markers; npm packages are not', () => {
  assert.equal(looksLikeUnityPackage('/g/Packages/com.x.tools/package.json', '{}', 'linux'), true);
  assert.equal(looksLikeUnityPackage('C:\\g\\packages\\tools\\package.json', '{}', 'win32'), true);
  assert.equal(looksLikeUnityPackage('/r/package.json', '{"name": "com.example.tools"}', 'linux'), true);
  assert.equal(looksLikeUnityPackage('/r/package.json', '{"name": "x", "unity": "2021.3"}', 'linux'), true);
  assert.equal(looksLikeUnityPackage('/r/package.json', '{"name": "left-pad", "version": "1.3.0"}', 'linux'), false);
  assert.equal(looksLikeUnityPackage('/r/package.json', '{"name": "lodash.debounce"}', 'linux'), false);
  assert.equal(looksLikeUnityPackage('/r/other.json', '{"unity": "2021.3"}', 'linux'), false);
});
