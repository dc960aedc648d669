#!/usr/bin/env node
// Refreshes the per-rule entries of the manifestLint.rules setting in package.json from the
// server's own rule table, so that settings.json completion lists every rule with its summary.
//
//   node scripts/sync-rules.mjs [path/to/manifest-lint]     (default: manifest-lint on PATH)
//   node scripts/sync-rules.mjs --check [path]               exit 1 when package.json lists a rule the
//                                                            server does not have (a user's override for it
//                                                            would do nothing); rules the server added since
//                                                            the last sync are only reported

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
const listed = Object.keys(setting.properties ?? {});
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
  const known = new Set(rules.map((r) => r.id));
  const unknown = listed.filter((id) => !known.has(id));
  const missing = [...known].filter((id) => !listed.includes(id));
  const resync = 'run `node editors/vscode/scripts/sync-rules.mjs <path to manifest-lint>`';
  if (missing.length > 0 || (unknown.length === 0 && updated !== text)) {
    console.error(`package.json: manifestLint.rules is behind \`manifest-lint rules\`${missing.length ? ` (missing: ${missing.join(', ')})` : ' (summaries changed)'}; ${resync}`);
  }
  if (unknown.length > 0) {
    console.error(`package.json: manifestLint.rules lists rules the server does not have: ${unknown.join(', ')}; ${resync}`);
    process.exit(1);
  }
} else {
  writeFileSync(pkgPath, updated);
  console.log(`package.json: ${rules.length} rules`);
}
