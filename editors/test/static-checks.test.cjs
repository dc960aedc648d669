// Checks that every editor configuration in editors/ states the same server contract: the command
// `manifest-lint lsp`, the `manifestLint` settings with their defaults, and Packages/manifest.json
// as the only files served. Run with `node --test editors/test/static-checks.test.cjs`.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const editors = path.resolve(__dirname, '..');
const read = (rel) => fs.readFileSync(path.join(editors, rel), 'utf8');
const json = (rel) => JSON.parse(read(rel));

const DEFAULTS = { online: true, registryTimeout: 10, inlayHints: true, rules: {} };
const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'];

test('VS Code: every setting of the contract, with its default', () => {
  const pkg = json('vscode/package.json');
  const props = pkg.contributes.configuration.properties;
  assert.deepEqual(Object.keys(props).sort(), [
    'manifestLint.inlayHints',
    'manifestLint.online',
    'manifestLint.path',
    'manifestLint.probeAllInTrustedWorkspace',
    'manifestLint.registryTimeout',
    'manifestLint.rules',
    'manifestLint.trace.server',
    'manifestLint.trustedRegistries',
  ]);
  // Trust is the user's: both keys are application-scoped (User settings only).
  assert.equal(props['manifestLint.trustedRegistries'].type, 'array');
  assert.deepEqual(props['manifestLint.trustedRegistries'].default, []);
  assert.equal(props['manifestLint.trustedRegistries'].scope, 'application');
  assert.equal(props['manifestLint.probeAllInTrustedWorkspace'].default, false);
  assert.equal(props['manifestLint.probeAllInTrustedWorkspace'].scope, 'application');
  assert.equal(props['manifestLint.online'].type, 'boolean');
  assert.equal(props['manifestLint.online'].default, DEFAULTS.online);
  assert.equal(props['manifestLint.registryTimeout'].type, 'number');
  assert.equal(props['manifestLint.registryTimeout'].default, DEFAULTS.registryTimeout);
  // The server's one bound (manifest_lint_core::config::MAX_TIMEOUT_SECS), as the CLI applies it.
  assert.equal(props['manifestLint.registryTimeout'].exclusiveMinimum, 0);
  assert.equal(props['manifestLint.registryTimeout'].maximum, 3600);
  assert.equal(props['manifestLint.inlayHints'].default, DEFAULTS.inlayHints);
  assert.deepEqual(props['manifestLint.rules'].default, DEFAULTS.rules);
  assert.deepEqual(props['manifestLint.rules'].additionalProperties.enum, SEVERITIES);
  assert.equal(props['manifestLint.path'].type, 'string');
  assert.deepEqual(props['manifestLint.trace.server'].enum, ['off', 'messages', 'verbose']);
  assert.equal(props['manifestLint.trace.server'].default, 'off');
  for (const [key, p] of Object.entries(props)) {
    assert.ok(p.description || p.markdownDescription, `${key} has a description`);
  }
  const ruleProps = props['manifestLint.rules'].properties;
  assert.ok(Object.keys(ruleProps).length >= 27, 'every rule id is listed for completion');
  for (const [id, p] of Object.entries(ruleProps)) {
    assert.match(id, /^[a-z][a-z0-9-]*$/);
    assert.deepEqual(p.enum, SEVERITIES, id);
  }
});

test('VS Code: activation, document selector glob, trust, command', () => {
  const pkg = json('vscode/package.json');
  // onStartupFinished: so that a manifest created later (a watcher) starts the server too.
  assert.deepEqual(pkg.activationEvents, ['workspaceContains:**/Packages/manifest.json', 'onLanguage:json', 'onLanguage:jsonc', 'onStartupFinished']);
  // Runs where the files are: on the remote machine in a remote window.
  assert.deepEqual(pkg.extensionKind, ['workspace']);
  assert.deepEqual(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, ['manifestLint.path', 'manifestLint.online']);
  assert.ok(pkg.contributes.commands.some((c) => c.command === 'manifestLint.restartServer' && c.title === 'Restart server' && c.category === 'Manifest Lint'));
  assert.equal(pkg.main, './dist/extension.js');
  const ext = read('vscode/src/extension.ts');
  assert.match(ext, /language: 'json', pattern: MANIFEST_GLOB/);
  assert.match(ext, /language: 'jsonc', pattern: MANIFEST_GLOB/);
  assert.match(read('vscode/src/manifestPath.ts'), /MANIFEST_GLOB = '\*\*\/Packages\/manifest\.json'/);
  // vsce refuses @types/vscode newer than engines.vscode.
  const typesRange = pkg.devDependencies['@types/vscode'].replace(/^[~^]/, '');
  assert.equal(pkg.engines.vscode.replace(/^[~^]/, ''), typesRange);
});

test('VS Code: files needed to package are there', () => {
  for (const f of ['README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'package-lock.json']) {
    assert.ok(fs.existsSync(path.join(editors, 'vscode', f)), f);
  }
  const lock = json('vscode/package-lock.json');
  assert.equal(lock.packages[''].name, 'manifest-lint');
  assert.ok(lock.packages['node_modules/vscode-languageclient'].version.startsWith('9.'), 'vscode-languageclient 9');
});

test('Rider (LSP4IJ): template.json has what LSP4IJ reads, and maps manifest.json only', () => {
  const t = json('rider/template.json');
  assert.equal(t.id, 'manifest-lint');
  assert.equal(t.name, 'manifest-lint');
  // LSP4IJ picks programArgs[windows|mac|unix], else programArgs.default.
  assert.equal(t.programArgs.default, 'manifest-lint lsp');
  for (const os of ['unix', 'mac']) assert.equal(t.programArgs[os], 'manifest-lint lsp');
  assert.equal(t.programArgs.windows, 'manifest-lint.exe lsp');
  assert.equal(t.fileTypeMappings.length, 1);
  const m = t.fileTypeMappings[0];
  assert.deepEqual(m.fileType.patterns, ['manifest.json']);
  assert.equal(m.languageId, 'json');
  // A fileType "name" (e.g. "JSON") would add a mapping for every JSON file.
  assert.equal(m.fileType.name, undefined);
  assert.equal(t.languageMappings, undefined);
});

test('Rider (LSP4IJ): settings.json answers the manifestLint section; initializationOptions has the defaults', () => {
  assert.deepEqual(json('rider/settings.json'), { manifestLint: DEFAULTS });
  assert.deepEqual(json('rider/initializationOptions.json'), DEFAULTS);
  // Rider maps the manifest to the generated schema (editors/schema), the one VS Code ships.
  const schema = json('schema/unity-manifest.schema.json');
  assert.equal(schema.type, 'object');
  assert.equal(schema.required, undefined, 'every top-level key is optional');
  assert.deepEqual(json('vscode/schema/unity-manifest.schema.json'), schema);
});

test('Neovim: both snippets start `manifest-lint lsp` for Packages/manifest.json with the settings', () => {
  for (const f of ['neovim/manifest-lint.lua', 'neovim/lspconfig.lua']) {
    const lua = read(f);
    assert.match(lua, /\{ 'manifest-lint', 'lsp' \}/, f);
    assert.match(lua, /\/Packages\/manifest%\.json\$/, f);
    assert.match(lua, /settings = \{ manifestLint = settings \}/, f);
    assert.match(lua, /init_options = settings/, f);
    assert.match(lua, /online = true,/, f);
    assert.match(lua, /registryTimeout = 10,/, f);
    assert.match(lua, /inlayHints = true,/, f);
  }
  const plain = read('neovim/manifest-lint.lua');
  assert.match(plain, /vim\.lsp\.start_client/);
  assert.match(plain, /vim\.lsp\.buf_attach_client/);
});

test('Emacs: eglot snippet', () => {
  const el = read('emacs/manifest-lint.el');
  assert.match(el, /"\/Packages\/manifest\\\\\.json\\\\'"/);
  assert.match(el, /"manifest-lint" "lsp"/);
  assert.match(el, /:initializationOptions \(:online t :registryTimeout 10 :inlayHints t\)/);
  assert.match(el, /:manifestLint \(:online t/);
});

test('Helix: language server and unity-manifest language', () => {
  const toml = read('helix/languages.toml');
  assert.match(toml, /\[language-server\.manifest-lint\]\ncommand = "manifest-lint"\nargs = \["lsp"\]/);
  assert.match(toml, /\[language-server\.manifest-lint\.config\.manifestLint\]\nonline = true\nregistryTimeout = 10\ninlayHints = true\nrules = \{ \}/);
  assert.match(toml, /name = "unity-manifest"/);
  assert.match(toml, /grammar = "json"/);
  assert.match(toml, /file-types = \[\{ glob = "Packages\/manifest\.json" \}\]/);
  assert.match(toml, /language-servers = \["manifest-lint"/);
  assert.equal(read('helix/queries/unity-manifest/highlights.scm').trim(), '; inherits: json');
});

test('Sublime Text: LSP client settings', () => {
  // LSP.sublime-settings is JSON with // line comments.
  const text = read('sublime/LSP.sublime-settings').replace(/^\s*\/\/.*$/gm, '');
  const client = JSON.parse(text).clients['manifest-lint'];
  assert.deepEqual(client.command, ['manifest-lint', 'lsp']);
  assert.equal(client.selector, 'source.json');
  assert.deepEqual(client.initializationOptions, DEFAULTS);
  assert.deepEqual(client.settings, { manifestLint: DEFAULTS });
});
