/**
 * Which code each declared entry point reaches: every route, worker, schedule, the authorizer and the fallback route from
 * the route table, each with the static import closure of its handler within `lambdas/`. The closure comes from esbuild's
 * metafile (the same bundler the Lambda functions are built with), so a type-only import reaches nothing and a dynamic
 * import of a literal path is followed, exactly as in the deployed bundle.
 */
import { build } from 'esbuild';
import { join, relative, sep } from 'node:path';

/** One function the platform runs: what the coverage report is broken down by. */
export interface DeclaredEntry {
  readonly kind: 'route' | 'worker' | 'schedule' | 'authorizer';
  readonly id: string;
  /** Handler module under `lambdas/handlers/`, without extension. */
  readonly handler: string;
}

/** An entry with the files (repository-relative, `/`-separated) its handler reaches inside `lambdas/`. */
export interface EntryClosure extends DeclaredEntry {
  readonly files: readonly string[];
}

/** Reads the declarations from the route table and the schedule list (the same lists the API stack is built from). */
export async function declaredEntries(): Promise<DeclaredEntry[]> {
  const { routes, workers, authorizerFunction, fallbackRoute } = await import('../../lambdas/routes');
  const { schedules } = await import('../../lambdas/schedules');
  return [
    ...[...routes, fallbackRoute].map((r) => ({ kind: 'route' as const, id: r.id, handler: r.handler })),
    ...workers.map((w) => ({ kind: 'worker' as const, id: w.id, handler: w.handler })),
    ...schedules.map((s) => ({ kind: 'schedule' as const, id: s.id, handler: s.handler })),
    { kind: 'authorizer' as const, id: authorizerFunction.id, handler: authorizerFunction.handler },
  ];
}

const toPosix = (path: string) => path.split(sep).join('/');

/**
 * Bundles every handler once (packages stay external) and reads each output's inputs: the handler's import closure.
 * Only files under `lambdas/` are kept; `node_modules` and anything outside the runtime tree are not ours to cover.
 */
export async function computeClosures(entries: readonly DeclaredEntry[], root: string): Promise<EntryClosure[]> {
  const handlers = [...new Set(entries.map((e) => e.handler))];
  const entryFile = (handler: string) => `lambdas/handlers/${handler}.ts`;
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(handlers.map((h) => [h, entryFile(h)])),
    bundle: true,
    write: false,
    metafile: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    outdir: join(root, 'coverage', 'pii', 'closure-bundles'),
    logLevel: 'silent',
  });
  const inputsByEntry = new Map<string, string[]>();
  for (const output of Object.values(result.metafile.outputs)) {
    if (!output.entryPoint) continue;
    const files = Object.keys(output.inputs)
      .map((input) => toPosix(relative(root, join(root, input))))
      .filter((file) => file.startsWith('lambdas/') && /\.[cm]?tsx?$/.test(file))
      .sort();
    inputsByEntry.set(toPosix(output.entryPoint), files);
  }
  return entries.map((entry) => {
    const files = inputsByEntry.get(entryFile(entry.handler));
    if (!files) throw new Error(`no bundle for ${entry.kind} ${entry.id} (lambdas/handlers/${entry.handler}.ts)`);
    return { ...entry, files };
  });
}
