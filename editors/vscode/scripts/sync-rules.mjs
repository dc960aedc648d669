#!/usr/bin/env node
// Refreshes the per-rule entries of the manifestLint.rules setting in package.json from the
// server's own rule table, so that settings.json completion lists every rule with its summary.
//
//   node scripts/sync-rules.mjs [path/to/manifest-lint]     (default: manifest-lint on PATH)
//   node scripts/sync-rules.mjs --check [path]               exit 1 when package.json is out of date

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const checkOnly = args[0] === '--check';
if (checkOnly) args.shift();
const bin = args[0] ?? 'manifest-lint';

const pkgPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json');
const text = readFileSync(pkgPath, 'utf8');
const pkg = JSON.parse(text);
const rules = JSON.parse(execFileSync(bin, ['rules', '--format', 'json'], { encoding: 'utf8' }));

const setting = pkg.contributes.configuration.properties['manifestLint.rules'];
const severities = setting.additionalProperties.enum;
setting.properties = {};
for (const r of rules) {
  const online = r.online ? ' Online check.' : '';
  setting.properties[r.id] = {
    type: 'string',
    enum: severities,
    markdownDescription: `${r.summary}.${online} Default: \`${r.severity}\`. [Documentation](${r.url})`,
  };
}
const updated = JSON.stringify(pkg, null, 2) + '\n';
if (checkOnly) {
  if (updated !== text) {
    console.error('package.json: manifestLint.rules is out of date with `manifest-lint rules`; run node scripts/sync-rules.mjs');
    process.exit(1);
  }
} else {
  writeFileSync(pkgPath, updated);
  console.log(`package.json: ${rules.length} rules`);
}
