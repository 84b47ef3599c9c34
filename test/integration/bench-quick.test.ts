/**
 * Keeps the benchmark from rotting: `npm run bench -- --quick` runs every part (P1–P5) on tiny sizes against the real
 * local cloud, into a temporary directory. Asserts the results files exist with every section and sane shapes; never a
 * timing (speed is for the benchmark to report, not for a test to assert).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResults } from '../../bench/report';
import { sizesFor } from '../../bench/sizes';

const root = join(__dirname, '..', '..');
const committed = join(root, 'bench', 'results.json');
let out: string;

function runBench(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'run.ts'), ...args], {
      cwd: root,
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'fmn-bench-test-'));
});

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
});

it('refuses an unknown part with one line and exit 2', async () => {
  const { code, stderr } = await runBench(['--quick', '--parts', 'p9', '--out', out]);
  expect(code).toBe(2);
  expect(stderr.trim().split('\n')).toEqual(['bench: unknown part p9; expected some of p1, p2, p3, p4, p5']);
  expect(existsSync(join(out, 'results.json'))).toBe(false);
});

it('runs every part on quick sizes and writes both results files, leaving the committed ones alone', async () => {
  const committedBefore = existsSync(committed) ? statSync(committed).mtimeMs : undefined;
  const sizes = sizesFor(true);

  const { code, stderr } = await runBench(['--quick', '--out', out]);

  expect({ code, stderr: code === 0 ? '' : stderr.slice(-3000) }).toEqual({ code: 0, stderr: '' });
  expect(existsSync(committed) ? statSync(committed).mtimeMs : undefined).toBe(committedBefore);
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchResults;
  const markdown = readFileSync(join(out, 'results.md'), 'utf8');

  // The machine and the date, in both files.
  expect(results.machine.node).toBe(process.versions.node);
  expect(results.machine.cpus).toBeGreaterThan(0);
  expect(Number.isNaN(Date.parse(results.date))).toBe(false);
  expect(results.quick).toBe(true);
  expect(markdown).toContain(`Node.js ${process.versions.node}, ${results.machine.cpus} CPUs`);
  for (const heading of ['## Verdicts', '## P1 handler overhead', '## P2 cold start', '## P3 erasure and export scaling', '## P4 local load', '## P5 console first screen', '## Notes']) {
    expect(markdown).toContain(heading);
  }
  // One verdict per target: warm KMS calls, P1, P2 size, P2 init, P3, P4, P5.
  expect(results.verdicts).toHaveLength(7);
  expect(results.verdicts[6]).toMatch(/^P5 console first screen: sign-in form visible [\d.]+ ms .* (met|\*\*MISSED\*\*); JavaScript \d+ KiB gzipped/);
  expect(results.verdicts[0]).toMatch(/^KMS calls on a warm repeat of .*: \d+ \(target 0\) (met|MISSED)/);

  // P1: every route, the quick number of timed calls, the SDK calls the baseline replays.
  const p1 = results.p1!;
  expect(p1.rows.map((r) => r.id)).toEqual(['register', 'login', 'getMe', 'putConsent', 'myConsents', 'createExportRequest']);
  for (const row of p1.rows) {
    expect(row.calls).toBe(sizes.p1Iterations);
    expect(row.handler.p50).toBeGreaterThan(0);
    expect(row.handler.p99).toBeGreaterThanOrEqual(row.handler.p50);
    expect(row.baseline.p50).toBeGreaterThan(0);
    expect(row.ratioP50).toBeCloseTo(row.handler.p50 / row.baseline.p50, 1);
    expect(Object.keys(row.sdkCalls).some((k) => k.startsWith('dynamodb.'))).toBe(true);
    expect(markdown).toContain(`| ${row.id} \``);
  }
  expect(p1.rows.find((r) => r.id === 'register')!.sdkCalls['kms.GenerateDataKey']).toBe(1);
  expect(p1.rows.find((r) => r.id === 'createExportRequest')!.sdkCalls['sqs.SendMessage']).toBe(1);

  // P2: the quick subset, bundled, sized and timed next to a clients-only bundle.
  const p2 = results.p2!;
  expect(p2.rows.map((r) => r.function)).toEqual(sizes.p2Functions);
  for (const row of p2.rows) {
    expect(row.bytes).toBeGreaterThan(row.baselineBytes);
    expect(row.meetsSizeTarget).toBe(row.bytes - row.baselineBytes <= p2.targetExtraBytes);
    expect(row.meetsInitTarget).toBe(row.initRatio <= p2.targetInitRatio);
    expect(row.initMs).toBeGreaterThan(0);
    expect(row.baselineInitMs).toBeGreaterThan(0);
    expect(row.largestInputs.length).toBeGreaterThan(0);
  }
  expect(p2.rows.find((r) => r.function === 'rights-request-worker')!.clients).toEqual(['dynamodb', 'kms', 'sqs', 's3']);
  expect(p2.rows.find((r) => r.function === 'get-me')!.clients).toEqual(['dynamodb', 'kms']);
  // health touches no store: no SDK client, measured against the DynamoDB-only reference instead of an empty bundle
  const health = p2.rows.find((r) => r.function === 'health')!;
  expect(health.clients).toEqual([]);
  expect(p2.referenceInitMs).toBeGreaterThan(0);
  expect(health.initRatio).toBeCloseTo((p2.referenceInitMs + health.initMs - health.baselineInitMs) / p2.referenceInitMs, 1);

  // P3: both sizes seeded in full, the subject built as asked, export and erasure timed through the worker.
  const p3 = results.p3!;
  expect(p3.levels.map((l) => l.otherSubjects)).toEqual(sizes.p3Levels);
  for (const level of p3.levels) {
    expect(level.seedItems).toBe((level.otherSubjects - (level === p3.levels[0] ? 0 : p3.levels[0].otherSubjects)) * p3.itemsPerOtherSubject);
    expect(level.exportMs).toHaveLength(sizes.p3Repeats);
    expect(level.erasureMs).toHaveLength(sizes.p3Repeats);
  }
  expect(p3.subjectItems).toMatchObject({
    sessions: sizes.p3Subject.sessions,
    consentEvents: sizes.p3Subject.consentEvents,
    analyticsEvents: sizes.p3Subject.analyticsEvents,
  });
  expect(p3.subjectItems.auditEntries).toBeGreaterThan(0);
  expect(p3.exportCalls['dynamodb.Query']).toBeGreaterThan(0);
  expect(p3.exportCalls['s3.PutObject']).toBe(2);
  expect(p3.erasureCalls['dynamodb.TransactWriteItems']).toBeGreaterThan(0);
  expect(p3.scans).toBeGreaterThanOrEqual(0);

  // P4: both routes loaded, and the write check done.
  const p4 = results.p4!;
  expect(p4.read.route).toBe('GET /v1/me');
  expect(p4.write.connections).toBe(sizes.p4Connections);
  expect(p4.write.ok2xx).toBeGreaterThan(0);
  expect(p4.writeCheck.accepted).toBe(p4.write.ok2xx);
  expect(p4.writeCheck.found).toBeGreaterThanOrEqual(p4.writeCheck.accepted);
  expect(p4.writeCheck.allPresent).toBe(true);

  // P5: every load timed on the page's clock and by the driver, and the script weighed as served.
  const p5 = results.p5!;
  expect(p5.loadsMs).toHaveLength(sizes.p5Loads);
  expect(p5.driverMs).toHaveLength(sizes.p5Loads);
  expect(p5.firstLoadMs).toBe(p5.loadsMs[0]);
  expect(p5.loadsMs.every((ms) => ms > 0)).toBe(true);
  expect(p5.meetsTarget).toBe(p5.maxMs < p5.targetMs);
  expect(p5.scriptGzipBytes).toBeGreaterThan(0);
  expect(p5.scriptGzipBytes).toBeLessThan(p5.scriptBytes);
  expect(p5.serverReadySeconds).toBeGreaterThan(0);
}, 900_000);
