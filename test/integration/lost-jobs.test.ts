/**
 * A request committed as queued whose job message was never sent: the process that committed it is killed (SIGKILL, through
 * FMN_FAULT_KILL_AT) right after the commit, once as a subject's create-request invocation and once as the retention job.
 * The request is then queued with no message, and stays so; the resendLostJobs schedule (run on demand with
 * `scripts/run-job.ts`) leaves it alone while it is younger than its threshold, sends its job again after, and the worker
 * of the local cloud carries it out.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KILL_AT_ENV } from '../../local/faults';
import { apiClient, documentClient, newPerson, runOpsCommand, type CommandResult, type Json } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';
import { lastLoginMonthsAgo, userItem } from './helpers/retention';
import { settled } from './helpers/rights';

const DAY = 86_400_000;
const KILL_AFTER_COMMIT = { [KILL_AT_ENV]: 'request-committed' };

let cloud: LocalCloudHandle;
let db: DynamoDBDocumentClient;
let sqs: SQSClient;
let call: ReturnType<typeof apiClient>;

beforeAll(async () => {
  cloud = await startLocalCloudProcess([], {
    PASSWORD_SCRYPT_LOG_N: '12',
    // The cloud's own scheduler runs every job at start only; the suite runs the re-send job itself, when it means to.
    LOCAL_SCHEDULE_SECONDS: '86400',
  });
  db = documentClient(cloud);
  sqs = new SQSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.sqsS3, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  call = apiClient(cloud);
});

afterAll(async () => {
  db?.destroy();
  sqs?.destroy();
  await cloud?.stop();
});

/** Runs one route handler in its own process with the cloud's environment (helpers/invoke-route.ts). */
function invokeRoute(routeId: string, subjectId: string, body: unknown, env: Record<string, string>): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'helpers', 'invoke-route.ts'), routeId, subjectId, JSON.stringify(body)],
      { env: { ...process.env, ...cloud.env, PASSWORD_SCRYPT_LOG_N: '12', ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr, ...(error?.signal ? { signal: error.signal } : {}) }),
    );
  });
}

async function resendLostJobs(): Promise<{ counts: Record<string, number>; complete: boolean; stdout: string }> {
  const run = await runOpsCommand(cloud, 'run-job', ['resendLostJobs'], '', cloud.env);
  if (run.code !== 0) throw new Error(`resendLostJobs exited ${run.code}: ${run.stderr.slice(-800)}`);
  const line = run.stdout.split('\n').find((l) => l.startsWith('JOB_RESULT '))!;
  return { ...JSON.parse(line.slice('JOB_RESULT '.length)), stdout: run.stdout };
}

async function queueDepth(): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: cloud.env.RIGHTS_REQUEST_QUEUE_URL,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  return Object.values(Attributes).reduce((sum, n) => sum + Number(n), 0);
}

const requestItem = async (requestId: string): Promise<Json | undefined> =>
  (await db.send(new GetCommand({ TableName: cloud.env.RIGHTS_REQUESTS_TABLE_NAME, Key: { requestId }, ConsistentRead: true }))).Item;

/** Arrange: the request's last change moved back, as if the minutes had passed (the job reads the real clock). */
async function quietFor(requestId: string, minutes: number): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: cloud.env.RIGHTS_REQUESTS_TABLE_NAME,
      Key: { requestId },
      UpdateExpression: 'SET updatedAt = :at',
      ConditionExpression: '#s = :queued',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':at': new Date(Date.now() - minutes * 60_000).toISOString(), ':queued': 'queued' },
    }),
  );
}

/** The request is queued and no message for it exists: the queue is empty and the worker, polling it, never moves it. */
async function expectQueuedWithoutMessage(requestId: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 3_000));
  expect(await queueDepth()).toBe(0);
  expect((await requestItem(requestId))?.status).toBe('queued');
}

async function register() {
  const person = newPerson();
  const answer = await call('POST', '/v1/accounts', { body: person });
  expect(answer.status).toBe(201);
  return { person, subjectId: answer.body.account.subjectId as string, token: answer.body.session.token as string };
}

it("re-sends the job of a subject's request whose process was killed between the commit and the send", async () => {
  const subject = await register();

  const killed = await invokeRoute('createRequest', subject.subjectId, { type: 'export' }, KILL_AFTER_COMMIT);
  expect(killed.signal).toBe('SIGKILL');
  expect(killed.stdout).not.toContain('ROUTE_RESULT');

  // The commit happened (the subject sees the request queued), the send did not.
  const mine = await call('GET', '/v1/me/requests', { token: subject.token });
  const exports = (mine.body.requests as Json[]).filter((r) => r.type === 'export');
  expect(exports).toEqual([expect.objectContaining({ status: 'queued' })]);
  const requestId = exports[0].requestId as string;
  await expectQueuedWithoutMessage(requestId);

  // Younger than the threshold: its message could still be on its way, so the job leaves it.
  const early = await resendLostJobs();
  expect(early.counts).toMatchObject({ resent: 0, notSent: 0 });
  expect(early.counts.waiting).toBeGreaterThanOrEqual(1);
  expect((await requestItem(requestId))?.status).toBe('queued');

  await quietFor(requestId, 11);
  const sweep = await resendLostJobs();
  expect(sweep).toMatchObject({ counts: { resent: 1, notSent: 0 }, complete: true });
  // The log names the request by its random id, never the subject.
  expect(sweep.stdout).toContain(requestId);
  expect(sweep.stdout).not.toContain(subject.subjectId);
  expect(sweep.stdout).not.toContain(subject.person.email);

  const done = await settled(cloud, subject.token, requestId);
  expect(done.status).toBe('completed');
  expect((await call('GET', `/v1/me/requests/${requestId}/download`, { token: subject.token })).status).toBe(200);

  // Nothing is left to re-send.
  expect((await resendLostJobs()).counts).toMatchObject({ resent: 0, notSent: 0 });
}, 120_000);

it('re-sends the job of a retention erasure whose job run was killed between filing it and sending it', async () => {
  const subject = await register();
  await lastLoginMonthsAgo(cloud, db, subject.subjectId, 25);
  // Arrange: noticed 31 days ago, so the grace period is over and a run at the real time files the erasure.
  const noticeAt = new Date(Date.now() - 31 * DAY);
  await db.send(
    new UpdateCommand({
      TableName: cloud.env.USERS_TABLE_NAME,
      Key: { subjectId: subject.subjectId },
      UpdateExpression: 'SET inactivityNoticeAt = :notice, inactivityErasureAt = :erasure',
      ExpressionAttributeValues: { ':notice': noticeAt.toISOString(), ':erasure': new Date(noticeAt.getTime() + 30 * DAY).toISOString() },
    }),
  );

  const killed = await runOpsCommand(cloud, 'run-job', ['retention', '--time', new Date(Math.floor(Date.now() / 1000) * 1000).toISOString()], '', {
    ...cloud.env,
    FMN_RETENTION_FAKE_CLOCK: '1',
    ...KILL_AFTER_COMMIT,
  });
  expect(killed.signal).toBe('SIGKILL');
  expect(killed.stdout).not.toContain('JOB_RESULT');

  // Filed (the account links it, the request is queued), not sent.
  const requestId = (await userItem(cloud, db, subject.subjectId))?.retentionErasureRequestId as string;
  expect(requestId).toEqual(expect.any(String));
  expect(await requestItem(requestId)).toMatchObject({ origin: 'retention', type: 'erasure', status: 'queued' });
  await expectQueuedWithoutMessage(requestId);

  await quietFor(requestId, 11);
  const sweep = await resendLostJobs();
  expect(sweep.counts).toMatchObject({ resent: 1, notSent: 0 });

  // The worker erases the account exactly as if the job had been sent at filing time.
  const deadline = Date.now() + 60_000;
  while ((await requestItem(requestId))?.status !== 'completed' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 300));
  expect(await requestItem(requestId)).toMatchObject({ status: 'completed', receipt: { verification: { ok: true } } });
  expect(await userItem(cloud, db, subject.subjectId)).toBeUndefined();
}, 120_000);
