/**
 * The `fmn` program without any cloud: help on every command, exit code 2 and one line for bad arguments, the target
 * rules, and the shapes of table and --json output. The commands against real services are in test/integration/cli.test.ts.
 */
import type { Command } from 'commander';
import type { Io } from '../../cli/command';
import { CommandFailedError, confirm, UsageError } from '../../cli/command';
import { buildProgram, reportError, runFmn } from '../../cli/fmn';
import { InvalidTransitionError } from '../../lambdas/domain/rights';
import { formatTable, printRecord, printRows, progress, progressFormat } from '../../cli/output';
import { resourceOf } from '../../cli/aws-errors';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Readable, Writable } from 'node:stream';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { awsTargetDeps, localKeyId, localTableName, RESOURCE_ENV_VARS, statefulStackFor, useTarget, type TargetDeps } from '../../cli/target';

const stubDeps = (): TargetDeps => ({ checkAwsAccess: async () => undefined, describeStack: async () => undefined, stages: async () => ['dev', 'staging', 'prod'] });
import { describeMessage } from '../../cli/commands/dlq';
import { generateDataDocs } from '../../scripts/generate-data-docs';

jest.mock('../../scripts/generate-data-docs', () => ({ generateDataDocs: jest.fn() }));

function bufferIo(stdin = ''): Io & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  const { Readable } = require('node:stream') as typeof import('node:stream');
  return {
    out: (text) => void (out += text),
    err: (text) => void (err += text),
    stdin: Readable.from([stdin]),
    stderrIsTTY: false,
    stdout: () => out,
    stderr: () => err,
  };
}

async function fmn(...argv: string[]) {
  const io = bufferIo();
  const code = await runFmn(argv, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

/** Every command path of the program, e.g. ['requests', 'approve'], found by walking it (no hard-coded list). */
function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((sub) => {
    const path = [...prefix, sub.name()];
    return [path, ...commandPaths(sub, path)];
  });
}

const savedEnv = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

describe('help', () => {
  const paths = commandPaths(buildProgram(bufferIo()));

  it('finds the commands the issue asks for', () => {
    const names = paths.map((p) => p.join(' '));
    for (const expected of [
      'requests list', 'requests approve', 'requests reject', 'requests extend', 'requests complete', 'dlq list', 'dlq redrive',
      'audit verify', 'admin create', 'datamap', 'ropa', 'pseudonymize', 'seed-staging', 'breach-scope', 'deps check',
      'keys reshard',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it.each(paths.map((p) => [p.join(' '), p]))('fmn %s --help prints usage and examples, exit 0', async (_name, path) => {
    const result = await fmn(...(path as string[]), '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: fmn ${(path as string[]).join(' ')}`);
    const examples = /\nExamples:\n((?: {2}\$ .*\n)+)/.exec(result.stdout)?.[1] ?? '';
    expect(examples).toMatch(/^ {2}\$ .*\bfmn /m);
    // The target options are global and shown on every command.
    expect(result.stdout).toContain('--local');
    expect(result.stderr).toBe('');
  });

  it('fmn --help lists every top-level command', async () => {
    const result = await fmn('--help');
    expect(result.code).toBe(0);
    for (const sub of buildProgram(bufferIo()).commands) expect(result.stdout).toContain(sub.name());
  });
});

describe('bad arguments: one line on stderr, exit 2, nothing on stdout', () => {
  it.each([
    ['an unknown command', ['nope']],
    ['a group without its command', ['dlq']],
    ['an unknown subcommand', ['dlq', 'purge']],
    ['an unknown option', ['requests', 'list', '--colour']],
    ['a zero --max', ['dlq', 'redrive', '--max', '0']],
    ['a fractional --max', ['dlq', 'redrive', '--max', '1.5']],
    ['an unknown status', ['requests', 'list', '--status', 'lost']],
    ['an unknown type', ['requests', 'list', '--type', 'deletion']],
    ['a request id that is not a UUID', ['requests', 'approve', 'not-a-uuid', '--local']],
    ['a missing request id', ['requests', 'approve']],
    ['--months 3', ['requests', 'extend', '6f1c2f0e-8a39-4f7e-9d1c-1b2c3d4e5f60', '--months', '3', '--reason', 'complex case']],
    ['a missing --reason', ['requests', 'reject', '6f1c2f0e-8a39-4f7e-9d1c-1b2c3d4e5f60']],
    ['a too short reason', ['requests', 'reject', '6f1c2f0e-8a39-4f7e-9d1c-1b2c3d4e5f60', '--reason', 'no']],
    ['an invalid email', ['admin', 'create', '--email', 'not-an-email', '--display-name', 'DPO']],
    ['a missing --display-name', ['admin', 'create', '--email', 'dpo@example.com']],
    ['both --chain and --subject-id', ['audit', 'verify', '--chain', 'system', '--subject-id', '6f1c2f0e-8a39-4f7e-9d1c-1b2c3d4e5f60']],
    ['a --subject-id that is not a UUID', ['audit', 'verify', '--subject-id', 'ada@example.com']],
    ['--local with --profile', ['audit', 'verify', '--local', '--profile', 'prod']],
  ])('%s', async (_what, argv) => {
    const result = await fmn(...argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/); // no stack trace
  });

  it('names the missing resource variables for an AWS target, and the way out', async () => {
    delete process.env.AUDIT_TABLE_NAME;
    delete process.env.PSEUDONYM_KEY_ID;
    process.env.AWS_ACCESS_KEY_ID = 'unit';
    process.env.AWS_SECRET_ACCESS_KEY = 'unit';
    const result = await fmn('audit', 'verify', '--region', 'eu-central-1');
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: no target: pass --stage <stage> (or --stack <name>, or --env <name> from fmn.config.json), set AUDIT_TABLE_NAME, PSEUDONYM_KEY_ID, or use --local\n',
    });
  });

  it('names a missing region or credentials (exit 2), as JSON with --json; a stack only with FMN_DEBUG=1', async () => {
    const none = join(tmpdir(), 'fmn-no-such-aws-file');
    for (const k of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'FMN_ENV']) delete process.env[k];
    Object.assign(process.env, { AWS_CONFIG_FILE: none, AWS_SHARED_CREDENTIALS_FILE: none, AWS_EC2_METADATA_DISABLED: 'true' });
    expect(await fmn('audit', 'verify')).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(/^error: no AWS region: pass --region.*\n$/) });
    const json = await fmn('audit', 'verify', '--region', 'eu-west-1', '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stderr)).toEqual({ error: { code: 'config', message: expect.stringMatching(/^no AWS credentials/) } });
    expect(await fmn('audit', 'verify', '--profile', 'nope')).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(/^error: unknown AWS profile 'nope'/) });
    process.env.FMN_DEBUG = '1';
    expect((await fmn('audit', 'verify')).stderr).toMatch(/\bat .+:\d+:\d+/);
  });

  it('npm start -- --bogus: one line, exit 2, no stack (FMN_DEBUG=1 adds it)', () => {
    const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
    const start = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', 'local', 'start.ts'), '--bogus'], { env: { ...process.env, ...env }, encoding: 'utf8' });
    const plain = start({});
    expect(plain.status).toBe(2);
    expect(plain.stderr).toBe("npm start: Unknown option '--bogus' (see npm start -- --help)\n");
    expect(start({ FMN_DEBUG: '1' }).stderr).toMatch(/\bat .+:\d+:\d+/);
  });

  it('progress bars show percent, units and time left', () => {
    expect(progressFormat('redrive', 'messages')).toBe('redrive [{bar}] {percentage}% | {value}/{total} messages | ETA {eta_formatted}');
  });

  it('a progress bar drawn on a terminal reads "50% | 500/1000 bytes | ETA 10s" halfway through after 10 s', () => {
    // Arrange: a terminal that keeps what is drawn on it, and a clock under the test's control.
    jest.useFakeTimers({ now: new Date('2027-01-01T00:00:00Z') });
    let screen = '';
    const terminal = Object.assign(new Writable({ write: (chunk, _encoding, done) => ((screen += String(chunk)), done()) }), { isTTY: true, columns: 120 });
    try {
      const bar = progress({ ...bufferIo(), stderrIsTTY: true }, 'seed', 1000, 'bytes', terminal);
      jest.advanceTimersByTime(10_000);
      bar.increment(500);
      jest.advanceTimersByTime(1_000); // the next redraw
      expect(screen).toMatch(/seed \[[^\]]+\] 50% \| 500\/1000 bytes \| ETA 1[01]s/);
      bar.stop();
    } finally {
      jest.useRealTimers();
    }
    // Not a terminal (a pipe, a log, CI): nothing is drawn at all.
    screen = '';
    progress(bufferIo(), 'seed', 1000, 'bytes', terminal).increment(500);
    expect(screen).toBe('');
  });

  it('an unknown stage is exit 2, listing the stages; --version prints the package version', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'unit';
    process.env.AWS_SECRET_ACCESS_KEY = 'unit';
    expect(await fmn('audit', 'verify', '--stage', 'prdo', '--region', 'eu-west-1')).toEqual({
      code: 2,
      stdout: '',
      stderr: "error: unknown stage 'prdo': one of dev, staging, prod\n",
    });
    const version = await fmn('--version');
    expect(version).toEqual({ code: 0, stdout: `${require('../../package.json').version}\n`, stderr: '' });
    const usage = await fmn('requests', 'list', '--bogus', '--json');
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stderr)).toEqual({ error: { code: 'usage', message: expect.stringContaining("unknown option '--bogus'") } });
  });

  it('does not echo a rejected email back', async () => {
    const result = await fmn('admin', 'create', '--email', 'ada.lovelace@@example', '--display-name', 'Ada');
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('lovelace');
  });
});

describe('failures while running: one line, exit 1', () => {
  const report = (error: unknown) => {
    const io = bufferIo();
    return { code: reportError(error, io), stderr: io.stderr() };
  };

  it('a domain refusal in the words the API uses', () => {
    expect(report(new InvalidTransitionError('completed', 'queued'))).toEqual({
      code: 1,
      stderr: 'error: Not possible in this state: A request that is completed cannot become queued.\n',
    });
  });

  it('a finding (broken chain) as its message', () => {
    expect(report(new CommandFailedError('2 audit chain(s) broken'))).toEqual({ code: 1, stderr: 'error: 2 audit chain(s) broken\n' });
  });

  it('a cloud that is not running, with what to check', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
    expect(report(refused).stderr).toMatch(/^error: connect ECONNREFUSED 127\.0\.0\.1:8000: is the local cloud running .*\n$/);
  });

  it('an AWS error with the table, queue or key of its call (cli/aws-errors.ts notes it)', () => {
    const error = Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException', $metadata: {}, fmnResource: 'prod-audit' });
    expect(report(error)).toEqual({ code: 1, stderr: 'error: AWS ResourceNotFoundException on prod-audit: Requested resource not found\n' });
  });

  it('refused or expired credentials are a setting to fix: exit 2, saying what to do', () => {
    const expired = Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredTokenException', $metadata: {} });
    expect(report(expired)).toEqual({ code: 2, stderr: expect.stringMatching(/^error: AWS refused the credentials \(ExpiredTokenException\): refresh them/) });
  });

  it('anything else as class and message on one line, without the stack', () => {
    const error = new TypeError('first line\nsecond line');
    expect(report(error)).toEqual({ code: 1, stderr: 'error: TypeError: first line second line\n' });
  });
});

describe('targets', () => {
  it('--local names what npm start provisions and points the SDK at its ports', async () => {
    const env: NodeJS.ProcessEnv = { KMS_PORT: '4700' };
    const target = await useTarget({ local: true }, { tables: ['audit'], keys: ['pseudonymKey'] }, env, stubDeps());
    expect(target.kind).toBe('local');
    expect(env).toMatchObject({
      AUDIT_TABLE_NAME: localTableName('audit'),
      RIGHTS_REQUESTS_TABLE_NAME: 'fmn-local-rightsRequests',
      PSEUDONYM_KEY_ID: localKeyId('pseudonymKey'),
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      AWS_ENDPOINT_URL_KMS: 'http://127.0.0.1:4700',
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4566',
      AWS_REGION: 'eu-west-1',
      // the local cloud's shard count (lambdas/runtime/index-shards.ts)
      INDEX_SHARDS: '4',
    });
  });

  it('--local keeps endpoints already set (as the integration tests set them) but ignores exported AWS names and credentials', async () => {
    const env: NodeJS.ProcessEnv = {
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:39999',
      AUDIT_TABLE_NAME: 'prod-audit',
      RIGHTS_REQUEST_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/prod',
      AWS_PROFILE: 'prod',
      AWS_ACCESS_KEY_ID: 'AKIAREAL',
    };
    await useTarget({ local: true }, {}, env, stubDeps());
    expect(env.AWS_ENDPOINT_URL_DYNAMODB).toBe('http://127.0.0.1:39999');
    expect(env.AUDIT_TABLE_NAME).toBe('fmn-local-audit');
    expect(env.RIGHTS_REQUEST_QUEUE_URL).toBeUndefined();
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(env.AWS_ACCESS_KEY_ID).toBe('local');
  });

  it('--stage names the stack FmnStateful-<stage> (as lib/ does), and every name comes from its outputs', async () => {
    const { statefulStackName } = await import('../../lib/stateful-stack');
    expect(statefulStackFor('prod')).toBe(statefulStackName('prod'));
    const cfn = mockClient(CloudFormationClient);
    cfn.on(DescribeStacksCommand, { StackName: 'FmnStateful-staging' }).resolves({
      Stacks: [
        {
          StackName: 'FmnStateful-staging',
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: [
            { OutputKey: 'AUDITTABLENAME', OutputValue: 'stg-audit', Description: 'AUDIT_TABLE_NAME' },
            { OutputKey: 'PSEUDONYMKEYID', OutputValue: 'arn:aws:kms:eu-west-1:1:key/p', Description: 'PSEUDONYM_KEY_ID' },
            { OutputKey: 'INDEXSHARDS', OutputValue: '64', Description: 'INDEX_SHARDS' },
          ],
          Tags: [{ Key: 'fmn:stage', Value: 'staging' }],
        },
      ],
    });
    cfn.on(DescribeStacksCommand, { StackName: 'FmnStateful-dev' }).rejects(Object.assign(new Error('Stack with id FmnStateful-dev does not exist'), { name: 'ValidationError' }));
    try {
      const env: NodeJS.ProcessEnv = { AUDIT_TABLE_NAME: 'exported-other-env', USERS_TABLE_NAME: 'exported-users', INDEX_SHARDS: '4' };
      const deps = { ...awsTargetDeps, checkAwsAccess: async () => undefined };
      const target = await useTarget({ stage: 'staging', region: 'eu-west-1' }, { tables: ['audit'], keys: ['pseudonymKey'] }, env, deps);
      expect(target).toMatchObject({ kind: 'aws', stage: 'staging', stack: 'FmnStateful-staging' });
      // the stage's shard count of the index keys comes with the names
      expect(env).toMatchObject({ AUDIT_TABLE_NAME: 'stg-audit', PSEUDONYM_KEY_ID: 'arn:aws:kms:eu-west-1:1:key/p', INDEX_SHARDS: '64' });
      expect(env.USERS_TABLE_NAME).toBeUndefined(); // not an output of this stack: exported names do not mix in
      await expect(useTarget({ stage: 'dev' }, {}, {}, deps)).rejects.toThrow(/no stack 'FmnStateful-dev'/);
    } finally {
      cfn.restore();
    }
  });

  it('a named environment of fmn.config.json gives profile, region and stage; flags win', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fmn-config-'));
    const file = join(dir, 'fmn.config.json');
    writeFileSync(file, JSON.stringify({ environments: { stg: { region: 'eu-central-1', stage: 'staging' } } }));
    const described: string[] = [];
    const deps = {
      checkAwsAccess: async () => undefined,
      stages: async () => ['dev', 'staging', 'prod'],
      describeStack: async (name: string) => (described.push(name), { outputs: { AUDITTABLENAME: 'a' }, tags: {} }),
    };
    const env: NodeJS.ProcessEnv = { FMN_CONFIG: file };
    expect(await useTarget({ env: 'stg' }, { tables: ['audit'] }, env, deps)).toMatchObject({ stage: 'staging' });
    expect(env.AWS_REGION).toBe('eu-central-1');
    await useTarget({ env: 'stg', region: 'eu-west-1', stage: 'dev' }, {}, env, deps);
    expect(env.AWS_REGION).toBe('eu-west-1');
    expect(described).toEqual(['FmnStateful-staging', 'FmnStateful-dev']);
    await expect(useTarget({ env: 'nope' }, {}, env, deps)).rejects.toThrow(/unknown environment 'nope'.*one of stg/);
  });

  it('AWS: --profile and --region become the SDK settings; names come from the environment', async () => {
    const env: NodeJS.ProcessEnv = { AUDIT_TABLE_NAME: 'prod-audit', PSEUDONYM_KEY_ID: 'arn:aws:kms:eu-west-1:1:key/x' };
    const target = await useTarget({ region: 'eu-west-1' }, { tables: ['audit'], keys: ['pseudonymKey'] }, { ...env, AWS_PROFILE: 'ops' } as never, stubDeps());
    expect(target).toEqual({ kind: 'aws', description: 'AWS (ops, eu-west-1)', stage: undefined, stack: undefined });
    Object.assign(env, { AWS_PROFILE: 'ops', AWS_REGION: 'eu-west-1' });
    expect(env).toMatchObject({ AWS_PROFILE: 'ops', AWS_REGION: 'eu-west-1', AUDIT_TABLE_NAME: 'prod-audit' });
    expect(env.AWS_ENDPOINT_URL_DYNAMODB).toBeUndefined();
  });

  it('AWS: the DLQ variable scripts/dlq.ts documented still works', async () => {
    const env: NodeJS.ProcessEnv = { RIGHTS_REQUEST_DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/1/dlq' };
    await useTarget({}, { queues: ['rightsRequestDlq'] }, env, stubDeps());
    expect(env.RIGHTS_REQUEST_DLQ_QUEUE_URL).toBe('https://sqs.eu-west-1.amazonaws.com/1/dlq');
  });
});

describe('output', () => {
  const rows = [
    { id: 'a1', count: 3, extra: { months: 1 } },
    { id: 'b22', count: 12, extra: undefined },
  ];
  const columns = [
    { header: 'id', value: (r: (typeof rows)[number]) => r.id },
    { header: 'count', value: (r: (typeof rows)[number]) => r.count },
    { header: 'extra', value: (r: (typeof rows)[number]) => r.extra },
  ];

  it('--json prints one parseable object per line, whole rows', () => {
    const io = bufferIo();
    printRows(io, true, rows, columns);
    expect(io.stdout().trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual([{ id: 'a1', count: 3, extra: { months: 1 } }, { id: 'b22', count: 12 }]);
  });

  it('tables align columns under capitalised headers, without trailing spaces', () => {
    const io = bufferIo();
    printRows(io, false, rows, columns);
    expect(io.stdout()).toBe('ID   COUNT  EXTRA\na1   3      {"months":1}\nb22  12\n');
    expect(formatTable(['x'], [])).toBe('X\n');
  });

  it('an empty listing says so for people and prints nothing for scripts', () => {
    const people = bufferIo();
    printRows(people, false, [], columns);
    expect(people.stdout()).toBe('(none)\n');
    const scripts = bufferIo();
    printRows(scripts, true, [], columns);
    expect(scripts.stdout()).toBe('');
  });

  it('a record is key/value lines, or one JSON line', () => {
    const people = bufferIo();
    printRecord(people, false, { subjectId: 's-1', roles: ['subject', 'admin'] });
    expect(people.stdout()).toBe('subjectId  s-1\nroles      ["subject","admin"]\n');
    const scripts = bufferIo();
    printRecord(scripts, true, { subjectId: 's-1', roles: ['subject', 'admin'] });
    expect(JSON.parse(scripts.stdout())).toEqual({ subjectId: 's-1', roles: ['subject', 'admin'] });
  });
});

describe('fmn datamap / ropa', () => {
  // The generator itself is tested in data-docs.test.ts; here only how the commands drive it and report.
  const generate = jest.mocked(generateDataDocs);
  beforeEach(() => generate.mockReset());

  it('ropa --check asks for the ropa target without writing; stale files are listed and exit 1', async () => {
    generate.mockReturnValue(['docs/ropa.md']);
    const result = await fmn('ropa', '--check', '--json');
    expect(generate).toHaveBeenCalledWith(['ropa'], { check: true });
    expect(result.code).toBe(1);
    expect(result.stdout.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual([{ file: 'docs/ropa.md', state: 'stale' }]);
    // --json: the error is JSON too
    expect(JSON.parse(result.stderr)).toEqual({ error: { code: 'failed', message: '1 file(s) stale: run `fmn ropa` and commit the result' } });
  });

  it('datamap writes the datamap target and lists what it wrote', async () => {
    generate.mockReturnValue(['docs/data-map.md', 'README.md']);
    const result = await fmn('datamap');
    expect(generate).toHaveBeenCalledWith(['datamap'], { check: false });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('FILE              STATE\ndocs/data-map.md  written\nREADME.md         written\n');
  });

  it('fresh files: exit 0 and nothing on stdout for people', async () => {
    generate.mockReturnValue([]);
    const result = await fmn('datamap', '--check');
    expect(result).toEqual({ code: 0, stdout: '', stderr: 'every file is fresh\n' });
  });
});

describe('dlq listing shows ids only', () => {
  it('shows kind and requestId of a job, nothing else of a body', () => {
    const listed = describeMessage({
      MessageId: 'm-1',
      Body: JSON.stringify({ kind: 'export', requestId: 'r-1', email: 'ada@example.com' }),
      Attributes: { ApproximateReceiveCount: '5', SentTimestamp: '1795917739930' },
    });
    expect(listed).toEqual({ messageId: 'm-1', receiveCount: 5, sentAt: '2026-11-29T02:02:19.930Z', kind: 'export', requestId: 'r-1' });
  });

  it("shows a breach-scope job's incident id, and nothing else of its body", () => {
    const listed = describeMessage({
      MessageId: 'm-4',
      Body: JSON.stringify({ kind: 'breach-scope', incidentId: 'i-1', jobId: 'j-1', note: 'ada@example.com' }),
      Attributes: { ApproximateReceiveCount: '5' },
    });
    expect(listed).toEqual({ messageId: 'm-4', receiveCount: 5, sentAt: undefined, kind: 'breach-scope', requestId: undefined, incidentId: 'i-1' });
    expect(describeMessage({ MessageId: 'm-5', Body: JSON.stringify({ kind: 'breach-scope', incidentId: 'x@y.z' }) })).not.toHaveProperty('incidentId');
  });

  it('marks bodies that are not JSON, or fields that are not id-like, unreadable', () => {
    expect(describeMessage({ MessageId: 'm-2', Body: 'erase ada@example.com' })).toMatchObject({ kind: 'unreadable', requestId: undefined });
    expect(describeMessage({ MessageId: 'm-3', Body: JSON.stringify({ kind: 'bob@example.net', requestId: 'a b' }) })).toMatchObject({
      kind: 'unreadable',
      requestId: undefined,
    });
  });
});

describe('resourceOf: what an SDK call was about, for its error', () => {
  it.each([
    ['a table', { TableName: 'prod-users', Key: { subjectId: 's-1' } }, 'prod-users'],
    ['a queue', { QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/dlq', MaxNumberOfMessages: 10 }, 'https://sqs.eu-west-1.amazonaws.com/1/dlq'],
    ['a key', { KeyId: 'alias/fmn/pseudonym', Message: 'x' }, 'alias/fmn/pseudonym'],
    ['every table of a transaction, once each', { TransactItems: [{ Put: { TableName: 'a' } }, { Update: { TableName: 'b' } }, { ConditionCheck: { TableName: 'a' } }] }, 'a, b'],
    ['every table of a batch', { RequestItems: { a: [], b: [] } }, 'a, b'],
    ['nothing named', { Limit: 1 }, undefined],
  ])('%s', (_what, input, expected) => {
    expect(resourceOf(input)).toBe(expected);
  });
});

describe('confirm: the question before an action that cannot be undone', () => {
  /** An Io whose stdin is a terminal on which the operator types `typed`. */
  const terminalIo = (typed: string) => {
    const io = bufferIo();
    return { ...io, stdin: Object.assign(Readable.from([typed]), { isTTY: true }) };
  };

  it.each([['y\n'], ['yes\n'], [' Y \n']])('goes ahead on %j', async (typed) => {
    const io = terminalIo(typed);
    await expect(confirm(io, 'erase request r-1', undefined)).resolves.toBeUndefined();
    expect(io.stderr()).toBe('erase request r-1. Continue? [y/N] ');
  });

  it.each([['n\n'], ['\n'], ['yep\n'], ['']])('refuses on %j (Enter or end of input is a no): exit 1, nothing changed', async (typed) => {
    const io = terminalIo(typed);
    const refused = confirm(io, 'erase request r-1', undefined);
    await expect(refused).rejects.toThrow(CommandFailedError);
    await expect(refused).rejects.toThrow('not confirmed: nothing was changed');
  });

  it('--yes does not ask; without a terminal and without --yes it refuses with exit 2 and never reads stdin', async () => {
    const io = terminalIo('n\n');
    await expect(confirm(io, 'redrive 3 message(s)', true)).resolves.toBeUndefined();
    expect(io.stderr()).toBe('');
    const piped = bufferIo('y\n');
    await expect(confirm(piped, 'redrive 3 message(s)', undefined)).rejects.toThrow(UsageError);
    await expect(confirm(piped, 'redrive 3 message(s)', undefined)).rejects.toThrow(/pass --yes to confirm/);
  });
});

describe('seed-staging refuses production before it reads or writes a table', () => {
  const outputs = RESOURCE_ENV_VARS.map((name) => ({ OutputKey: name.replace(/_/g, ''), OutputValue: `x-${name}` }));
  const stack = (name: string, tags: Record<string, string>) => ({
    Stacks: [{ StackName: name, CreationTime: new Date(), StackStatus: 'UPDATE_COMPLETE' as const, Outputs: outputs, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }],
  });
  let cfn: ReturnType<typeof mockClient>;
  let ddb: ReturnType<typeof mockClient>;
  let ddbDocs: ReturnType<typeof mockClient>;
  let dump: string;

  beforeEach(() => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'unit', AWS_SECRET_ACCESS_KEY: 'unit' });
    for (const k of ['AWS_PROFILE', 'FMN_ENV']) delete process.env[k];
    cfn = mockClient(CloudFormationClient);
    cfn.on(DescribeStacksCommand, { StackName: 'FmnStateful-prod' }).resolves(stack('FmnStateful-prod', { 'fmn:stage': 'prod' }));
    cfn.on(DescribeStacksCommand, { StackName: 'FmnStateful-blue' }).resolves(stack('FmnStateful-blue', { 'fmn:stage': 'prod' }));
    cfn.on(DescribeStacksCommand, { StackName: 'HandMade' }).resolves(stack('HandMade', {}));
    ddb = mockClient(DynamoDBClient);
    ddbDocs = mockClient(DynamoDBDocumentClient);
    dump = join(mkdtempSync(join(tmpdir(), 'fmn-seed-')), 'staging.jsonl');
    writeFileSync(dump, '');
  });
  afterEach(() => {
    cfn.restore();
    ddb.restore();
    ddbDocs.restore();
  });

  it.each([
    ['--stage prod', ['--stage', 'prod'], "refusing to seed AWS (eu-west-1, FmnStateful-prod): it is production (stage prod)"],
    ['a stack tagged fmn:stage=prod', ['--stack', 'FmnStateful-blue'], "refusing to seed AWS (eu-west-1, FmnStateful-blue): it is production (stage prod)"],
    ['a stack without the tag', ['--stack', 'HandMade'], "refusing to seed stack 'HandMade': it has no fmn:stage tag (the app tags the stacks it deploys), so fmn cannot tell it is not production"],
    ['exported names only (no stage to tell)', [], 'name the target with --stage, --stack or --env, so that fmn can tell it is not production'],
  ])('%s: exit 2, one line, no table touched (even with --yes)', async (_what, targetArgs, message) => {
    if (targetArgs.length === 0) for (const name of RESOURCE_ENV_VARS) process.env[name] = `x-${name}`;
    const result = await fmn('seed-staging', dump, ...targetArgs, '--region', 'eu-west-1', '--yes');
    expect(result).toEqual({ code: 2, stdout: '', stderr: `error: ${message}\n` });
    expect(ddb.calls()).toHaveLength(0);
    expect(ddbDocs.calls()).toHaveLength(0);
  });

  it('a named environment whose stage is prod, and as JSON with --json', async () => {
    const config = join(mkdtempSync(join(tmpdir(), 'fmn-config-')), 'fmn.config.json');
    writeFileSync(config, JSON.stringify({ environments: { live: { region: 'eu-west-1', stage: 'prod' } } }));
    process.env.FMN_CONFIG = config;
    const result = await fmn('seed-staging', dump, '--env', 'live', '--yes', '--json');
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stderr)).toEqual({ error: { code: 'config', message: 'refusing to seed AWS (eu-west-1, FmnStateful-prod): it is production (stage prod)' } });
    expect(ddbDocs.calls()).toHaveLength(0);
  });
});
