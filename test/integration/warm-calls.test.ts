/**
 * SDK calls per warm request, counted by a middleware on the handlers' own clients against the real local cloud
 * (bench/warm-calls.ts in a child process, as the benchmark runs it). Behaviour, not timing: a warm container serving the
 * same subject again calls no KMS, and each benchmarked route sends no more than the minimum written beside it in
 * bench/lib/warm-calls.ts, apart from the one avoidable call named here.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WarmCallsRow } from '../../bench/lib/warm-calls';

const root = join(__dirname, '..', '..');
let dir: string;
let rows: Map<string, WarmCallsRow>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fmn-warm-calls-'));
  const out = join(dir, 'warm.json');
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'warm-calls.ts'), out], {
      cwd: root,
      env: { ...process.env, NODE_NO_WARNINGS: '1', POWERTOOLS_LOG_LEVEL: 'SILENT' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr }));
  });
  if (code !== 0) throw new Error(`bench/warm-calls.ts exited with ${code}:\n${stderr.slice(-2000)}`);
  rows = new Map((JSON.parse(readFileSync(out, 'utf8')) as WarmCallsRow[]).map((r) => [r.id, r]));
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it.each(['getMe', 'putConsent', 'myConsents'])('calls no KMS on a warm repeat of %s', (id) => {
  expect(rows.get(id)!.kms).toBe(0);
});

it.each(['register', 'login', 'getMe', 'putConsent', 'myConsents', 'createExportRequest'])('sends exactly the minimum calls on a warm %s', (id) => {
  const row = rows.get(id)!;
  expect(row.calls).toEqual(row.minimum);
});

it('logs in with one read of both throttle counters, one transaction and one audit-head read', () => {
  const login = rows.get('login')!;
  expect(login.calls).toEqual({ 'dynamodb.BatchGetItem': 1, 'dynamodb.GetItem': 3, 'dynamodb.TransactWriteItems': 1 });
  expect(login.total).toBe(login.minimumTotal);
});
