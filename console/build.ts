/**
 * Builds the console into a static folder: `index.html`, `app.js` (Preact and the typed API client, bundled and minified
 * by esbuild) and `app.css`. No inline script: the page loads its one script from its own origin, as the CSP demands.
 * Used by the local cloud (served at /console/), the CDK app (the asset uploaded to the console bucket) and the tests.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

export const CONSOLE_SOURCE_DIR = __dirname;

/** The files a build writes, relative to its folder. */
export const CONSOLE_FILES = ['index.html', 'app.js', 'app.css'] as const;

export async function buildConsole(outdir: string): Promise<void> {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [join(CONSOLE_SOURCE_DIR, 'src', 'main.tsx')],
    outfile: join(outdir, 'app.js'),
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2022'],
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'silent',
  });
  copyFileSync(join(CONSOLE_SOURCE_DIR, 'index.html'), join(outdir, 'index.html'));
  copyFileSync(join(CONSOLE_SOURCE_DIR, 'src', 'app.css'), join(outdir, 'app.css'));
}

/** `tsx console/build.ts <outdir>`: what CDK's local bundling runs. */
if (require.main === module) {
  const outdir = process.argv[2];
  if (!outdir) {
    console.error('usage: tsx console/build.ts <outdir>');
    process.exit(2);
  }
  buildConsole(outdir).catch((error: Error) => {
    console.error(`console build failed: ${error.message}`);
    process.exit(1);
  });
}
