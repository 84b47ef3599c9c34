/**
 * `fmn` as an operator runs it: the bin (bin/fmn.cjs) in a child process, `--local`, against a real local cloud on free
 * ports. A request filed through the API shows in `requests list --json`, `requests approve` queues it and the subject's
 * audit chain records the operator's command, the chains verify, the DLQ lists, and every command answers --help.
 */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../../cli/fmn';
import { apiClient, newPerson, PASSWORD, totpNow, type Json } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

const ROOT = join(__dirname, '..', '..');
const FMN = join(ROOT, 'bin', 'fmn.cjs');

let cloud: LocalCloudHandle;
let call: ReturnType<typeof apiClient>;

beforeAll(async () => {
  // Exports and erasures wait for an operator here, so there is something to approve.
  cloud = await startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12', RIGHTS_MODES: '{"export":"manual","erasure":"manual"}' });
  call = apiClient(cloud);
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** An operator's shell environment for this suite's cloud: its ports in the endpoint variables. */
const operatorShell = (): NodeJS.ProcessEnv => ({
  ...process.env,
  AWS_ENDPOINT_URL_DYNAMODB: cloud.endpoints.dynamodb,
  AWS_ENDPOINT_URL_SQS: cloud.endpoints.sqsS3,
  AWS_ENDPOINT_URL_S3: cloud.endpoints.sqsS3,
  AWS_ENDPOINT_URL_KMS: cloud.endpoints.kms,
  PASSWORD_SCRYPT_LOG_N: '12',
  NODE_NO_WARNINGS: '1',
});

/** `fmn …` through the bin, pointed at this suite's cloud the way an operator's shell would be (ports in the env). */
function fmn(args: readonly string[], input = '', extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      FMN,
      [...args],
      {
        cwd: ROOT,
        env: { ...operatorShell(), ...extraEnv },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(input);
  });
}

const jsonLines = (stdout: string): Json[] =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Json);

/** A subject with a manual request (an export unless said otherwise) waiting for an operator. */
async function subjectWithManualExport(request: Json = { type: 'export' }) {
  const person = newPerson();
  const registration = await call('POST', '/v1/accounts', { body: person });
  expect(registration.status).toBe(201);
  const token = registration.body.session.token as string;
  const created = await call('POST', '/v1/me/requests', { token, body: request });
  expect(created.status).toBe(202);
  expect(created.body).toMatchObject({ mode: 'manual', status: 'verified' });
  return { subjectId: registration.body.account.subjectId as string, token, requestId: created.body.requestId as string };
}

it('lists a filed request, approves it, and the audit trail shows the operator; the chains verify', async () => {
  const { subjectId, token, requestId } = await subjectWithManualExport();

  const listed = await fmn(['requests', 'list', '--local', '--json']);
  expect(listed.code).toBe(0);
  const mine = jsonLines(listed.stdout).find((r) => r.requestId === requestId);
  expect(mine).toMatchObject({ requestId, subjectId, type: 'export', status: 'verified', mode: 'manual' });
  // The table for people shows the same request.
  const table = await fmn(['requests', 'list', '--local', '--type', 'export']);
  expect(table.stdout).toMatch(new RegExp(`^${requestId}\\s+export\\s+verified\\s+manual`, 'm'));

  const approved = await fmn(['requests', 'approve', requestId, '--local', '--json']);
  expect(approved.code).toBe(0);
  expect(JSON.parse(approved.stdout)).toMatchObject({ requestId, status: 'queued' });
  // The worker takes it from the queue the command sent it to.
  const deadline = Date.now() + 45_000;
  let status = 'queued';
  while (['queued', 'in_progress'].includes(status) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    status = (await call('GET', `/v1/me/requests/${requestId}`, { token })).body.status;
  }
  expect(status).toBe('completed');

  // No longer open: a second approval is refused with one line, exit 1.
  const again = await fmn(['requests', 'approve', requestId, '--local']);
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/^error: Not possible in this state: [^\n]+\n$/);

  // An admin (made with `fmn admin create`) searches the subject's chain for the operator's entries.
  const email = `ops.${requestId.slice(0, 8)}@example.com`;
  const createdAdmin = await fmn(['admin', 'create', '--local', '--json', '--email', email, '--display-name', 'Ops'], `${PASSWORD}\n`);
  expect(createdAdmin.code).toBe(0);
  expect(JSON.parse(createdAdmin.stdout)).toMatchObject({ roles: ['subject', 'admin'] });
  expect(createdAdmin.stdout + createdAdmin.stderr).not.toContain(PASSWORD);
  // The admin role signs in with its second factor, the code of the authenticator enrolled by `admin create`.
  const { otpauthUri } = JSON.parse(createdAdmin.stdout) as { otpauthUri: string };
  const login = await call('POST', '/v1/sessions', { body: { email, password: PASSWORD, code: totpNow(otpauthUri) } });
  expect(login.status).toBe(201);
  const byCommand = await call('GET', `/v1/admin/audit?subjectId=${subjectId}&actorId=system:command:approveRequest`, { token: login.body.session.token });
  expect(byCommand.status).toBe(200);
  expect(byCommand.body.entries).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ action: 'update', actorRole: 'system', origin: 'command:approveRequest', outcome: 'success', fields: expect.arrayContaining(['rightsRequests.status']) }),
    ]),
  );
  expect(byCommand.body.entries.every((e: Json) => e.actorId === 'system:command:approveRequest')).toBe(true);
  // The listing was an access too, recorded on the subject's chain.
  const listing = await call('GET', `/v1/admin/audit?subjectId=${subjectId}&actorId=system:command:adminRequests`, { token: login.body.session.token });
  expect(listing.body.entries.length).toBeGreaterThanOrEqual(1);
  expect(listing.body.entries[0]).toMatchObject({ action: 'read', origin: 'command:adminRequests' });
  // The subject sees a service acted, not who.
  const seen = await call('GET', '/v1/me/audit?limit=50', { token });
  expect(seen.body.entries).toEqual(expect.arrayContaining([expect.objectContaining({ actor: 'service', origin: 'command:approveRequest' })]));

  const verified = await fmn(['audit', 'verify', '--local', '--json']);
  expect(verified.code).toBe(0);
  const reports = jsonLines(verified.stdout);
  expect(reports.length).toBeGreaterThanOrEqual(2);
  expect(reports.every((r) => r.ok === true)).toBe(true);
  const one = await fmn(['audit', 'verify', '--local', '--subject-id', subjectId, '--json']);
  expect(one.code).toBe(0);
  expect(jsonLines(one.stdout)).toEqual([expect.objectContaining({ ok: true, checked: expect.any(Number) })]);
}, 120_000);

it('rejects, extends and completes with the route\'s rules; refusals are one line', async () => {
  const first = await subjectWithManualExport();
  const extended = await fmn(['requests', 'extend', first.requestId, '--months', '2', '--reason', 'Several systems to search', '--local', '--json']);
  expect(extended.code).toBe(0);
  expect(JSON.parse(extended.stdout)).toMatchObject({ requestId: first.requestId, extension: { months: 2, reason: 'Several systems to search' } });
  const twice = await fmn(['requests', 'extend', first.requestId, '--months', '1', '--reason', 'Once more', '--local']);
  expect(twice).toMatchObject({ code: 1, stdout: '' });
  expect(twice.stderr).toMatch(/^error: [^\n]*extended[^\n]*\n$/i);

  const rejected = await fmn(['requests', 'reject', first.requestId, '--reason', 'Duplicate of an answered request', '--local', '--json']);
  expect(rejected.code).toBe(0);
  expect(JSON.parse(rejected.stdout)).toMatchObject({ status: 'rejected' });
  const subjectView = await call('GET', `/v1/me/requests/${first.requestId}`, { token: first.token });
  expect(subjectView.body.history.at(-1)).toMatchObject({ status: 'rejected', note: 'Duplicate of an answered request' });

  const rejectedList = await fmn(['requests', 'list', '--local', '--status', 'rejected', '--json']);
  expect(jsonLines(rejectedList.stdout).map((r) => r.requestId)).toContain(first.requestId);

  const second = await subjectWithManualExport();
  const completed = await fmn(['requests', 'complete', second.requestId, '--note', 'Sent by post as asked', '--evidence', 'post room:sent:registered letter', '--local', '--json']);
  expect(completed.code).toBe(0);
  expect(JSON.parse(completed.stdout)).toMatchObject({ status: 'completed' });

  const unknown = await fmn(['requests', 'approve', '6f1c2f0e-8a39-4f7e-9d1c-1b2c3d4e5f60', '--local']);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/^error: Request not found: [^\n]+\n$/);
}, 120_000);

it('dlq list works through the bin, as JSON and as a table', async () => {
  const asJson = await fmn(['dlq', 'list', '--local', '--json']);
  expect(asJson.code).toBe(0);
  expect(jsonLines(asJson.stdout)).toEqual([]);
  expect(asJson.stderr).toMatch(/0 message\(s\) listed/);
  const asTable = await fmn(['dlq', 'list', '--local']);
  expect(asTable).toMatchObject({ code: 0, stdout: '(none)\n' });
}, 60_000);

it('answers --help for every command of the program, and exit 2 for bad arguments', async () => {
  const paths: string[][] = [];
  const walk = (command: Command, prefix: string[]) => {
    for (const sub of command.commands) {
      paths.push([...prefix, sub.name()]);
      walk(sub, [...prefix, sub.name()]);
    }
  };
  walk(buildProgram(), []);
  expect(paths.length).toBeGreaterThanOrEqual(12);
  // A few at a time: each is a node process.
  for (let i = 0; i < paths.length; i += 4) {
    const runs = await Promise.all(paths.slice(i, i + 4).map((path) => fmn([...path, '--help']).then((run) => ({ path, run }))));
    for (const { path, run } of runs) {
      expect({ path, code: run.code }).toEqual({ path, code: 0 });
      expect(run.stdout).toContain(`Usage: fmn ${path.join(' ')}`);
      expect(run.stdout).toContain('Examples:');
    }
  }
  const bad = await fmn(['dlq', 'redrive', '--max', 'lots', '--local']);
  expect(bad.code).toBe(2);
  expect(bad.stderr.trim().split('\n')).toHaveLength(1);
}, 120_000);

it('--local ignores exported AWS names and profile; redrive and job runs change nothing on --dry-run, and redrive asks for --yes', async () => {
  // Arrange: a shell that has a production environment exported (names that do not exist locally, a profile).
  const exported = { RIGHTS_REQUESTS_TABLE_NAME: 'FmnStateful-prod-RightsRequests', AUDIT_TABLE_NAME: 'FmnStateful-prod-Audit', AWS_PROFILE: 'prod-nope' };
  const listed = await fmn(['requests', 'list', '--local', '--json'], '', exported);
  expect(listed).toMatchObject({ code: 0 });

  const refused = await fmn(['dlq', 'redrive', '--local']);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('pass --yes');
  const dry = await fmn(['dlq', 'redrive', '--local', '--dry-run']);
  expect(dry.code).toBe(0);
  expect(dry.stderr).toContain('dry run: would redrive');

  const job = await fmn(['job', 'run', 'retention', '--local', '--dry-run', '--json']);
  expect(job.code).toBe(0);
  const result = JSON.parse(job.stdout.trim().split('\n').at(-1)!);
  expect(result).toMatchObject({ job: 'retention', dryRun: true, result: { dryRun: true, complete: true } });
});

/**
 * `fmn …` on a pseudo-terminal (util-linux `script`), so that stdin is a TTY and fmn asks. The answer is typed only once
 * the question is on the screen, as a person would; resolves with the exit code and everything the terminal showed.
 */
function fmnOnTerminal(args: readonly string[], answer: string): Promise<{ code: number; screen: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', [FMN, ...args].join(' '), '/dev/null'], {
      cwd: ROOT,
      env: operatorShell(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let answered = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no answer from fmn on the terminal:\n${screen}`));
    }, 60_000);
    const onOutput = (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      if (!answered && screen.includes('Continue? [y/N]')) {
        answered = true;
        child.stdin.write(`${answer}\n`);
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code: code ?? 1, screen: screen.replace(/\r/g, '') });
    });
  });
}

it('asks on a terminal before approving an erasure: "n" changes nothing, "y" queues it', async () => {
  // Arrange: a manual erasure waiting for an operator.
  const { token, requestId } = await subjectWithManualExport({ type: 'erasure' });

  const declined = await fmnOnTerminal(['requests', 'approve', requestId, '--local'], 'n');
  expect(declined.code).toBe(1);
  expect(declined.screen).toMatch(new RegExp(`approve erasure request ${requestId} \\(verified → queued\\).*cannot be undone on local cloud\\. Continue\\? \\[y/N\\]`));
  expect(declined.screen).toContain('error: not confirmed: nothing was changed');
  expect((await call('GET', `/v1/me/requests/${requestId}`, { token })).body.status).toBe('verified');

  const confirmed = await fmnOnTerminal(['requests', 'approve', requestId, '--local'], 'y');
  expect(confirmed.code).toBe(0);
  expect(confirmed.screen).toMatch(new RegExp(`^requestId\\s+${requestId}$`, 'm'));
  expect(confirmed.screen).toMatch(/^status\s+queued$/m);
}, 120_000);

it('refuses to approve a rectification and names the command that completes it; the request is unchanged', async () => {
  const { token, requestId } = await subjectWithManualExport({ type: 'rectification', fields: ['profile.familyName'] });

  for (const extra of [[], ['--dry-run'], ['--yes']]) {
    const refused = await fmn(['requests', 'approve', requestId, '--local', ...extra]);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr).toBe(
      `error: request ${requestId} is a rectification: correct the data by hand, then run fmn requests complete ${requestId} --note "…" --evidence "…"\n`,
    );
  }
  expect((await call('GET', `/v1/me/requests/${requestId}`, { token })).body.status).toBe('verified');
}, 60_000);

it('names the table, queue or key an AWS error was about (a wrong name exported for a real endpoint), exit 1', async () => {
  // Arrange: no --local, so the names come from the environment, as for an AWS account; the endpoints are this cloud's.
  const aws = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'eu-west-1' };
  const names = { ...aws, AUDIT_TABLE_NAME: cloud.env.AUDIT_TABLE_NAME!, PSEUDONYM_KEY_ID: cloud.env.PSEUDONYM_KEY_ID! };

  const table = await fmn(['audit', 'verify'], '', { ...names, AUDIT_TABLE_NAME: 'fmn-no-such-audit' });
  expect(table).toEqual({ code: 1, stdout: '', stderr: 'error: AWS ResourceNotFoundException on fmn-no-such-audit: Cannot do operations on a non-existent table\n' });

  const queueUrl = `${cloud.endpoints.sqsS3}/000000000000/fmn-no-such-dlq`;
  const queue = await fmn(['dlq', 'list', '--json'], '', { ...aws, RIGHTS_REQUEST_DLQ_QUEUE_URL: queueUrl });
  expect(queue.code).toBe(1);
  expect(JSON.parse(queue.stderr)).toEqual({ error: { code: 'QueueDoesNotExist', message: expect.stringMatching(new RegExp(`^AWS QueueDoesNotExist on ${queueUrl}: `)) } });

  const key = await fmn(['audit', 'verify', '--subject-id', '6f1c2f0e-8a39-4f7e-9d1c-1b2c3d4e5f60'], '', { ...names, PSEUDONYM_KEY_ID: 'alias/fmn-no-such-key' });
  expect(key.code).toBe(1);
  expect(key.stderr).toMatch(/^error: AWS NotFoundException on alias\/fmn-no-such-key: [^\n]+\n$/);
}, 60_000);
