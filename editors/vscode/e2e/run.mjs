#!/usr/bin/env node
// The extension in a real VS Code: code-server (VS Code in the browser, its extension host on this
// machine, like a remote window) in Debian's headless Chromium, driven by playwright-core. Run by
// tests/steps/45-vscode.sh, which installs the pinned tools (package.json here) and builds the
// linux-x64 .vsix with the server bundled.
//
//   node run.mjs --modules <node_modules with code-server and playwright-core> --node <Node 24>
//                --vsix <manifest-lint-linux-x64-*.vsix> --server <manifest-lint> --artifacts <dir>
//                [--images <dir>]   (also write the small screenshots for the README there)
//
// Prints `ok - <check>` / `not ok - <check>: <why>` and last `vscode: N passed, N failed`.
// Only loopback traffic: code-server and a spy registry listen on 127.0.0.1; Chromium resolves no
// other host name; proxies point at a closed loopback port, so anything else fails locally.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// --- arguments -----------------------------------------------------------------------------------
const opts = {};
for (let i = 2; i < process.argv.length; i += 2) {
  opts[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}
for (const key of ['modules', 'node', 'vsix', 'server', 'artifacts']) {
  if (!opts[key]) {
    console.error(`run.mjs: --${key} is required`);
    process.exit(2);
  }
}
const require = createRequire(path.join(path.resolve(opts.modules), 'noop.js'));
const { chromium } = require('playwright-core');
const codeServerEntry = path.join(path.resolve(opts.modules), 'code-server', 'out', 'node', 'entry.js');
fs.mkdirSync(opts.artifacts, { recursive: true });

// --- reporting -----------------------------------------------------------------------------------
let passed = 0;
let failed = 0;
function report(name, ok, why = '') {
  if (ok) {
    passed++;
    console.log(`ok - ${name}`);
  } else {
    failed++;
    console.log(`not ok - ${name}${why ? `: ${why}` : ''}`);
  }
}
async function check(name, fn) {
  try {
    const why = await fn();
    report(name, why === undefined || why === true, typeof why === 'string' ? why : '');
  } catch (err) {
    report(name, false, String(err && err.stack ? err.stack.split('\n').slice(0, 3).join(' / ') : err));
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(what, fn, timeoutMs = 30000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await sleep(250);
  }
  throw new Error(`timed out (${timeoutMs / 1000}s) waiting for ${what}`);
}

// --- the scene -----------------------------------------------------------------------------------
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-lint-vscode-'));
const ws = path.join(work, 'Game');
const userData = path.join(work, 'user-data');
const extensions = path.join(work, 'extensions');
const marker = path.join(work, 'workspace-binary-ran.txt');
const children = [];

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** A registry on loopback that only counts what it is asked: 404 for every package. */
function startSpyRegistry() {
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not found"}');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, requests, port: server.address().port })));
}

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

const env = {
  ...process.env,
  // Nothing but loopback: a request that ignores these still finds no route out.
  HTTP_PROXY: 'http://127.0.0.1:9',
  HTTPS_PROXY: 'http://127.0.0.1:9',
  http_proxy: 'http://127.0.0.1:9',
  https_proxy: 'http://127.0.0.1:9',
  NO_PROXY: '127.0.0.1,localhost',
  no_proxy: '127.0.0.1,localhost',
  // The extension gallery, were it asked, is a closed loopback port too.
  EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item', resourceUrlTemplate: 'http://127.0.0.1:9/r/{publisher}/{name}/{version}/{path}' }),
  // The server's own user-level config must not leak in from the machine running the test.
  XDG_CONFIG_HOME: path.join(work, 'xdg-config'),
  HOME: path.join(work, 'home'),
};
fs.mkdirSync(env.HOME, { recursive: true });

function run(file, args, options = {}) {
  return execFileSync(file, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

function cleanup() {
  for (const c of children) {
    try {
      process.kill(-c.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

const registry = await startSpyRegistry();

// The workspace: a manifest naming the spy registry, and a `.vscode/settings.json` that points
// manifestLint.path at a binary of the workspace's own (it records that it ran, then runs the real
// server). Untrusted, that binary must never run; trusted, it is the user's choice and does.
fs.cpSync(path.join(here, 'workspace'), ws, { recursive: true });
const manifestFile = path.join(ws, 'Packages', 'manifest.json');
fs.writeFileSync(manifestFile, fs.readFileSync(manifestFile, 'utf8').replace('http://127.0.0.1:4873', `http://127.0.0.1:${registry.port}`));
const workspaceBinary = path.join(ws, 'tools', 'manifest-lint');
fs.mkdirSync(path.dirname(workspaceBinary), { recursive: true });
fs.writeFileSync(workspaceBinary, `#!/bin/sh\necho "$*" >> '${marker}'\nexec '${path.resolve(opts.server)}' "$@"\n`, { mode: 0o755 });
writeJson(path.join(ws, '.vscode', 'settings.json'), { 'manifestLint.path': '${workspaceFolder}/tools/manifest-lint', 'manifestLint.online': true, 'manifestLint.registryTimeout': 3 });

// The user's settings: quiet, offline, no prompts. Restricted Mode without the startup dialog.
writeJson(path.join(userData, 'User', 'settings.json'), {
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'extensions.autoUpdate': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'json.schemaDownload.enable': false,
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'editor.inlayHints.enabled': 'on',
  'editor.hover.delay': 100,
  'workbench.colorTheme': 'Default Light Modern',
  'window.commandCenter': false,
  // The user trusts the (loopback) registry for online checks: still nothing is asked until the
  // workspace is trusted, and then only because the user listed it here.
  'manifestLint.trustedRegistries': [`http://127.0.0.1:${registry.port}`],
});
// A remote window (code-server is one) reads machine-scoped settings from here, not from User.
writeJson(path.join(userData, 'Machine', 'settings.json'), {});

const codeServerArgs = ['--config', path.join(work, 'config.yaml'), '--user-data-dir', userData, '--extensions-dir', extensions, '--disable-telemetry', '--disable-update-check'];

// --- install the .vsix ---------------------------------------------------------------------------
await check('the linux-x64 .vsix installs into code-server', () => {
  const out = run(opts.node, [codeServerEntry, ...codeServerArgs, '--install-extension', path.resolve(opts.vsix)]);
  if (!/was successfully installed/.test(out)) return `code-server said: ${out.trim().slice(-400)}`;
  const dir = fs.readdirSync(extensions).find((d) => d.startsWith('manifest-lint.manifest-lint-'));
  if (!dir) return 'no manifest-lint extension folder';
  const bundled = path.join(extensions, dir, 'server', 'manifest-lint');
  if (!fs.existsSync(bundled)) return `no bundled server at ${bundled}`;
  return /^manifest-lint \d/.test(run(bundled, ['--version'])) || 'the bundled server does not run';
});

// --- start code-server and the browser ------------------------------------------------------------
const port = await freePort();
const csLog = fs.openSync(path.join(opts.artifacts, 'code-server.log'), 'w');
const cs = spawn(opts.node, [codeServerEntry, ...codeServerArgs, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', ws], {
  env,
  stdio: ['ignore', csLog, csLog],
  detached: true,
});
children.push(cs);
await until('code-server to listen', async () => {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/healthz`);
    return r.ok;
  } catch {
    return false;
  }
}, 60000);

const browser = await chromium.launchPersistentContext(path.join(work, 'chromium-profile'), {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
  ],
});
const page = browser.pages()[0] ?? (await browser.newPage());
page.setDefaultTimeout(20000);

async function command(label) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${label}`);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
  await sleep(300);
  await page.keyboard.press('Enter');
}
async function goTo(line, column) {
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`:${line}:${column}`);
  await sleep(200);
  await page.keyboard.press('Enter');
  await sleep(200);
}
/** The manifest-lint rows of the Problems panel: "rule line:column". */
async function problems(source = 'manifest-lint') {
  await command('View: Focus Problems');
  await sleep(500);
  const rows = await page.$$eval('.markers-panel .monaco-list-row', (els) => els.map((e) => e.innerText.split('\n').map((s) => s.trim())));
  const out = [];
  for (const parts of rows) {
    const at = parts.find((p) => /^\[Ln \d+, Col \d+\]$/.test(p));
    const i = parts.indexOf(source);
    if (!at || i < 0) continue;
    const [, line, col] = /Ln (\d+), Col (\d+)/.exec(at);
    out.push(`${parts[i + 1]} ${line}:${col}`);
  }
  return out.sort();
}
function logOf(name) {
  const files = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(`-${name}.log`)) files.push(p);
    }
  };
  walk(path.join(userData, 'logs'));
  return files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
}
/** A screenshot in the artifacts; `readme`: also one of the README's pictures (--images). */
async function shot(name, locator, readme = false) {
  const file = path.join(opts.artifacts, `${name}.png`);
  await (locator ?? page).screenshot({ path: file });
  if (readme && opts.images) {
    fs.mkdirSync(opts.images, { recursive: true });
    fs.copyFileSync(file, path.join(opts.images, `${name}.png`));
  }
}

try {
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  await page.getByRole('treeitem', { name: 'Packages' }).click({ timeout: 60000 });
  await page.getByRole('treeitem', { name: 'manifest.json' }).click();
  await page.locator('.monaco-editor .view-lines').first().waitFor();

  // --- Restricted Mode ----------------------------------------------------------------------------
  // `check` exits 1 when it finds errors: read its output whatever the status.
  const cli = spawnSync(path.resolve(opts.server), ['check', '--offline', '--format', 'jsonl', manifestFile], { cwd: ws, env, encoding: 'utf8' });
  const expected = cli.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  if (expected.length === 0) throw new Error(`check --format jsonl printed nothing: ${cli.stderr}`);
  // VS Code's JSON service reports duplicate keys itself; the extension does not repeat them.
  const expectedRows = expected.filter((d) => d.rule !== 'duplicate-key').map((d) => `${d.rule} ${d.start.line}:${d.start.column}`).sort();

  await check('untrusted: Problems lists what `check --format jsonl` reports (rule, line, column; duplicate-key is left to VS Code)', async () => {
    let got;
    try {
      await until('the diagnostics', async () => (got = await problems()).length >= expectedRows.length, 40000);
    } catch {
      // compared below
    }
    return JSON.stringify(got) === JSON.stringify(expectedRows) || `got ${JSON.stringify(got)}, expected ${JSON.stringify(expectedRows)}`;
  });
  await check('a duplicate key is shown by VS Code\'s JSON service, not a second time by manifest-lint', async () => {
    const json = await problems('json');
    const ours = await problems();
    return (expected.some((d) => d.rule === 'duplicate-key') && json.length === 2 && !ours.some((r) => r.startsWith('duplicate-key'))) || `json: ${json}; ours: ${ours}`;
  });
  await check('inlay hints name the registry of each dependency', async () => {
    const text = await until('inlay hints', async () => {
      const t = (await page.locator('.monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
      return t.includes('→ Loopback Test Registry') && t.includes('→ Unity') && t;
    });
    return !!text;
  });
  await page.keyboard.press('Escape');
  await shot('editor', page.locator('.monaco-workbench'), true);

  await check('hover on a dependency names its registry', async () => {
    await goTo(14, 8); // "com.example.core"
    await command('Show or Focus Hover');
    const hover = page.locator('.monaco-hover:visible, .monaco-resizable-hover:visible').first();
    const text = await until('the hover', async () => {
      const t = (await hover.count()) ? await hover.innerText() : '';
      return /Loopback Test Registry/.test(t) && t;
    });
    await shot('hover', page.locator('.monaco-workbench .part.editor'), true);
    return !!text;
  });
  await page.keyboard.press('Escape');

  await check('untrusted: no request reached the registry, the workspace\'s binary never ran', async () => {
    await sleep(2000); // time for anything that would go wrong
    if (registry.requests.length > 0) return `the registry was asked: ${registry.requests.join(', ')}`;
    if (fs.existsSync(marker)) return `the workspace binary ran: ${fs.readFileSync(marker, 'utf8')}`;
    return logOf('Manifest Lint').includes('(bundled)') || 'the bundled server was not the one started';
  });
  await check('code-server is handled as a remote window (the setting lives in the Remote settings there)', () =>
    /^Starting .*; remote window \(/m.test(logOf('Manifest Lint')) || logOf('Manifest Lint'));

  await check('a quick fix applies (and its title has no backticks)', async () => {
    const glob = expected.find((d) => d.rule === 'glob-scope');
    await goTo(glob.start.line, glob.start.column + 1);
    await page.keyboard.press('Control+.');
    const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Remove it' }).first();
    await item.waitFor();
    const titles = await page.locator('.action-widget .monaco-list-row').allInnerTexts();
    if (titles.some((t) => t.includes('`'))) return `backticks in ${JSON.stringify(titles)}`;
    await item.click();
    await page.keyboard.press('Control+S');
    const text = await until('the fix on disk', async () => {
      const t = fs.readFileSync(manifestFile, 'utf8');
      return !t.includes('com.example.*') && t;
    });
    return (text.includes('"com.example"') && text.includes('@com.example.tools')) || text;
  });

  await check('Restart server starts a new server; no "exited with code 0" in the output', async () => {
    const before = (logOf('Manifest Lint').match(/^Starting /gm) ?? []).length;
    await command('Manifest Lint: Restart server');
    await until('a second start', async () => (logOf('Manifest Lint').match(/^Starting /gm) ?? []).length === before + 1);
    // The restarted server publishes again (the fix above left three findings).
    await until('diagnostics from the new server', async () => (await problems()).length === expectedRows.length - 1);
    const log = logOf('Manifest Lint');
    return !/exited with code|\[Error/.test(log) || log;
  });

  // --- Trusting the workspace ---------------------------------------------------------------------
  await check('after trusting: the workspace\'s binary runs and the registry is asked', async () => {
    const logBefore = logOf('Manifest Lint').length;
    await command('Workspaces: Manage Workspace Trust');
    const trust = page.getByRole('button', { name: /^Trust$/ }).first();
    await trust.click();
    await until('the workspace binary', async () => fs.existsSync(marker) && /lsp/.test(fs.readFileSync(marker, 'utf8')));
    await until('a registry request', async () => registry.requests.length > 0, 30000);
    await sleep(1000);
    const log = logOf('Manifest Lint').slice(logBefore);
    if (/\[Error|exited/.test(log)) return `errors in the output while restarting:\n${log}`;
    return /^Starting .*tools\/manifest-lint lsp \(setting\)/m.test(log) || log;
  });
  await shot('trusted', page.locator('.monaco-workbench'));
} catch (err) {
  report('the scenario ran to its end', false, String(err && err.stack ? err.stack.split('\n').slice(0, 4).join(' / ') : err));
  try {
    await page.screenshot({ path: path.join(opts.artifacts, 'failure.png') });
  } catch {
    // no page
  }
} finally {
  fs.writeFileSync(path.join(opts.artifacts, 'manifest-lint-output.log'), logOf('Manifest Lint'));
  fs.writeFileSync(path.join(opts.artifacts, 'registry-requests.txt'), registry.requests.join('\n') + '\n');
  await browser.close().catch(() => undefined);
  registry.server.close();
  cleanup();
  fs.rmSync(work, { recursive: true, force: true, maxRetries: 3 });
}

console.log(`vscode: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
