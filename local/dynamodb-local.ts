/**
 * Launches DynamoDB Local (the official AWS jar) as a child JVM bound to 127.0.0.1.
 *
 * The stock CLI listens on every interface, so the server is started through
 * `local/DynamoDbLocalMain.java` (a single-file source program) which narrows the Jetty
 * connectors to loopback before they bind. Plain CommonJS-compatible TypeScript: usable from tsx
 * and from jest alike.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DEFAULT_DYNAMODB_LOCAL_CACHE_DIR, ensureDynamoDbLocal } from '../scripts/fetch-dynamodb-local';
import { LOOPBACK, type LocalService, resolvePort } from './ports';

/** Region the local endpoints are addressed with; DynamoDB Local ignores it with `-sharedDb`. */
export const LOCAL_REGION = 'eu-west-1';

/** Credentials for local endpoints. They are never checked, but the SDK refuses to sign without some. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** Options for {@link startDynamoDbLocal}. */
export interface DynamoDbLocalOptions {
  /** Port on 127.0.0.1; 0 or absent picks a free one. */
  port?: number;
  /** Directory for a persistent database (created if missing); absent means `-inMemory`. */
  dbPath?: string;
  /** Where the emulator is cached; see {@link ensureDynamoDbLocal}. */
  cacheDir?: string;
  /** How long to wait for the first successful ListTables. Default 60 s. */
  startTimeoutMs?: number;
}

const JAVA_MAIN = path.join(__dirname, 'DynamoDbLocalMain.java');
const JAVA_MISSING =
  'Java 17+ is required for DynamoDB Local: install a JRE (e.g. apt-get install openjdk-17-jre-headless)';
const MIN_JAVA_MAJOR = 17;
const DEFAULT_START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
const TAIL_BYTES = 4_000;

/**
 * Starts DynamoDB Local on 127.0.0.1 and resolves once it answers ListTables.
 *
 * Always runs with `-sharedDb`: without it DynamoDB Local keeps one database per access key and
 * region, so the API and a test using different dummy credentials would silently see different
 * tables. The JVM's working directory is a throwaway temp dir (or `dbPath`), which keeps
 * `dynamodb-local-metadata.json` out of the repository.
 *
 * Rejects with a readable message if Java 17+ is missing, the port is taken, or the server does
 * not answer within `startTimeoutMs` (the message then ends with the tail of the JVM's output).
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<LocalService> {
  await assertJava();
  const emulatorDir = await ensureDynamoDbLocal(options.cacheDir ?? DEFAULT_DYNAMODB_LOCAL_CACHE_DIR);
  // 0: the JVM binds a port the OS picks and prints it, so two clouds starting at once can never pick the same one.
  const requestedPort = options.port === undefined || options.port === 0 ? 0 : await resolvePort(options.port);

  let stateDir: string;
  let removeStateDir = false;
  const storage: string[] = [];
  if (options.dbPath !== undefined) {
    stateDir = path.resolve(options.dbPath);
    await mkdir(stateDir, { recursive: true });
    storage.push('-dbPath', stateDir);
  } else {
    stateDir = await mkdtemp(path.join(tmpdir(), 'fmn-dynamodb-local-'));
    removeStateDir = true;
    storage.push('-inMemory');
  }

  const args = [
    '-cp',
    // The JVM expands the `*` itself; it is not a shell glob.
    [path.join(emulatorDir, 'DynamoDBLocal.jar'), path.join(emulatorDir, 'DynamoDBLocal_lib', '*')].join(path.delimiter),
    `-Djava.library.path=${path.join(emulatorDir, 'DynamoDBLocal_lib')}`,
    // Makes `ss -ltn` show a plain 127.0.0.1 listener rather than ::ffff:127.0.0.1.
    '-Djava.net.preferIPv4Stack=true',
    '-DdynamoDbLocalMain.exitOnStdinEof=true',
    JAVA_MAIN,
    '-sharedDb',
    ...storage,
    '-port',
    String(requestedPort),
    '-disableTelemetry',
  ];
  const child = spawn('java', args, {
    cwd: stateDir,
    // -disableTelemetry is parsed but ignored by 1.25.1; this variable is what the jar checks.
    env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
    // stdin stays an open pipe: DynamoDbLocalMain exits when it closes, i.e. when we die.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = captureTail(child);

  // SIGKILL from an 'exit' handler: only synchronous work is possible there.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      child.stdin?.destroy();
      process.off('exit', killOnExit);
      if (removeStateDir) await rm(stateDir, { recursive: true, force: true });
    })();
    return closing;
  };

  let port = requestedPort;
  try {
    if (port === 0) port = await listeningPort(child, output, options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
    await waitUntilReady(`http://${LOOPBACK}:${port}`, child, output, options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
  } catch (error) {
    await close();
    throw error;
  }
  return { endpoint: `http://${LOOPBACK}:${port}`, port, close };
}

/** The port DynamoDbLocalMain reports once its socket is bound ("DynamoDbLocalMain listening on http://127.0.0.1:<port>"). */
function listeningPort(child: ChildProcess, output: OutputTail, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => finish(new Error(`DynamoDB Local did not start within ${timeoutMs} ms:\n${output.text()}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /DynamoDbLocalMain listening on http:\/\/[0-9.]+:(\d+)/.exec(seen);
      if (match) finish(undefined, Number(match[1]));
    };
    const onExit = () => finish(new Error(`DynamoDB Local exited before listening:\n${output.text()}`));
    const finish = (error?: Error, port?: number) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(port!);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Rejects with {@link JAVA_MISSING} unless `java -version` reports 17 or newer. */
async function assertJava(): Promise<void> {
  const versionText = await new Promise<string>((resolve, reject) => {
    execFile('java', ['-version'], (error, stdout, stderr) => {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') reject(new Error(JAVA_MISSING));
      else if (error) reject(new Error(`${JAVA_MISSING} (java -version failed: ${error.message})`));
      // java -version writes to stderr.
      else resolve(`${stderr}${stdout}`);
    });
  });
  // `version "17.0.15"`, `version "21"`, or the pre-9 scheme `version "1.8.0_402"`.
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionText);
  if (!match) return; // Unknown vendor format: let the JVM itself decide.
  const major = match[1] === '1' ? Number(match[2]) : Number(match[1]);
  if (major < MIN_JAVA_MAJOR) {
    throw new Error(`${JAVA_MISSING}; found Java ${major}`);
  }
}

interface OutputTail {
  text(): string;
}

/** Keeps the last few KB of the child's stdout+stderr for error messages, and drains the pipes. */
function captureTail(child: ChildProcess): OutputTail {
  let tail = '';
  const append = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return { text: () => tail.trim() };
}

async function waitUntilReady(endpoint: string, child: ChildProcess, output: OutputTail, timeoutMs: number): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (spawnError) {
        const code = (spawnError as NodeJS.ErrnoException).code;
        throw new Error(code === 'ENOENT' ? JAVA_MISSING : `could not start java: ${spawnError.message}`);
      }
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `DynamoDB Local exited during startup (${child.exitCode ?? child.signalCode})${describeOutput(output)}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        // Not listening yet: connection refused until Jetty has bound the port.
      }
      if (Date.now() > deadline) {
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms${describeOutput(output)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  } finally {
    client.destroy();
  }
}

function describeOutput(output: OutputTail): string {
  const text = output.text();
  // Running a .java file directly needs the jdk.compiler module, which some slim JREs omit
  // (Debian's openjdk-17-jre-headless has it).
  const hint = text.includes('jdk.compiler')
    ? '\nThis Java runtime cannot run .java source files (no jdk.compiler module); install a full JDK 17+.'
    : '';
  return text ? `; java output:\n${text}${hint}` : '';
}
