/**
 * Downloads DynamoDB Local (the official AWS jar, 1.25.1) into `.local/cache/`.
 *
 * AWS publishes the jar only as a zip on S3/CloudFront; the npm package
 * `amplify-dynamodb-simulator@2.9.30` carries the same build under `package/emulator/`, so the
 * ordinary npm client (with its registry, proxy and auth settings) can fetch it. The tarball is
 * checked against a pinned integrity hash before anything is extracted.
 *
 * Usage: `tsx scripts/fetch-dynamodb-local.ts [cacheDir]` prints the emulator directory.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** The npm package that carries DynamoDB Local, pinned exactly: the jar inside must not drift. */
export const DYNAMODB_LOCAL_PACKAGE = 'amplify-dynamodb-simulator@2.9.30';

/** DynamoDB Local version inside {@link DYNAMODB_LOCAL_PACKAGE} (from its emulator/README.txt). */
export const DYNAMODB_LOCAL_VERSION = '1.25.1';

/** `dist.integrity` of the pinned tarball as published on registry.npmjs.org. */
const PACKAGE_INTEGRITY =
  'sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ==';

const REPO_ROOT = path.resolve(__dirname, '..');

/** Where the emulator is cached unless told otherwise (`.local/` is git-ignored). */
export const DEFAULT_DYNAMODB_LOCAL_CACHE_DIR = path.join(REPO_ROOT, '.local', 'cache', 'dynamodb-local-2.9.30');

/** A file whose presence marks a complete cache; the directory only appears through an atomic rename. */
const MARKER_FILE = 'DynamoDBLocal.jar';

// Several callers in one process (e.g. parallel test suites in one worker) share one download.
const inFlight = new Map<string, Promise<string>>();

/**
 * Makes sure DynamoDB Local is unpacked in `cacheDir` and returns that directory, which contains
 * `DynamoDBLocal.jar` and `DynamoDBLocal_lib/`.
 *
 * Safe to call concurrently, also from several processes: each caller extracts into its own
 * temporary sibling directory and renames it into place; a caller that loses the race discards
 * its copy and uses the winner's.
 */
export function ensureDynamoDbLocal(cacheDir: string = DEFAULT_DYNAMODB_LOCAL_CACHE_DIR): Promise<string> {
  const target = path.resolve(cacheDir);
  let pending = inFlight.get(target);
  if (!pending) {
    pending = fetchIfMissing(target).finally(() => inFlight.delete(target));
    inFlight.set(target, pending);
  }
  return pending;
}

async function fetchIfMissing(target: string): Promise<string> {
  if (isComplete(target)) return target;
  if (existsSync(target)) {
    // Only a rename creates the directory, so a partial one was made by hand; refuse to guess.
    throw new Error(`${target} exists but has no ${MARKER_FILE}; delete it and retry`);
  }

  const parent = path.dirname(target);
  await mkdir(parent, { recursive: true });
  // A sibling of the target, not os.tmpdir(): rename(2) cannot cross file systems.
  const work = path.join(parent, `.${path.basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(work);
  try {
    const tarball = await npmPack(work);
    const integrity = await sha512Integrity(tarball);
    if (integrity !== PACKAGE_INTEGRITY) {
      throw new Error(`${DYNAMODB_LOCAL_PACKAGE}: integrity mismatch (expected ${PACKAGE_INTEGRITY}, got ${integrity})`);
    }
    await run('tar', ['-xzf', tarball, '-C', work, 'package/emulator']);
    const extracted = path.join(work, 'package', 'emulator');
    if (!existsSync(path.join(extracted, MARKER_FILE))) {
      throw new Error(`${DYNAMODB_LOCAL_PACKAGE}: package/emulator/${MARKER_FILE} not found in the tarball`);
    }
    try {
      await rename(extracted, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Another process finished first; its copy is identical.
      if ((code === 'EEXIST' || code === 'ENOTEMPTY') && isComplete(target)) return target;
      throw error;
    }
    return target;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function isComplete(dir: string): boolean {
  return existsSync(path.join(dir, MARKER_FILE));
}

async function npmPack(destination: string): Promise<string> {
  const before = new Set(await readdir(destination));
  // --ignore-scripts: nothing from the package should run; we only want its files.
  await run('npm', ['pack', DYNAMODB_LOCAL_PACKAGE, '--silent', '--ignore-scripts', '--pack-destination', destination], {
    cwd: destination,
  });
  const created = (await readdir(destination)).filter((name) => name.endsWith('.tgz') && !before.has(name));
  if (created.length !== 1) {
    throw new Error(`npm pack ${DYNAMODB_LOCAL_PACKAGE} produced ${created.length} tarballs in ${destination}`);
  }
  return path.join(destination, created[0]!);
}

function sha512Integrity(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha512');
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(`sha512-${hash.digest('base64')}`));
  });
}

function run(command: string, args: string[], options: { cwd?: string } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { ...options, maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (!error) {
        resolve();
        return;
      }
      const hint = (error as NodeJS.ErrnoException).code === 'ENOENT' ? ` (is ${command} installed and on PATH?)` : '';
      reject(new Error(`${command} ${args.join(' ')} failed${hint}: ${String(stderr).trim() || error.message}`));
    });
  });
}

if (require.main === module) {
  const started = Date.now();
  ensureDynamoDbLocal(process.argv[2]).then(
    (dir) => {
      console.log(dir);
      console.error(`DynamoDB Local ${DYNAMODB_LOCAL_VERSION} ready in ${Date.now() - started} ms`);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
