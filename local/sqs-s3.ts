/**
 * SQS and S3 on one loopback endpoint, served in-process by fauxqs 1.9.2.
 *
 * fauxqs is ESM-only (`"type": "module"`, an `exports` map with only an `import` condition). This
 * repository's .ts files are CommonJS under tsx (package.json has no `"type"`), where a static
 * `import ... from 'fauxqs'` becomes `require('fauxqs')` and fails with ERR_PACKAGE_PATH_NOT_EXPORTED.
 * fauxqs is therefore loaded with dynamic `import()`, which tsx keeps as a native ESM import.
 * Consequence: this module works under tsx/node, but not under jest's CommonJS transform; tests
 * run it in a child process (see test/integration/helpers/run-tsx.ts).
 *
 * Why not fauxqs's CLI or `startFauxqs()`: both listen on 0.0.0.0, and their queue URLs use
 * `sqs.<region>.localhost`, which does not resolve everywhere. Building the app ourselves lets us
 * bind 127.0.0.1 and give it an SqsStore whose `host` is '' so queue URLs follow the request's
 * Host header (`http://127.0.0.1:<port>/000000000000/<name>`).
 */
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LOOPBACK, type LocalService } from './ports';

type Fauxqs = typeof import('fauxqs');
type Stores = NonNullable<NonNullable<Parameters<Fauxqs['buildApp']>[0]>['stores']>;

/** Options for {@link startSqsS3}. */
export interface SqsS3Options {
  /** Port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  /**
   * Region for ARNs when a request's signature does not name one. Signed SDK requests carry
   * their own region, so this rarely matters. Default eu-west-1.
   */
  region?: string;
}

/**
 * Starts fauxqs (SQS, S3 and, incidentally, SNS) on 127.0.0.1 with its logging off.
 *
 * Point SQS and S3 clients at `endpoint` exactly as returned: queue URLs embed the Host header of
 * the CreateQueue request and fauxqs looks queues up by the full URL, so mixing `localhost` and
 * `127.0.0.1` would yield "queue does not exist". S3 clients need `forcePathStyle: true`.
 * State is in memory and disappears with `close()`.
 */
export async function startSqsS3(options: SqsS3Options = {}): Promise<LocalService> {
  const requestedPort = options.port ?? 0;
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new Error(`invalid port ${requestedPort}: expected an integer from 1 to 65535, or 0 for a free port`);
  }
  const fauxqs: Fauxqs = await import('fauxqs');
  const stores = await createStores();
  // '' (not a hostname) makes SqsStore.buildQueueUrl use the request's Host header. buildApp's own
  // `host` option cannot express this: it ignores falsy values.
  stores.sqsStore.host = '';

  const app = fauxqs.buildApp({
    logger: false,
    defaultRegion: options.region ?? 'eu-west-1',
    stores,
  });
  try {
    // Listening on 0 directly (rather than probing with freePort) leaves no window for a race.
    await app.listen({ host: LOOPBACK, port: requestedPort });
  } catch (error) {
    await app.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`port ${requestedPort} on ${LOOPBACK} is already in use`);
    }
    throw error;
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') {
    await app.close();
    throw new Error('fauxqs is not listening on a TCP port');
  }

  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://${LOOPBACK}:${address.port}`,
    port: address.port,
    close: () => (closing ??= app.close().then(() => undefined)),
  };
}

/**
 * Instantiates the three stores `buildApp` accepts. Their classes are not exported from the
 * package entry point, and the `exports` map blocks the deep specifier
 * `fauxqs/dist/sqs/sqsStore.js` (ERR_PACKAGE_PATH_NOT_EXPORTED), so the files are located the way
 * Node's own lookup would (walking node_modules directories) and imported by file URL. The URL is
 * built from the real path, the same one fauxqs's app.js resolves its relative imports to, so we
 * get the very module instances the app uses, not duplicates.
 */
async function createStores(): Promise<Stores> {
  const dist = fauxqsDistDir();
  const load = (relative: string): Promise<Record<string, unknown>> =>
    import(pathToFileURL(path.join(dist, relative)).href);
  const [sqs, sns, s3] = await Promise.all([load('sqs/sqsStore.js'), load('sns/snsStore.js'), load('s3/s3Store.js')]);
  const SqsStore = sqs.SqsStore as new () => Stores['sqsStore'];
  const SnsStore = sns.SnsStore as new () => Stores['snsStore'];
  const S3Store = s3.S3Store as new () => Stores['s3Store'];
  if (typeof SqsStore !== 'function' || typeof SnsStore !== 'function' || typeof S3Store !== 'function') {
    throw new Error(`fauxqs store classes not found under ${dist}; is fauxqs still 1.9.2?`);
  }
  return { sqsStore: new SqsStore(), snsStore: new SnsStore(), s3Store: new S3Store() };
}

function fauxqsDistDir(): string {
  // resolve.paths() lists the node_modules directories without consulting the exports map.
  const searched = createRequire(import.meta.url).resolve.paths('fauxqs') ?? [];
  for (const nodeModules of searched) {
    const candidate = path.join(nodeModules, 'fauxqs');
    if (existsSync(path.join(candidate, 'dist', 'app.js'))) return path.join(realpathSync(candidate), 'dist');
  }
  throw new Error(`fauxqs not found in ${searched.join(', ')}; run npm install`);
}
