/**
 * Files a function reads at run time rather than bundles (a route's `bundledFiles`): on Lambda they sit in the function's
 * asset at their repository path (BackendFunction copies them beside index.js), so under `LAMBDA_TASK_ROOT`; run from
 * source (the local server, tests) they are read from the repository.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.env.LAMBDA_TASK_ROOT ?? join(__dirname, '..', '..');

/**
 * The file's text, read on first use and kept for the container's life (these files change only with a deploy). Pass the
 * path as a literal: function-bundles.test.ts reads it from the caller's source to check that every function bundling the
 * caller declares the file in its `bundledFiles`.
 */
export function bundledFileReader(path: string): () => string {
  let text: string | undefined;
  return () => (text ??= readFileSync(join(root, path), 'utf8'));
}
