/**
 * P2 cold start: every function bundled the way the CDK construct bundles it (lib/constructs/backend-function.ts: esbuild,
 * CommonJS, node20, minified, source maps without sources, nothing external), then its size, and its module
 * initialisation time (loading the bundle, which builds its SDK clients at module scope) as the median over fresh Node
 * processes, next to a bundle holding only the SDK clients that function's bundle contains.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { authorizerFunction, fallbackRoute, ROUTE_METHODS_ENV, routeMethodsEnvironment, routes, workers } from '../lambdas/routes';
import { schedules } from '../lambdas/schedules';
import {
  BUCKET_IDS,
  KEY_IDS,
  QUEUE_IDS,
  TABLE_IDS,
  TOPIC_IDS,
  bucketEnvVar,
  keyEnvVar,
  queueEnvVar,
  tableEnvVar,
  topicEnvVar,
} from '../lambdas/runtime/resources';
import { median, round } from './lib/stats';

const run = promisify(execFile);

/** What a function's own code may add to the bytes of a bundle holding only its SDK clients. */
export const P2_TARGET_EXTRA_BYTES = 150 * 1024;
export const P2_TARGET_INIT_RATIO = 1.2;
/**
 * A function with no SDK client (health, the OpenAPI document, the purpose catalogue, the fallback) has an empty bundle as
 * its baseline, whose init is next to nothing, so a ratio says nothing. It gets the same allowance in milliseconds as the
 * lightest function with a client: what it adds to the empty bundle's init ≤ (ratio − 1) × the init of DynamoDB alone.
 */
const REFERENCE_CLIENTS = 'dynamodb';

const ROOT = join(__dirname, '..');

export interface P2Row {
  readonly function: string;
  readonly bytes: number;
  readonly mapBytes: number;
  /** SDK clients the bundle contains (what the baseline bundle holds). */
  readonly clients: string[];
  readonly initMs: number;
  readonly baselineInitMs: number;
  readonly baselineBytes: number;
  /** initMs ÷ baselineInitMs; for a function with no SDK client, (reference init + what it adds) ÷ reference init. */
  readonly initRatio: number;
  readonly meetsSizeTarget: boolean;
  readonly meetsInitTarget: boolean;
  /** The largest inputs of the bundle, for the notes: where the bytes come from. */
  readonly largestInputs: Array<{ path: string; bytes: number }>;
}

export interface P2Result {
  readonly processes: number;
  readonly targetExtraBytes: number;
  readonly targetInitRatio: number;
  /** Init of the DynamoDB-only bundle, the reference for functions with no SDK client. */
  readonly referenceInitMs: number;
  readonly rows: P2Row[];
  readonly skipped: string[];
}

/** The options NodejsFunction passes to esbuild for this project's bundling props. */
export const CDK_BUNDLING: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  sourcemap: 'external',
  sourcesContent: false,
  external: [],
  logLevel: 'warning',
  metafile: true,
};

/** The SDK clients a handler may build at module scope, and the code that builds the same client alone. */
const CLIENTS: Record<string, { module: string; make: string }> = {
  dynamodb: {
    module: '@aws-sdk/lib-dynamodb',
    make:
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\n" +
      'export const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });',
  },
  kms: { module: '@aws-sdk/client-kms', make: "import { KMSClient } from '@aws-sdk/client-kms'; export const kms = new KMSClient({});" },
  sqs: { module: '@aws-sdk/client-sqs', make: "import { SQSClient } from '@aws-sdk/client-sqs'; export const sqs = new SQSClient({});" },
  s3: { module: '@aws-sdk/client-s3', make: "import { S3Client } from '@aws-sdk/client-s3'; export const s3 = new S3Client({ forcePathStyle: false });" },
};

/** Every function the API stack deploys: routes, the fallback, the authorizer, workers and scheduled jobs. */
export function deployedHandlers(): string[] {
  return [...new Set([...routes.map((r) => r.handler), fallbackRoute.handler, authorizerFunction.handler, ...workers.map((w) => w.handler), ...schedules.map((s) => s.handler)])];
}

/** What the bind helpers would set: placeholder names only; nothing is called at module initialisation. */
export function initEnv(): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    POWERTOOLS_SERVICE_NAME: 'forget-me-not',
    STAGE: 'bench',
    CORS_ALLOWED_ORIGINS: '',
    OIDC_PROVIDERS: '[]',
    RIGHTS_MODES: '{}',
    [ROUTE_METHODS_ENV]: routeMethodsEnvironment(routes),
  };
  for (const id of TABLE_IDS) env[tableEnvVar(id)] = `fmn-bench-${id}`;
  for (const id of KEY_IDS) env[keyEnvVar(id)] = `arn:aws:kms:eu-west-1:000000000000:key/${id}`;
  for (const id of QUEUE_IDS) env[queueEnvVar(id)] = `https://sqs.eu-west-1.amazonaws.com/000000000000/${id}`;
  for (const id of BUCKET_IDS) env[bucketEnvVar(id)] = `fmn-bench-${id.toLowerCase()}`;
  for (const id of TOPIC_IDS) env[topicEnvVar(id)] = `arn:aws:sns:eu-west-1:000000000000:${id}`;
  return env;
}

/** Loads a bundle in a fresh process and prints how long `require` took (module initialisation), in ms. */
const LOADER = `const t = process.hrtime.bigint(); require(process.argv[1]); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;

async function initTimes(bundle: string, processes: number, env: Record<string, string>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < processes; i++) {
    const { stdout } = await run(process.execPath, ['-e', LOADER, bundle], { env, cwd: tmpdir() });
    times.push(Number(stdout));
  }
  return times;
}

function clientsIn(metafile: Metafile): string[] {
  const inputs = Object.keys(metafile.inputs);
  return Object.entries(CLIENTS)
    .filter(([, c]) => inputs.some((p) => p.includes(`node_modules/${c.module}/`)))
    .map(([name]) => name);
}

function largestInputs(metafile: Metafile, out: string): Array<{ path: string; bytes: number }> {
  const byPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(metafile.outputs[out]?.inputs ?? {})) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const key = m ? m[1] : path.startsWith('lambdas/') ? 'lambdas (own code)' : path;
    byPackage.set(key, (byPackage.get(key) ?? 0) + input.bytesInOutput);
  }
  return [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([path, bytes]) => ({ path, bytes }));
}

export async function runP2(options: { processes: number; only?: readonly string[]; log: (line: string) => void }): Promise<P2Result> {
  const dir = mkdtempSync(join(tmpdir(), 'fmn-bench-p2-'));
  const env = initEnv();
  const skipped: string[] = [];
  const bundles: Array<{ handler: string; outfile: string; metafile: Metafile; clients: string[]; key: string; times: number[] }> = [];
  const baselines = new Map<string, { outfile: string; times: number[] }>();
  try {
    for (const handler of deployedHandlers().filter((h) => !options.only || options.only.includes(h))) {
      const entry = join(ROOT, 'lambdas', 'handlers', `${handler}.ts`);
      if (!existsSync(entry)) {
        skipped.push(handler);
        continue;
      }
      const outfile = join(dir, handler, 'index.js');
      const result = await build({ ...CDK_BUNDLING, entryPoints: [entry], outfile, absWorkingDir: ROOT });
      const clients = clientsIn(result.metafile!);
      const key = clients.join('+') || 'none';
      bundles.push({ handler, outfile, metafile: result.metafile!, clients, key, times: [] });
      if (!baselines.has(key)) {
        const baseOut = join(dir, `baseline-${key}`, 'index.js');
        await build({
          ...CDK_BUNDLING,
          stdin: { contents: clients.map((c) => CLIENTS[c].make).join('\n') || 'export {};', resolveDir: ROOT, loader: 'ts', sourcefile: 'baseline.ts' },
          outfile: baseOut,
          absWorkingDir: ROOT,
        });
        baselines.set(key, { outfile: baseOut, times: [] });
      }
    }
    if (!baselines.has(REFERENCE_CLIENTS)) {
      const baseOut = join(dir, `baseline-${REFERENCE_CLIENTS}`, 'index.js');
      await build({
        ...CDK_BUNDLING,
        stdin: { contents: CLIENTS[REFERENCE_CLIENTS].make, resolveDir: ROOT, loader: 'ts', sourcefile: 'baseline.ts' },
        outfile: baseOut,
        absWorkingDir: ROOT,
      });
      baselines.set(REFERENCE_CLIENTS, { outfile: baseOut, times: [] });
    }
    options.log(`P2 bundled ${bundles.length} functions; ${options.processes} rounds of fresh processes`);
    // Round robin (every bundle and every baseline once per round), so load from elsewhere on the machine spreads evenly.
    for (let round = 0; round < options.processes; round++) {
      for (const baseline of baselines.values()) baseline.times.push(...(await initTimes(baseline.outfile, 1, env)));
      for (const bundle of bundles) bundle.times.push(...(await initTimes(bundle.outfile, 1, env)));
      if ((round + 1) % 5 === 0) options.log(`P2 round ${round + 1} of ${options.processes}`);
    }
    const referenceInitMs = median(baselines.get(REFERENCE_CLIENTS)!.times);
    const rows = bundles.map((b): P2Row => {
      const baseline = baselines.get(b.key)!;
      const initMs = median(b.times);
      const baselineInitMs = median(baseline.times);
      const bytes = statSync(b.outfile).size;
      const baselineBytes = statSync(baseline.outfile).size;
      const initRatio = b.clients.length > 0 ? initMs / baselineInitMs : (referenceInitMs + initMs - baselineInitMs) / referenceInitMs;
      return {
        function: b.handler,
        bytes,
        mapBytes: statSync(`${b.outfile}.map`).size,
        clients: b.clients,
        initMs: round(initMs),
        baselineInitMs: round(baselineInitMs),
        baselineBytes,
        initRatio: round(initRatio),
        meetsSizeTarget: bytes - baselineBytes <= P2_TARGET_EXTRA_BYTES,
        // judged on the ratio as reported (two decimals), so a row never reads "1.2" and "missed" at once
        meetsInitTarget: round(initRatio) <= P2_TARGET_INIT_RATIO,
        largestInputs: largestInputs(b.metafile, Object.keys(b.metafile.outputs).find((o) => o.endsWith('index.js'))!),
      };
    });
    return {
      processes: options.processes,
      targetExtraBytes: P2_TARGET_EXTRA_BYTES,
      targetInitRatio: P2_TARGET_INIT_RATIO,
      referenceInitMs: round(referenceInitMs),
      rows,
      skipped,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `tsx bench/p2-cold-start.ts`: this part alone, printed as JSON. */
if (require.main === module) {
  runP2({ processes: Number(process.argv[2] ?? 3), log: (l) => process.stderr.write(`${l}\n`) }).then(
    (r) => writeFileSync(1, JSON.stringify(r, null, 2)),
    (e: Error) => {
      console.error(e);
      process.exit(1);
    },
  );
}
