/**
 * The README's shell examples run as written: every ```bash block not marked `<!-- example: skip (why) -->`, in order, in
 * one bash shell, against a fresh `npm start -- --in-memory --ports=auto`, with the `export …_PORT=` lines its banner
 * prints (what the README tells a reader to paste). A non-zero exit or an HTTP status other than a `# → <status>` fails.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { examplesScript, shellExamples } from './helpers/readme-examples';

const root = join(__dirname, '..', '..');
const PORT_VARS = ['PORT', 'DYNAMODB_PORT', 'SQS_S3_PORT', 'KMS_PORT'];

let cloud: ChildProcess | undefined;
let banner = '';
let workDir: string;

/** Starts the local cloud the way a reader does and resolves with the `export` lines of its banner. */
function startCloud(stateDir: string): Promise<string[]> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
  for (const name of PORT_VARS) delete env[name];
  cloud = spawn(process.execPath, ['--import', 'tsx', join(root, 'local', 'start.ts'), '--in-memory', '--ports=auto', '--state-dir', stateDir], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start not ready after 90 s:\n${banner.slice(-2000)}`)), 90_000);
    const onData = (chunk: Buffer) => {
      banner += chunk.toString('utf8');
      if (!banner.includes('Ctrl-C stops everything')) return;
      clearTimeout(timer);
      resolve(banner.split('\n').filter((line) => /^export [A-Z][A-Z0-9_]*=\d+$/.test(line)));
    };
    cloud!.stdout!.on('data', onData);
    cloud!.stderr!.on('data', (chunk: Buffer) => (banner += chunk.toString('utf8')));
    cloud!.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${banner.slice(-2000)}`));
    });
  });
}

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'fmn-readme-'));
});

afterAll(async () => {
  if (cloud && cloud.exitCode === null) {
    const exited = new Promise((r) => cloud!.once('exit', r));
    cloud.kill('SIGTERM');
    const timer = setTimeout(() => cloud!.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(workDir, { recursive: true, force: true });
});

it('every runnable bash block of README.md runs against npm start --ports=auto, answering the statuses it shows', async () => {
  const examples = shellExamples(readFileSync(join(root, 'README.md'), 'utf8'));
  const exports = await startCloud(join(workDir, 'state'));
  // the banner's export lines are the contract: one per port variable
  expect(exports.map((line) => line.slice('export '.length).split('=')[0]).sort()).toEqual([...PORT_VARS].sort());

  const { script, lineMap } = examplesScript(examples, exports);
  const scriptPath = join(workDir, 'readme.sh');
  writeFileSync(scriptPath, script);
  const env: NodeJS.ProcessEnv = { ...process.env, FMN_README_STATUS: join(workDir, 'status'), FMN_README_ROOT: root };
  for (const name of PORT_VARS) delete env[name];
  writeFileSync(env.FMN_README_STATUS!, '');
  // spawnSync would block the event loop the cloud's pipes drain on; a promise keeps them flowing
  const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const bash = spawn('bash', ['--noprofile', '--norc', scriptPath], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    bash.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    bash.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    bash.once('exit', (code) => resolve({ code, stdout, stderr }));
  });

  const failedAt = /FMN_README_FAILED_AT (\d+)/.exec(run.stderr)?.[1];
  const where = failedAt ? `README.md:${lineMap[Number(failedAt) - 1] || '(harness)'}` : 'see stderr';
  if (run.code !== 0) {
    throw new Error(`README examples failed (exit ${run.code}, ${where}):\n${run.stderr.slice(-3000)}\n--- stdout ---\n${run.stdout.slice(-2000)}`);
  }
  console.log(run.stderr.split('\n').filter((l) => l.startsWith('FMN_README_BLOCK')).join('\n'));
  // at least the walkthrough ran: a skipped-everything README would pass vacuously
  expect(examples.filter((e) => !e.skip).length).toBeGreaterThanOrEqual(8);
}, 240_000);

it('jq and curl, which the README lists as requirements, are installed', () => {
  for (const tool of ['jq', 'curl']) expect(spawnSync(tool, ['--version']).status).toBe(0);
});
