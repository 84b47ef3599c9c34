/**
 * What each function's bundle carries, from esbuild's metafile, built the way BackendFunction builds it: a handler bundles
 * its own declaration (`<handler>.route.ts`) and no other route's, and never the route table's index (`lambdas/routes.ts`),
 * which imports every route's declaration and schemas. One build for all entries, so shared modules are parsed once.
 */
import { build, type Metafile } from 'esbuild';
import { join, relative } from 'node:path';
import { functionBuildOptions } from '../../lib/constructs/function-bundling';
import { authorizerFunction, fallbackRoute, routes, workers } from '../../lambdas/routes';
import { schedules } from '../../lambdas/schedules';

const root = join(__dirname, '..', '..');
const INDEX = 'lambdas/routes.ts';
const ROUTE_MODULE = /^lambdas\/handlers\/([\w-]+)\.route\.ts$/;
/** What the local cloud installs as test hooks (the field-use trace, crash injection): never in a function's bundle. */
const TEST_HOOKS = 'local/test-hooks.ts';
const TEST_ONLY = /^local\//;

/** Every function the app deploys, by handler name. */
const functionHandlers = [
  ...new Set([
    ...routes.map((r) => r.handler),
    fallbackRoute.handler,
    authorizerFunction.handler,
    ...workers.map((w) => w.handler),
    ...schedules.map((s) => s.handler),
  ]),
].sort();

/** The project's own inputs of each entry's output, by entry (a path relative to the repository root). */
async function bundleInputs(entries: readonly string[]): Promise<Map<string, string[]>> {
  const result = await build({
    ...functionBuildOptions(),
    entryPoints: entries.map((e) => join(root, e)),
    outdir: join(root, 'cdk.out', 'bundle-test'),
    absWorkingDir: root,
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  return inputsByEntry(result.metafile);
}

function inputsByEntry(metafile: Metafile): Map<string, string[]> {
  const byEntry = new Map<string, string[]>();
  for (const output of Object.values(metafile.outputs)) {
    if (!output.entryPoint) continue;
    const inputs = Object.keys(output.inputs).filter((i) => !i.includes('node_modules/'));
    byEntry.set(relative(root, join(root, output.entryPoint)), inputs.map((i) => relative(root, join(root, i))));
  }
  return byEntry;
}

/** Inputs a function's bundle must not hold: the index, and every route module but its own. */
function foreignDeclarations(handler: string, inputs: readonly string[]): string[] {
  return inputs.filter((input) => input === INDEX || (ROUTE_MODULE.test(input) && ROUTE_MODULE.exec(input)![1] !== handler));
}

describe('function bundles', () => {
  let inputs: Map<string, string[]>;
  beforeAll(async () => {
    // the index and the test hooks are built too, to show that the checks see declarations and test code where they are
    inputs = await bundleInputs([...functionHandlers.map((h) => `lambdas/handlers/${h}.ts`), INDEX, TEST_HOOKS]);
  }, 120_000);

  it('builds one bundle per deployed function', () => {
    expect(functionHandlers.length).toBeGreaterThan(routes.length);
    for (const handler of functionHandlers) expect(inputs.has(`lambdas/handlers/${handler}.ts`)).toBe(true);
  });

  it.each(functionHandlers)('%s: bundles no other route\'s declaration and not the route table', (handler) => {
    const own = inputs.get(`lambdas/handlers/${handler}.ts`)!;
    expect(foreignDeclarations(handler, own)).toEqual([]);
  });

  it.each(functionHandlers)('%s: bundles no test-only code (field-use trace, fault injection)', (handler) => {
    const own = inputs.get(`lambdas/handlers/${handler}.ts`)!;
    expect(own.filter((input) => TEST_ONLY.test(input))).toEqual([]);
    // the hook slot the harness fills is all that ships
    expect(own.filter((input) => input.startsWith('lambdas/shared/test-hooks'))).toEqual(
      own.some((input) => input === 'lambdas/shared/clients.ts') ? ['lambdas/shared/test-hooks.ts'] : [],
    );
  });

  it('would notice a bundle that holds the test hooks', () => {
    expect(inputs.get(TEST_HOOKS)!.filter((input) => TEST_ONLY.test(input))).toEqual(
      expect.arrayContaining(['local/test-hooks.ts', 'local/field-trace.ts', 'local/faults.ts']),
    );
  });

  it('bundles each route handler with its own declaration module', () => {
    for (const declared of [...routes, fallbackRoute, authorizerFunction, ...workers]) {
      expect([declared.handler, inputs.get(`lambdas/handlers/${declared.handler}.ts`)]).toEqual([
        declared.handler,
        expect.arrayContaining([`lambdas/handlers/${declared.handler}.route.ts`]),
      ]);
    }
  });

  it('would notice a bundle that holds the route table', () => {
    const index = inputs.get(INDEX)!;
    expect(foreignDeclarations('health', index)).toEqual(
      expect.arrayContaining([INDEX, 'lambdas/handlers/get-me.route.ts', 'lambdas/handlers/put-consent.route.ts']),
    );
    expect(foreignDeclarations('health', index)).not.toContain('lambdas/handlers/health.route.ts');
  });
});

