// Loads the bundled extension (dist/extension.js, what the .vsix ships) against a stub `vscode`
// module and checks how activation finds, or fails to find, the server. Run after `npm run bundle`.
'use strict';

const { after, test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Module = require('node:module');

const bundle = path.resolve(__dirname, '..', 'dist', 'extension.js');

/** A class for every vscode API the language client touches at load time but these tests never use. */
class Anything {
  constructor(...args) {
    this.args = args;
  }
  dispose() {}
}
const disposable = () => ({ dispose() {} });

function makeVscode({ trusted, config, workspaceFolder, noManifest }) {
  const log = [];
  const errors = [];
  const commands = [];
  const configListeners = [];
  const watchers = [];
  const handlers = {};
  const api = {
    window: {
      createOutputChannel: () => ({ appendLine: (l) => log.push(l), append() {}, show() {}, clear() {}, dispose() {}, replace() {} }),
      showErrorMessage: (message, ...items) => {
        errors.push({ message, items });
        return Promise.resolve(undefined);
      },
      showWarningMessage: () => Promise.resolve(undefined),
      showInformationMessage: () => Promise.resolve(undefined),
      visibleTextEditors: [],
      onDidChangeVisibleTextEditors: disposable,
      onDidChangeActiveTextEditor: disposable,
    },
    commands: {
      registerCommand: (id, handler) => {
        commands.push(id);
        handlers[id] = handler;
        return disposable();
      },
      /** Runs a registered command, as the command palette would. */
      run: (id, ...args) => handlers[id](...args),
      executeCommand: () => Promise.resolve(undefined),
    },
    workspace: {
      isTrusted: trusted,
      workspaceFolders: workspaceFolder ? [{ uri: { fsPath: workspaceFolder, scheme: 'file' }, name: 'w', index: 0 }] : undefined,
      textDocuments: [],
      findFiles: () => Promise.resolve(noManifest ? [] : [{ fsPath: '/w/Packages/manifest.json' }]),
      onDidOpenTextDocument: disposable,
      onDidChangeConfiguration: (listener) => {
        configListeners.push(listener);
        return disposable();
      },
      onDidGrantWorkspaceTrust: disposable,
      createFileSystemWatcher: (glob) => {
        const watcher = { glob, onDidCreate: (l) => (watcher.create = l, disposable()), dispose() {} };
        watchers.push(watcher);
        return watcher;
      },
      getConfiguration: () => ({
        get: (key, dflt) => (key in config.values ? config.values[key] : dflt),
        inspect: (key) => config.inspect[key],
      }),
    },
    Uri: { joinPath: (base, ...parts) => ({ fsPath: path.join(base.fsPath, ...parts) }), file: (f) => ({ fsPath: f }) },
    Disposable: class extends Anything {
      static from() {
        return disposable();
      }
    },
    EventEmitter: class {
      constructor() {
        this.event = () => disposable();
      }
      fire() {}
      dispose() {}
    },
  };
  // Namespaces: unknown functions (onDidX, registerXProvider, ...) return a disposable.
  const namespace = (o) => new Proxy(o, { get: (t, k) => (k in t ? t[k] : () => disposable()) });
  api.window = namespace(api.window);
  api.workspace = namespace(api.workspace);
  api.languages = namespace({});
  api.env = { language: 'en', appName: 'stub', machineId: 'x', sessionId: 'y', uiKind: 1 };
  api.extensions = namespace({ all: [] });
  api.version = '1.82.0';
  const vscode = new Proxy(api, { get: (t, k) => (k in t ? t[k] : Anything) });
  /** Simulates a settings change touching the given keys. */
  const changeConfiguration = (...keys) => {
    const event = { affectsConfiguration: (section) => keys.some((k) => k === section || k.startsWith(section + '.')) };
    for (const l of configListeners) l(event);
  };
  return { vscode, log, errors, commands, changeConfiguration, watchers };
}

function loadExtension(vscode) {
  const originalLoad = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'vscode' ? vscode : originalLoad.call(this, request, ...rest);
  };
  try {
    delete require.cache[bundle];
    return require(bundle);
  } finally {
    Module._load = originalLoad;
  }
}

async function activate(env, opts) {
  const saved = process.env.PATH;
  process.env.PATH = env.PATH;
  try {
    const stub = makeVscode(opts);
    const ext = loadExtension(stub.vscode);
    const extensionPath = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-ext-'));
    ext.activate({ subscriptions: [], extensionPath, extensionUri: { fsPath: extensionPath } });
    // Activation starts the server from a findFiles() promise, after `--version`: let it settle.
    for (let i = 0; i < 500 && stub.errors.length === 0 && !stub.log.some((l) => l.startsWith('Starting')); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    return { ...stub, ext };
  } finally {
    process.env.PATH = saved;
  }
}

// A server left running by a failed test must not keep this process alive: exit once the
// tests are done, whatever is still open (the fake server exits when its stdin closes).
after(() => {
  setTimeout(() => process.exit(), 3000).unref();
});

test('the bundle exists and exports activate/deactivate', () => {
  assert.ok(fs.existsSync(bundle), `${bundle} is missing: run npm run bundle`);
});

test('no binary anywhere: one clear error with "Set path" and "How to install"', async () => {
  const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-path-'));
  const r = await activate({ PATH: emptyDir }, { trusted: true, config: { values: {}, inspect: { path: { defaultValue: '' } } } });
  assert.deepEqual(r.commands.sort(), ['manifestLint.restartServer', 'manifestLint.showOutput', 'manifestLint.trustRegistry']);
  assert.doesNotMatch(r.errors[0].message, /`/);
  assert.equal(r.errors.length, 1);
  assert.match(r.errors[0].message, /manifest-lint language server was not found/);
  assert.deepEqual(r.errors[0].items, ['Set path', 'How to install']);
  assert.ok(r.log.some((l) => l.includes(path.join(emptyDir, 'manifest-lint'))), r.log.join('\n'));
  await r.ext.deactivate();
});

function installFakeServer() {
  const binDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-bin-'));
  const fake = path.join(binDir, 'manifest-lint');
  fs.writeFileSync(fake, `#!${process.execPath}\nrequire(${JSON.stringify(path.join(__dirname, '..', '..', 'test', 'fake-lsp-server.cjs'))});\n`, { mode: 0o755 });
  const logFile = path.join(binDir, 'log.jsonl');
  fs.writeFileSync(logFile, '');
  return { binDir, fake, logFile, read: () => fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) };
}

async function waitFor(predicate, what) {
  for (let i = 0; i < 2000; i++) {
    const v = predicate();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

for (const trusted of [false, true]) {
  test(`${trusted ? 'trusted' : 'untrusted'} workspace: server started as "<path> lsp" with the mapped settings`, { skip: process.platform === 'win32', timeout: 60000 }, async () => {
    const server = installFakeServer();
    process.env.FAKE_SERVER_LOG = server.logFile;
    const r = await activate(
      { PATH: server.binDir },
      {
        trusted,
        workspaceFolder: '/w',
        config: {
          values: { online: true, registryTimeout: 4, rules: { 'glob-scope': 'warning', bogus: 'loud' } },
          // A workspace-level path must be ignored when untrusted (and would fail when trusted: keep it unset there).
          inspect: {
            path: trusted ? { defaultValue: '' } : { defaultValue: '', workspaceValue: '/w/evil/manifest-lint' },
            // Trust comes from the User settings only: the workspace's values are never sent.
            trustedRegistries: { defaultValue: [], globalValue: ['https://npm.example.com'], workspaceValue: ['https://evil.example'] },
            probeAllInTrustedWorkspace: { defaultValue: false, globalValue: true, workspaceValue: true },
          },
        },
      },
    );
    const starting = r.log.find((l) => l.startsWith('Starting'));
    assert.ok(starting && starting.startsWith(`Starting ${server.fake} lsp (path)`), r.log.join('\n'));
    const expected = {
      online: trusted,
      registryTimeout: 4,
      inlayHints: true,
      rules: { 'glob-scope': 'warning' },
      trustedRegistries: ['https://npm.example.com'],
      probeAll: trusted,
      trustRegistryCommand: true,
    };
    const entries = await waitFor(() => {
      const e = server.read();
      return e.some((x) => x.configuration) && e;
    }, 'the workspace/configuration answer');
    assert.deepEqual(entries.find((x) => x.argv).argv, ['lsp']);
    assert.deepEqual(entries.find((x) => 'initializationOptions' in x).initializationOptions, expected);
    assert.deepEqual(entries.find((x) => x.configuration).configuration, [expected, trusted]);
    await r.ext.deactivate();
  });
}

test('settings changes are pushed to the running server; a new manifestLint.path restarts it', { skip: process.platform === 'win32', timeout: 60000 }, async () => {
  const server = installFakeServer();
  process.env.FAKE_SERVER_LOG = server.logFile;
  const config = { values: { online: true }, inspect: { path: { defaultValue: '' } } };
  const r = await activate({ PATH: server.binDir }, { trusted: true, workspaceFolder: '/w', config });
  await waitFor(() => server.read().some((x) => x.configuration), 'the first workspace/configuration answer');

  config.values.online = false;
  config.values.rules = { 'redundant-scope': 'off' };
  r.changeConfiguration('manifestLint.online', 'manifestLint.rules');
  const change = await waitFor(() => server.read().find((x) => x.didChangeConfiguration), 'workspace/didChangeConfiguration');
  assert.deepEqual(change.didChangeConfiguration, {
    settings: {
      manifestLint: {
        online: false,
        registryTimeout: 10,
        inlayHints: true,
        rules: { 'redundant-scope': 'off' },
        trustedRegistries: [],
        probeAll: false,
        trustRegistryCommand: true,
      },
    },
  });
  assert.equal(server.read().filter((x) => x.argv).length, 1, 'no restart for a plain settings change');

  // The path is re-read on restart; pointing it at the same fake binary keeps the test hermetic.
  config.inspect.path = { defaultValue: '', globalValue: server.fake };
  r.changeConfiguration('manifestLint.path');
  await waitFor(() => server.read().filter((x) => x.argv).length === 2, 'a second server process');
  await waitFor(() => r.log.some((l) => l.startsWith(`Starting ${server.fake} lsp (setting)`)), 'the restart to use the setting');
  await r.ext.deactivate();
});

test('a wrong binary (/bin/false): one notification, nothing restarted, a short output', { skip: process.platform === 'win32', timeout: 60000 }, async () => {
  const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-path-'));
  const r = await activate(
    { PATH: emptyDir },
    { trusted: true, workspaceFolder: '/w', config: { values: {}, inspect: { path: { defaultValue: '', globalValue: '/bin/false' } } } },
  );
  await waitFor(() => r.errors.length > 0, 'the error notification');
  await new Promise((resolve) => setTimeout(resolve, 1000)); // anything that would follow it
  assert.equal(r.errors.length, 1, JSON.stringify(r.errors));
  assert.match(r.errors[0].message, /\/bin\/false did not start as a language server \('--version' exited with code 1\)/);
  assert.doesNotMatch(r.errors[0].message, /`/);
  assert.deepEqual(r.errors[0].items, ['Set path', 'How to install', 'Show output']);
  assert.ok(r.log.length <= 3, r.log.join('\n'));
  assert.ok(!r.log.some((l) => l.startsWith('Starting')), r.log.join('\n'));
  await r.ext.deactivate();
});

test('not found: no backticks in the notification, "Looked for" lists each file once', async () => {
  const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-path-'));
  const r = await activate({ PATH: [emptyDir, emptyDir, emptyDir + '/'].join(path.delimiter) }, { trusted: true, config: { values: {}, inspect: { path: { defaultValue: '' } } } });
  assert.equal(r.errors.length, 1);
  assert.doesNotMatch(r.errors[0].message, /`/);
  const looked = r.log.find((l) => l.startsWith('Looked for: '));
  assert.ok(looked, r.log.join('\n'));
  const files = looked.slice('Looked for: '.length).split(', ');
  assert.deepEqual(files, [...new Set(files)]);
  assert.equal(files.filter((f) => f === path.join(emptyDir, 'manifest-lint')).length, 1);
  await r.ext.deactivate();
});

test('restart: a clean stop logs no "exited with code 0"; a manifest created later starts the server', { skip: process.platform === 'win32', timeout: 60000 }, async () => {
  const server = installFakeServer();
  process.env.FAKE_SERVER_LOG = server.logFile;
  const config = { values: {}, inspect: { path: { defaultValue: '' } } };
  const r = await activate({ PATH: server.binDir }, { trusted: true, workspaceFolder: '/w', config, noManifest: true });
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(server.read().filter((x) => x.argv).length, 0, 'no manifest, no server');
  const watcher = r.watchers.find((w) => w.glob === '**/Packages/manifest.json');
  assert.ok(watcher && watcher.create, 'a watcher for new manifests');
  const saved = process.env.PATH;
  process.env.PATH = server.binDir; // the server is looked for when the manifest appears
  try {
    watcher.create({ scheme: 'file', fsPath: '/w/Packages/manifest.json' });
    await waitFor(() => server.read().some((x) => x.configuration), 'the server started by the new manifest');
    await r.vscode.commands.run('manifestLint.restartServer');
  } finally {
    process.env.PATH = saved;
  }
  await waitFor(() => server.read().filter((x) => x.configuration).length === 2, 'the restarted server');
  assert.equal(r.log.filter((l) => l.startsWith('Starting')).length, 2, r.log.join('\n'));
  assert.ok(!r.log.some((l) => /exited/.test(l)), r.log.join('\n'));
  assert.equal(r.errors.length, 0, JSON.stringify(r.errors));
  await r.ext.deactivate();
});

test('a binary that answers --version but exits at once as a server: one notification, no restarts', { skip: process.platform === 'win32', timeout: 60000 }, async (t) => {
  const binDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-bin-'));
  const starts = path.join(binDir, 'starts.txt');
  const broken = path.join(binDir, 'manifest-lint');
  fs.writeFileSync(broken, `#!/bin/sh\nif [ "$1" = --version ]; then echo "manifest-lint 9.9.9"; exit 0; fi\necho "$1" >> '${starts}'\necho "cannot start" >&2\nexit 3\n`, { mode: 0o755 });
  // vscode-languageclient itself ends a failed initialize with `void this.stop()`, which rejects
  // ("can't be stopped" / "connection got disposed"); VS Code only logs such rejections. Those two
  // are let through here, any other still fails the test.
  const original = process.listeners('unhandledRejection');
  process.removeAllListeners('unhandledRejection');
  const ignored = [];
  process.on('unhandledRejection', (reason, promise) => {
    if (/can't be stopped|connection got disposed/.test(String(reason && reason.message))) {
      ignored.push(String(reason.message));
      return;
    }
    for (const l of original) l(reason, promise);
  });
  t.after(() => {
    process.removeAllListeners('unhandledRejection');
    for (const l of original) process.on('unhandledRejection', l);
  });
  const r = await activate({ PATH: binDir }, { trusted: true, workspaceFolder: '/w', config: { values: {}, inspect: { path: { defaultValue: '' } } } });
  await waitFor(() => r.errors.length > 0, 'the error notification').catch((e) => {
    throw new Error(`${e.message}; output: ${r.log.join(' | ')}`);
  });
  await new Promise((resolve) => setTimeout(resolve, 1500)); // restarts, had there been any
  assert.equal(r.errors.length, 1, JSON.stringify(r.errors));
  assert.match(r.errors[0].message, /did not start as a language server/);
  assert.deepEqual(r.errors[0].items, ['Set path', 'How to install', 'Show output']);
  assert.equal(fs.readFileSync(starts, 'utf8').trim().split('\n').length, 1, 'started once');
  await r.ext.deactivate();
});
