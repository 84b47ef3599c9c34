/**
 * The thin `fmn pseudonymize`, `fmn seed-staging` and `fmn breach-scope` commands without a cloud: a run end to end on
 * files, and bad arguments or a missing key as one line with exit 2. Seeding and breach scope against real services are in
 * test/integration (pseudonymize.test.ts, breach-scope.test.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Io } from '../../cli/command';
import { registerBreachScope } from '../../cli/commands/breach-scope';
import { registerPseudonymize } from '../../cli/commands/pseudonymize';
import { registerSeedStaging } from '../../cli/commands/seed-staging';
import { buildProgram, reportError } from '../../cli/fmn';
import { PSEUDONYMIZE_KEY_ENV } from '../../ops/pseudonym-key';

let dir: string;
const savedEnv = { ...process.env };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fmn-pseudo-cli-'));
  delete process.env[PSEUDONYMIZE_KEY_ENV];
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

async function fmn(...argv: string[]) {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), stdin: Readable.from(['']), stderrIsTTY: false };
  const program = buildProgram(io, [registerPseudonymize, registerSeedStaging, registerBreachScope]);
  let code = 0;
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    code = reportError(error, io);
  }
  return { code, stdout: out, stderr: err };
}

function dump(): { path: string; subjectId: string } {
  const subjectId = randomUUID();
  const path = join(dir, 'dump.jsonl');
  writeFileSync(path, `${JSON.stringify({ store: 'sessions', item: { tokenHash: randomBytes(32).toString('hex'), subjectId, roles: ['subject'] } })}\n`);
  return { path, subjectId };
}

describe('fmn pseudonymize', () => {
  it('writes the pseudonymised copy with a key file and prints a JSON summary', async () => {
    const { path, subjectId } = dump();
    const keyFile = join(dir, 'staging.key');
    writeFileSync(keyFile, randomBytes(32).toString('hex'));
    const output = join(dir, 'out.jsonl');

    const result = await fmn('pseudonymize', path, output, '--key-file', keyFile, '--json');

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({ output, lines: 1, items: { sessions: 1 }, droppedFields: {} });
    const written = readFileSync(output, 'utf8');
    expect(written).not.toContain(subjectId);
    expect(JSON.parse(written).item.roles).toEqual(['subject']);
  });

  it('refuses to run without a key, with one line and exit 2', async () => {
    const { path } = dump();
    const result = await fmn('pseudonymize', path, join(dir, 'out.jsonl'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: a pseudonymisation key is required.*no default key.*\n$/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('reports an undeclared field as one line naming the field, exit 2', async () => {
    process.env[PSEUDONYMIZE_KEY_ENV] = randomBytes(32).toString('base64');
    const path = join(dir, 'bad.jsonl');
    writeFileSync(path, `${JSON.stringify({ store: 'sessions', item: { tokenHash: 'ab', secretNote: 'do not print me' } })}\n`);
    const result = await fmn('pseudonymize', path, join(dir, 'out.jsonl'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sessions.secretNote');
    expect(result.stderr).not.toContain('do not print me');
  });
});

describe('bad arguments are one line and exit 2', () => {
  it.each([
    [['breach-scope', '--store', 'payments', '--from', '2026-01-01', '--to', '2026-01-02', '--local']],
    [['breach-scope', '--store', 'users', '--from', '2026-01-01', '--local']],
    [['seed-staging', '--local']],
    [['pseudonymize', 'only-input.jsonl']],
    [['seed-staging', 'x.jsonl', '--include', 'payments', '--local']],
  ])('fmn %j', async (argv) => {
    const result = await fmn(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a window that ends before it starts', async () => {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = 'http://127.0.0.1:9';
    process.env.AWS_ENDPOINT_URL_KMS = 'http://127.0.0.1:9';
    const result = await fmn('breach-scope', '--local', '--store', 'users', '--from', '2026-01-02', '--to', '2026-01-01');
    expect(result).toMatchObject({ code: 2, stderr: 'error: --from must not be after --to\n' });
  });
});
