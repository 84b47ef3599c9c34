/**
 * Operations health on the real local cloud: GET /v1/admin/operations shows each queue's and DLQ's counters (never a
 * message), the scheduled jobs' last runs with their outcome (a failed run too), the recipients and the overdue counts,
 * and says alarms are not available locally; POST …/queues/{queue}/redrive needs a fresh re-authentication, then moves
 * the DLQ's messages back, counts them honestly and is audited. Admins only.
 */
import { createHash } from 'node:crypto';
import { GetQueueAttributesCommand, PurgeQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { REAUTHENTICATION_WINDOW_SECONDS } from '../../lambdas/domain/sessions';
import { schedules } from '../../lambdas/schedules';
import { apiClient, createAdmin, documentClient, newPerson, PASSWORD, runOpsCommand, scanAll, totpNow } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

let cloud: LocalCloudHandle;
let db: DynamoDBDocumentClient;
let sqs: SQSClient;
let call: ReturnType<typeof apiClient>;

beforeAll(async () => {
  // The local scheduler runs every job once at start; an hour between runs keeps it from overwriting what the tests run.
  cloud = await startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12', LOCAL_SCHEDULE_SECONDS: '3600' });
  db = documentClient(cloud);
  call = apiClient(cloud);
  sqs = new SQSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.sqsS3, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}, 120_000);

afterAll(async () => {
  db?.destroy();
  sqs?.destroy();
  await cloud?.stop();
});

const dlqUrl = () => cloud.env.RIGHTS_REQUEST_DLQ_QUEUE_URL!;

async function visible(url: string): Promise<number> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }));
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
}

async function ageSession(token: string) {
  const at = new Date(Date.now() - (REAUTHENTICATION_WINDOW_SECONDS + 1) * 1000).toISOString();
  await db.send(
    new UpdateCommand({
      TableName: cloud.env.SESSIONS_TABLE_NAME,
      Key: { tokenHash: createHash('sha256').update(token).digest('hex') },
      UpdateExpression: 'SET createdAt = :at, reauthenticatedAt = :at',
      ExpressionAttributeValues: { ':at': at },
    }),
  );
}

it('shows counters, runs, recipients, overdue counts and no made-up alarms; refuses non-admins', async () => {
  const admin = await createAdmin(cloud);
  const view = await call('GET', '/v1/admin/operations', { token: admin.token });
  expect(view.status).toBe(200);
  expect(view.body.queues.map((q: { dlq: string }) => q.dlq)).toEqual(['rightsRequestDlq', 'recipient-app-service-dlq', 'recipient-email-provider-dlq']);
  expect(view.body.queues[0]).toMatchObject({ queue: 'rightsRequestQueue', depth: { visible: expect.any(Number), inFlight: expect.any(Number) } });
  expect(view.body.jobs.map((j: { job: string }) => j.job)).toEqual(schedules.map((j) => j.id));
  expect(view.body.recipients.map((r: { recipient: string }) => r.recipient)).toEqual(['app-service', 'email-provider']);
  expect(view.body.overdue).toMatchObject({ total: expect.any(Number), waitingOnRecipients: expect.any(Number) });
  expect(view.body.alarms).toEqual({ available: false, reason: expect.stringMatching(/^not available locally/) });

  const person = await call('POST', '/v1/accounts', { body: newPerson() });
  const refused = await call('GET', '/v1/admin/operations', { token: person.body.session.token });
  expect(refused.status).toBe(403);
  expect((await call('POST', '/v1/admin/operations/queues/rightsRequestDlq/redrive', { token: person.body.session.token, body: {} })).status).toBe(403);
  expect((await call('GET', '/v1/admin/operations')).status).toBe(401);
});

it('records a job run and its outcome, and a failed run as failed', async () => {
  const admin = await createAdmin(cloud);
  const before = new Date().toISOString();
  const run = await runOpsCommand(cloud, 'run-job', ['overdueRequests'], '', cloud.env);
  expect(run.code).toBe(0);
  const lastRun = async (job: string) =>
    (await call('GET', '/v1/admin/operations', { token: admin.token })).body.jobs.find((j: { job: string }) => j.job === job).lastRun;
  const succeeded = await lastRun('overdueRequests');
  expect(succeeded).toMatchObject({ jobId: 'overdueRequests', outcome: 'succeeded', counts: { overdue: expect.any(Number) } });
  expect(succeeded.startedAt >= before).toBe(true);

  // The job's table is gone (a wrong name): the run fails, and says so in its record, with the error class only.
  const failing = await runOpsCommand(cloud, 'run-job', ['overdueRequests'], '', { ...cloud.env, RIGHTS_REQUESTS_TABLE_NAME: 'fmn-local-noSuchTable' });
  expect(failing.code).not.toBe(0);
  const failed = await lastRun('overdueRequests');
  expect(failed).toMatchObject({ outcome: 'failed', error: 'ResourceNotFoundException' });
  expect(failed.counts).toBeUndefined();
  expect(failed.startedAt > succeeded.startedAt).toBe(true);
}, 60_000);

it('redrives a DLQ only after a fresh re-authentication, moves what waits, counts it and audits it', async () => {
  const admin = await createAdmin(cloud);
  await sqs.send(new PurgeQueueCommand({ QueueUrl: dlqUrl() }));
  // Jobs for requests that do not exist: the worker takes them back and skips them.
  for (let i = 0; i < 3; i++) {
    await sqs.send(new SendMessageCommand({ QueueUrl: dlqUrl(), MessageBody: JSON.stringify({ requestId: `00000000-0000-4000-8000-00000000000${i}`, kind: 'access' }) }));
  }
  const shown = await call('GET', '/v1/admin/operations', { token: admin.token });
  expect(shown.body.queues[0].dlqDepth.visible).toBe(3);
  // no message body, not even a request id, is in the view
  expect(JSON.stringify(shown.body)).not.toContain('00000000-0000-4000-8000');

  await ageSession(admin.token);
  const refused = await call('POST', '/v1/admin/operations/queues/rightsRequestDlq/redrive', { token: admin.token, body: {} });
  expect(refused.status).toBe(403);
  expect(refused.body.type).toBe('/problems/reauthentication-required');
  expect(await visible(dlqUrl())).toBe(3);

  const confirmed = await call('POST', '/v1/sessions/current/reauthentication', { token: admin.token, body: { password: PASSWORD, code: totpNow(admin.otpauthUri, 1) } });
  expect(confirmed.status).toBe(200);
  const unknown = await call('POST', '/v1/admin/operations/queues/noSuchDlq/redrive', { token: admin.token, body: {} });
  expect(unknown.status).toBe(400);
  const tooMany = await call('POST', '/v1/admin/operations/queues/rightsRequestDlq/redrive', { token: admin.token, body: { max: 1000 } });
  expect(tooMany.status).toBe(400);

  const first = await call('POST', '/v1/admin/operations/queues/rightsRequestDlq/redrive', { token: admin.token, body: { max: 2 } });
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ dlq: 'rightsRequestDlq', queue: 'rightsRequestQueue', moved: 2 });
  expect(first.body.interruptedBy).toBeUndefined();
  const rest = await call('POST', '/v1/admin/operations/queues/rightsRequestDlq/redrive', { token: admin.token, body: {} });
  expect(rest.body.moved).toBe(1);
  const none = await call('POST', '/v1/admin/operations/queues/rightsRequestDlq/redrive', { token: admin.token, body: {} });
  expect(none.body.moved).toBe(0);
  expect(await visible(dlqUrl())).toBe(0);
  const after = await call('GET', '/v1/admin/operations', { token: admin.token });
  expect(after.body.queues[0].dlqDepth.visible).toBe(0);

  const entries = (await scanAll(db, cloud.env.AUDIT_TABLE_NAME)).filter((e) => e.origin === 'route:redriveQueue');
  expect(entries).toHaveLength(3);
  expect(entries[0]).toMatchObject({ actorRole: 'admin', action: 'update', fields: ['rightsRequestQueue.*'], outcome: 'success' });
  expect(entries[0].subjectPseudonym).toBeUndefined();
}, 60_000);
