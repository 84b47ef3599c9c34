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
async function bundleInputs(entries: readonly string[]): Promise<{ own: Map<string, string[]>; packages: Map<string, string[]> }> {
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

/** Per entry: the project's own inputs (relative paths), and the npm packages it bundles (by package name). */
function inputsByEntry(metafile: Metafile): { own: Map<string, string[]>; packages: Map<string, string[]> } {
  const own = new Map<string, string[]>();
  const packages = new Map<string, string[]>();
  for (const output of Object.values(metafile.outputs)) {
    if (!output.entryPoint) continue;
    const entry = relative(root, join(root, output.entryPoint));
    const inputs = Object.keys(output.inputs);
    own.set(entry, inputs.filter((i) => !i.includes('node_modules/')).map((i) => relative(root, join(root, i))));
    packages.set(entry, [...new Set(inputs.map((i) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(i)?.[1]).filter((p): p is string => !!p))]);
  }
  return { own, packages };
}

/** Inputs a function's bundle must not hold: the index, and every route module but its own. */
function foreignDeclarations(handler: string, inputs: readonly string[]): string[] {
  return inputs.filter((input) => input === INDEX || (ROUTE_MODULE.test(input) && ROUTE_MODULE.exec(input)![1] !== handler));
}

describe('function bundles', () => {
  let inputs: Map<string, string[]>;
  let packages: Map<string, string[]>;
  beforeAll(async () => {
    // the index is built too, to show that the check sees declarations where they are
    ({ own: inputs, packages } = await bundleInputs([...functionHandlers.map((h) => `lambdas/handlers/${h}.ts`), INDEX]));
  }, 120_000);

  it('builds one bundle per deployed function', () => {
    expect(functionHandlers.length).toBeGreaterThan(routes.length);
    for (const handler of functionHandlers) expect(inputs.has(`lambdas/handlers/${handler}.ts`)).toBe(true);
  });

  it.each(functionHandlers)('%s: bundles no other route\'s declaration and not the route table', (handler) => {
    const own = inputs.get(`lambdas/handlers/${handler}.ts`)!;
    expect(foreignDeclarations(handler, own)).toEqual([]);
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

  // A route that touches no personal data needs no audit trail, consent store or cursor key: its function loads no SDK
  // client at all (cold start follows bundle bytes). `dataFreeRoute` (http-core) is what keeps them out.
  const dataFree = routes.filter((r) => r.personalData.length === 0 && !r.paging && !r.purpose).map((r) => r.handler);
  it.each([...dataFree, fallbackRoute.handler])('%s: touches no personal data, so bundles no AWS SDK client', (handler) => {
    const bundled = packages.get(`lambdas/handlers/${handler}.ts`)!;
    expect(bundled.filter((p) => p.startsWith('@aws-sdk/') || p.startsWith('@smithy/'))).toEqual([]);
  });

  it('would notice an SDK client in a bundle', () => {
    expect(packages.get('lambdas/handlers/get-me.ts')).toEqual(expect.arrayContaining(['@aws-sdk/client-dynamodb', '@aws-sdk/client-kms']));
  });
});
