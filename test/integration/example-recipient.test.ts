/**
 * The example recipient service (`examples/app-service`), run by the local cloud as `npm start` runs it: an erasure reaches
 * it on the app-service queue, it deletes its own records of the subject (and no one else's) and acknowledges through the
 * ack route, signed with its own secret; the request completes only after that ack, and shows the app service
 * acknowledged with the count. An export makes it upload its part through the presigned URL the route gives, then ack.
 */
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { apiClient, createAdmin, documentClient, newPerson, type Json } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

let cloud: LocalCloudHandle;
let table: string;

beforeAll(async () => {
  // As `npm start` runs: with the example, requests wait for the app service's ack (AWAIT_RECIPIENTS defaults to it).
  cloud = await startLocalCloudProcess(['--example-recipient'], { PASSWORD_SCRYPT_LOG_N: '12', LOCAL_SCHEDULE_SECONDS: '1' });
  table = cloud.env.APP_SERVICE_TABLE_NAME;
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
});

/** Records the app service keeps about a subject, as it would have written them while the app ran. */
async function seed(subjectId: string, count: number): Promise<void> {
  const db = documentClient(cloud);
  for (let i = 0; i < count; i++) {
    await db.send(
      new PutCommand({ TableName: table, Item: { subjectId, recordId: `order-${i}`, kind: 'order', createdAt: new Date().toISOString(), data: { total: 10 + i } } }),
    );
  }
  db.destroy();
}

async function recordsOf(subjectId: string): Promise<Json[]> {
  const db = documentClient(cloud);
  const { Items = [] } = await db.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'subjectId = :s', ExpressionAttributeValues: { ':s': subjectId } }));
  db.destroy();
  return Items;
}

async function register() {
  const registered = await apiClient(cloud)('POST', '/v1/accounts', { body: { ...newPerson(), consents: {} } });
  expect(registered.status).toBe(201);
  return { subjectId: registered.body.account.subjectId as string, token: registered.body.session.token as string };
}

/** Polls the admin view of a request until the app service's entry is acknowledged and the request completed. */
async function acknowledgedByAppService(adminToken: string, requestId: string, timeoutMs = 60_000): Promise<Json> {
  const call = apiClient(cloud);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // The admin list filters by status (open ones by default): look where a request whose own part is done can be.
    let request: Json | undefined;
    for (const status of ['completed', 'awaiting_recipients', 'in_progress']) {
      const listed = await call('GET', `/v1/admin/requests?status=${status}`, { token: adminToken });
      request ??= (listed.body.requests as Json[] | undefined)?.find((r) => r.requestId === requestId);
    }
    const entry = (request?.recipients as Json[] | undefined)?.find((r) => r.recipient === 'app-service');
    if (entry?.status === 'acknowledged' && request?.status === 'completed') return { request, entry };
    if (Date.now() > deadline) throw new Error(`app-service not acknowledged: ${JSON.stringify(request?.recipients)} (${request?.status})`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

it('an erasure reaches the example recipient, which deletes its own records of the subject, and only those, and acks', async () => {
  const admin = await createAdmin(cloud);
  const { subjectId, token } = await register();
  const bystander = (await register()).subjectId;
  await seed(subjectId, 3);
  await seed(bystander, 1);

  const filed = await apiClient(cloud)('POST', '/v1/me/requests', { token, body: { type: 'erasure' } });
  expect(filed.status).toBe(202);
  const { request, entry } = await acknowledgedByAppService(admin.token, filed.body.requestId);

  expect(entry).toMatchObject({ action: 'delete', outcome: 'done', counts: { records: 3 } });
  expect(await recordsOf(subjectId)).toEqual([]);
  expect(await recordsOf(bystander)).toHaveLength(1);
  // It waited for that ack: completed, and not before the app service acknowledged.
  expect(request.status).toBe('completed');
  const completedAt = (request.history as Json[]).find((h) => h.status === 'completed')!.at as string;
  expect(Date.parse(completedAt)).toBeGreaterThanOrEqual(Date.parse(entry.acknowledgedAt));
}, 120_000);

it('an export makes it upload its part through the presigned URL, then ack; nothing found is acked as such', async () => {
  const admin = await createAdmin(cloud);
  const call = apiClient(cloud);
  const { subjectId, token } = await register();
  await seed(subjectId, 2);
  const filed = await call('POST', '/v1/me/requests', { token, body: { type: 'export' } });
  expect(filed.status).toBe(202);
  const { entry } = await acknowledgedByAppService(admin.token, filed.body.requestId);
  expect(entry).toMatchObject({ action: 'provide-part', outcome: 'done', counts: { records: 2 } });

  const s3 = new S3Client({ region: 'eu-west-1', endpoint: cloud.endpoints.sqsS3, credentials, forcePathStyle: true });
  const object = await s3.send(new GetObjectCommand({ Bucket: cloud.env.EXPORTS_BUCKET_NAME, Key: `exports/${filed.body.requestId}/recipients/app-service.json` }));
  const part = JSON.parse(await object.Body!.transformToString()) as { service: string; records: Json[] };
  s3.destroy();
  expect(part.service).toBe('app-service');
  expect(part.records.map((r) => r.recordId).sort()).toEqual(['order-0', 'order-1']);
  // The records stay: an export copies.
  expect(await recordsOf(subjectId)).toHaveLength(2);

  const empty = await register();
  const none = await call('POST', '/v1/me/requests', { token: empty.token, body: { type: 'export' } });
  const acked = await acknowledgedByAppService(admin.token, none.body.requestId);
  expect(acked.entry).toMatchObject({ outcome: 'nothing_found' });
}, 120_000);
