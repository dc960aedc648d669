#!/usr/bin/env node
// Packages the extension into a .vsix, offline.
//
//   node scripts/package.mjs [--out <file.vsix|dir>] [--server <path/to/manifest-lint[.exe]>] [--target <vsce target>]
//
// --server copies a built binary into server/, where the extension looks before PATH; the .vsix is
// then specific to that binary's platform, so give the matching --target (linux-x64, darwin-arm64,
// win32-x64, ...). Without --server, server/ is emptied and the .vsix is universal (it uses
// manifestLint.path or PATH). vsce runs `npm run vscode:prepublish` (the esbuild bundle) itself and
// never contacts the marketplace for `package`.

import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function usage(message) {
  console.error(`package.mjs: ${message}`);
  console.error('usage: node scripts/package.mjs [--out <file.vsix|dir>] [--server <binary>] [--target <target>]');
  process.exit(2);
}

const opts = {};
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--out' || a === '--server' || a === '--target') {
    if (i + 1 >= args.length) usage(`${a} needs a value`);
    opts[a.slice(2)] = args[++i];
  } else {
    usage(`unknown argument ${a}`);
  }
}

const serverDir = join(root, 'server');
rmSync(serverDir, { recursive: true, force: true });
if (opts.server) {
  const src = resolve(opts.server);
  if (!existsSync(src) || !statSync(src).isFile()) usage(`--server ${src} is not a file`);
  const name = basename(src).toLowerCase().endsWith('.exe') ? 'manifest-lint.exe' : 'manifest-lint';
  mkdirSync(serverDir, { recursive: true });
  copyFileSync(src, join(serverDir, name));
  chmodSync(join(serverDir, name), 0o755);
  console.log(`bundling ${src} as server/${name}`);
}

const vsceArgs = ['package', '--no-dependencies'];
if (opts.out) {
  const out = resolve(opts.out);
  if (!out.endsWith('.vsix')) mkdirSync(out, { recursive: true });
  vsceArgs.push('--out', out);
}
if (opts.target) vsceArgs.push('--target', opts.target);

const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
if (!existsSync(vsce)) usage('node_modules is missing: run `npm ci` first');
const r = spawnSync(process.execPath, [vsce, ...vsceArgs], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
