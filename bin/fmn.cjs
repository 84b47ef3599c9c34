#!/usr/bin/env node
/**
 * The `fmn` executable (package.json "bin"): loads the TypeScript CLI through tsx's register API, so `npx fmn` works in
 * the repository without a build step. Both loaders are registered: the CLI is CommonJS, and some of what it loads is
 * ESM-only (imported with `import()`).
 */
'use strict';
const path = require('node:path');

async function main() {
  require('tsx/cjs/api').register();
  // The ESM build of the API: its CommonJS build resolves its own loader path wrongly when required (tsx 4.23).
  const { register } = await import('tsx/esm/api');
  register();
  const { runFmn } = require(path.join(__dirname, '..', 'cli', 'fmn.ts'));
  return runFmn(process.argv.slice(2));
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`fmn could not start: ${error && error.message ? error.message : error}\n`);
    process.exit(1);
  },
);
