/**
 * Starts the real local cloud (`npm start -- --in-memory --ports=auto`) in a child process for one test suite: every
 * service on a free port, nothing on disk, torn down in afterAll. A child process keeps the local cloud exactly what a
 * developer runs, and keeps fauxqs (ESM-only) out of jest's CommonJS module system.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalCloudHandle {
  readonly apiUrl: string;
  readonly endpoints: { dynamodb: string; sqsS3: string; kms: string };
  /** The environment the handlers were given: table names, queue URLs, key ids, endpoints. */
  readonly env: Record<string, string>;
  /** Every line the process wrote to stdout and stderr so far (for log-leak checks). */
  readonly output: () => string;
  stop(): Promise<void>;
}

const root = join(__dirname, '..', '..', '..');

export async function startLocalCloudProcess(extraArgs: string[] = [], extraEnv: Record<string, string> = {}): Promise<LocalCloudHandle> {
  const stateDir = mkdtempSync(join(tmpdir(), 'fmn-it-'));
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'local', 'start.ts'), '--in-memory', '--ports=auto', '--ready-json', '--state-dir', stateDir, ...extraArgs],
    { cwd: root, env: { ...process.env, ...extraEnv, NODE_ENV: 'test' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));

  const ready = await new Promise<{ apiUrl: string; endpoints: LocalCloudHandle['endpoints']; env: Record<string, string> }>(
    (resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`local cloud not ready after 90 s:\n${output.slice(-2000)}`)), 90_000);
      const onData = () => {
        const line = output.split('\n').find((l) => l.startsWith('FMN_READY '));
        if (line) {
          clearTimeout(timer);
          child.stdout!.off('data', onData);
          resolve(JSON.parse(line.slice('FMN_READY '.length)));
        }
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`local cloud exited with ${code}:\n${output.slice(-2000)}`));
      });
    },
  );

  return {
    ...ready,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
