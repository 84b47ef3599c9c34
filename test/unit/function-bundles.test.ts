/**
 * What each function's bundle carries, from esbuild's metafile, built the way BackendFunction builds it: a handler bundles
 * its own declaration (`<handler>.route.ts`) and no other route's, and never the route table's index (`lambdas/routes.ts`),
 * which imports every route's declaration and schemas. One build for all entries, so shared modules are parsed once.
 *
 * Schemas are `zod/mini` everywhere a function loads them: classic zod puts every method (and its JSON Schema converter) on
 * each schema's prototype, so a bundle that reaches it carries about 65 KiB more of zod.
 */
import { build, type Metafile } from 'esbuild';
import { readFileSync } from 'node:fs';
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
/** Classic zod's modules; `import … from 'zod'` (not `'zod/mini'`) reaches them. */
const CLASSIC_ZOD = /node_modules\/zod\/v4\/classic\//;

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

type BundleInputs = {
  own: Map<string, string[]>;
  packages: Map<string, string[]>;
  all: Map<string, string[]>;
  /** Project modules that import the SDK's DynamoDB or KMS packages, by package. */
  sdkImporters: Map<string, string[]>;
};

const WRAPPED_SDK = /node_modules\/(@aws-sdk\/(?:client-dynamodb|lib-dynamodb|client-kms))\//;

/** The inputs of each entry's output, by entry (a path relative to the repository root); or of `stdin`'s, when given. */
async function bundleInputs(entries: readonly string[], stdin?: string): Promise<BundleInputs> {
  const result = await build({
    ...functionBuildOptions(),
    ...(stdin
      ? { stdin: { contents: stdin, resolveDir: root, loader: 'ts' as const, sourcefile: 'stdin.ts' } }
      : { entryPoints: entries.map((e) => join(root, e)) }),
    outdir: join(root, 'cdk.out', 'bundle-test'),
    absWorkingDir: root,
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  return inputsByEntry(result.metafile);
}

/** Per entry: the project's own inputs (relative paths), the npm packages it bundles (by package name), and every input. */
function inputsByEntry(metafile: Metafile): BundleInputs {
  const own = new Map<string, string[]>();
  const packages = new Map<string, string[]>();
  const all = new Map<string, string[]>();
  for (const output of Object.values(metafile.outputs)) {
    if (!output.entryPoint) continue;
    const entry = relative(root, join(root, output.entryPoint));
    const inputs = Object.keys(output.inputs);
    own.set(entry, inputs.filter((i) => !i.includes('node_modules/')).map((i) => relative(root, join(root, i))));
    packages.set(entry, [...new Set(inputs.map((i) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(i)?.[1]).filter((p): p is string => !!p))]);
    all.set(entry, inputs);
  }
  const sdkImporters = new Map<string, string[]>();
  for (const [path, input] of Object.entries(metafile.inputs)) {
    if (path.includes('node_modules/')) continue;
    for (const imported of input.imports) {
      const sdk = WRAPPED_SDK.exec(imported.path)?.[1];
      if (sdk) sdkImporters.set(sdk, [...new Set([...(sdkImporters.get(sdk) ?? []), relative(root, join(root, path))])].sort());
    }
  }
  return { own, packages, all, sdkImporters };
}

/** Inputs a function's bundle must not hold: the index, and every route module but its own. */
function foreignDeclarations(handler: string, inputs: readonly string[]): string[] {
  return inputs.filter((input) => input === INDEX || (ROUTE_MODULE.test(input) && ROUTE_MODULE.exec(input)![1] !== handler));
}

describe('function bundles', () => {
  let inputs: Map<string, string[]>;
  let packages: Map<string, string[]>;
  let allInputs: Map<string, string[]>;
  let sdkImporters: Map<string, string[]>;
  beforeAll(async () => {
    // the index and the test hooks are built too, to show that the checks see declarations and test code where they are
    ({ own: inputs, packages, all: allInputs, sdkImporters } = await bundleInputs([...functionHandlers.map((h) => `lambdas/handlers/${h}.ts`), INDEX, TEST_HOOKS]));
  }, 120_000);

  // esbuild gives each ES module that imports a CommonJS package its own copy of the package's exports, built at load
  it('imports the DynamoDB and KMS SDK packages from one module each, so a function copies their exports once', () => {
    expect(Object.fromEntries(sdkImporters)).toEqual({
      '@aws-sdk/client-dynamodb': ['lambdas/adapters/dynamodb-sdk.ts'],
      '@aws-sdk/lib-dynamodb': ['lambdas/adapters/dynamodb-sdk.ts'],
      '@aws-sdk/client-kms': ['lambdas/adapters/kms-sdk.ts'],
    });
  });

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
    expect(own.filter((input) => input.startsWith('lambdas/runtime/test-hooks'))).toEqual(
      own.some((input) => input === 'lambdas/runtime/clients.ts') ? ['lambdas/runtime/test-hooks.ts'] : [],
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

  it.each(functionHandlers)('%s: bundles zod/mini, never classic zod, and with zod its English messages', (handler) => {
    const bundled = allInputs.get(`lambdas/handlers/${handler}.ts`)!;
    expect(bundled.filter((input) => CLASSIC_ZOD.test(input))).toEqual([]);
    // without them every validation problem would read "Invalid input"
    if (bundled.some((input) => input.includes('node_modules/zod/'))) expect(bundled).toContain('lambdas/http/zod-messages.ts');
  });

  it('would notice a bundle that reaches classic zod', async () => {
    const { all } = await bundleInputs([], "import * as z from 'zod';\nexport const name = z.string().min(1);");
    expect([...all.values()].flat().some((input) => CLASSIC_ZOD.test(input))).toBe(true);
  }, 60_000);

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

  // A module that reads a file at run time (`bundledFileReader('docs/…')`) works on Lambda only if the file was copied into
  // the function's asset: every function whose bundle holds such a module must list the file in its `bundledFiles`.
  const declarationsByHandler = new Map<string, { bundledFiles?: readonly string[] }>(
    [...routes, fallbackRoute, ...workers].map((d) => [d.handler, d as { bundledFiles?: readonly string[] }]),
  );
  function filesReadBy(inputs: readonly string[]): string[] {
    return inputs
      .filter((input) => input.startsWith('lambdas/') && input !== 'lambdas/runtime/bundled-file.ts')
      .flatMap((input) => [...readFileSync(join(root, input), 'utf8').matchAll(/bundledFileReader\((['"])([^'"]+)\1\)/g)].map((m) => m[2]));
  }
  it.each(functionHandlers)('%s: declares in bundledFiles every file its bundle reads at run time', (handler) => {
    const read = [...new Set(filesReadBy(inputs.get(`lambdas/handlers/${handler}.ts`)!))].sort();
    const declared = [...(declarationsByHandler.get(handler)?.bundledFiles ?? [])].sort();
    expect(declared).toEqual(expect.arrayContaining(read));
    // and nothing is copied that the bundle never reads
    expect(read).toEqual(expect.arrayContaining(declared));
  });

  it('sees the files the OpenAPI function and the rights worker read', () => {
    expect(filesReadBy(inputs.get('lambdas/handlers/openapi.ts')!)).toEqual(['docs/openapi.json']);
    expect(filesReadBy(inputs.get('lambdas/handlers/rights-request-worker.ts')!)).toContain('docs/ropa.json');
  });
});
