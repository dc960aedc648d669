#!/usr/bin/env node
// Runs Verdaccio in this very process (arguments passed through, e.g.
// `-c config.yaml -l 127.0.0.1:4873`) and exits as soon as standard input closes, which happens
// when the test process that spawned us exits for any reason (even a crash or a kill). So no
// Verdaccio outlives its tests, and there is no grandchild to orphan.
//
// `--remove-on-exit <dir>` (first) also deletes <dir> (the per-run storage) on the way out.
'use strict';
const fs = require('fs');
const path = require('path');

let args = process.argv.slice(2);
let removeDir = null;
if (args[0] === '--remove-on-exit') {
  removeDir = args[1];
  args = args.slice(2);
}

function stop() {
  if (removeDir) {
    try {
      fs.rmSync(removeDir, { recursive: true, force: true });
    } catch (e) {
      // Best effort: it is a temporary directory.
    }
  }
  process.exit(0);
}
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

const bin = path.join(__dirname, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
process.argv = [process.argv[0], bin, ...args];
require(bin);
