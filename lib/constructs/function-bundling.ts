/**
 * How every function's handler is bundled (esbuild, run locally by `BackendFunction`'s NodejsFunction). Kept free of CDK
 * imports so that the unit test which checks what each function's bundle carries (test/unit/function-bundles.test.ts) builds
 * with exactly these options without loading aws-cdk-lib.
 */
import type { BuildOptions } from 'esbuild';

export const FUNCTION_BUNDLING = {
  target: 'node20',
  format: 'cjs',
  minify: true,
  // The map ships in the asset but is not loaded at cold start (no NODE_OPTIONS=--enable-source-maps): reading and parsing
  // it is init time every cold start pays for the rare error that needs it. Frames in the logs point into index.js;
  // `fmn stack symbolicate --map index.js.map` maps them back offline, or set NODE_OPTIONS=--enable-source-maps on one
  // function while debugging. Measured in bench/results.md (P2).
  sourceMap: true,
  sourcesContent: false,
  // Bundle the AWS SDK too: the versions the lock file pins, not whatever the runtime ships that month.
  externalModules: [] as string[],
} as const;

/** The esbuild options NodejsFunction derives from `FUNCTION_BUNDLING` (it adds `bundle` and `platform: 'node'` itself). */
export function functionBuildOptions(): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    target: FUNCTION_BUNDLING.target,
    format: FUNCTION_BUNDLING.format,
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    external: [...FUNCTION_BUNDLING.externalModules],
  };
}
