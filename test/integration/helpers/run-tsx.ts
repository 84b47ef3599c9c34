/**
 * Runs a local-service launcher in a child `node --import tsx` process.
 *
 * Jest here transpiles to CommonJS, which cannot load ESM-only packages such as fauxqs; under tsx
 * the launcher's dynamic `import('fauxqs')` stays a native ESM import. The same file is both the
 * jest-side helper ({@link startServiceInChild}) and the child's entry point: run directly, it
 * calls `<exportName>(options)` from `<modulePath>`, prints one JSON line with the endpoint, and
 * closes the service on SIGTERM/SIGINT or when its stdin closes (so it dies with the test run).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const READY_PREFIX = 'LOCAL_SERVICE ';

/** A service running in a child process. */
export interface ChildService {
  endpoint: string;
  port: number;
  /** Child process id, for orphan checks. */
  pid: number;
  /** Asks the child to close the service and waits for it to exit (SIGKILL after 10 s). */
  close(): Promise<void>;
}

interface ReadyMessage {
  endpoint?: string;
  port?: number;
  error?: string;
}

/**
 * Starts `exportName(options)` from `modulePath` (relative to the repo root) in a child process
 * and resolves with its endpoint, or rejects with the child's error message.
 */
export function startServiceInChild(
  modulePath: string,
  exportName: string,
  options: unknown = {},
  spawnOptions: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ChildService> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', __filename, modulePath, exportName, JSON.stringify(options)],
    { cwd: REPO_ROOT, env: spawnOptions.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    child.stdin.destroy();
  };

  return new Promise<ChildService>((resolve, reject) => {
    const timer = setTimeout(() => {
      void close();
      reject(new Error(`${modulePath}#${exportName} did not report ready within ${spawnOptions.timeoutMs ?? 90_000} ms\n${stderr}`));
    }, spawnOptions.timeoutMs ?? 90_000);
    const settle = (outcome: () => void): void => {
      clearTimeout(timer);
      outcome();
    };
    child.once('error', (error) => settle(() => reject(error)));
    void exited.then(() =>
      settle(() => reject(new Error(`${modulePath}#${exportName} exited before it was ready\n${stderr}`))),
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith(READY_PREFIX)) return;
      const message = JSON.parse(line.slice(READY_PREFIX.length)) as ReadyMessage;
      if (message.error !== undefined || message.endpoint === undefined || message.port === undefined) {
        settle(() => reject(new Error(message.error ?? `malformed ready line: ${line}`)));
        return;
      }
      const { endpoint, port } = message;
      settle(() => resolve({ endpoint, port, pid: child.pid!, close }));
    });
  });
}

interface Closable {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

async function childMain(modulePath: string, exportName: string, optionsJson: string): Promise<void> {
  const report = (message: ReadyMessage): void => {
    process.stdout.write(`${READY_PREFIX}${JSON.stringify(message)}\n`);
  };
  let service: Closable;
  try {
    const loaded = (await import(path.resolve(REPO_ROOT, modulePath))) as Record<string, unknown>;
    const start = loaded[exportName] as ((options: unknown) => Promise<Closable>) | undefined;
    if (typeof start !== 'function') throw new Error(`${modulePath} has no export ${exportName}`);
    service = await start(JSON.parse(optionsJson));
  } catch (error) {
    report({ error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The parent never writes; EOF means it is gone.
  process.stdin.on('end', stop);
  process.stdin.resume();
  report({ endpoint: service.endpoint, port: service.port });
}

if (require.main === module) {
  const [modulePath, exportName, optionsJson = '{}'] = process.argv.slice(2);
  if (!modulePath || !exportName) {
    console.error('usage: node --import tsx run-tsx.ts <modulePath> <exportName> [optionsJson]');
    process.exit(2);
  }
  void childMain(modulePath, exportName, optionsJson);
}
