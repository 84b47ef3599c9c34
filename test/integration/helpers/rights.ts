/**
 * Helpers for rights-request suites: a subject with data in every store, waiting for a request to settle, and a search of
 * every table, the queue and the bucket for a subject's values.
 */
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { apiClient, newPerson, scanAll, type Json } from './api';
import type { LocalCloudHandle } from './local-cloud';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Registers someone and gives them data in every store: consents, analytics events, a second session, a newsletter. */
export async function subjectWithData(cloud: LocalCloudHandle) {
  const call = apiClient(cloud);
  const person = newPerson();
  const registration = await call('POST', '/v1/accounts', { body: { ...person, consents: { analytics: true, 'marketing-email': true } } });
  if (registration.status !== 201) throw new Error(`registration answered ${registration.status}`);
  const token = registration.body.session.token as string;
  const subjectId = registration.body.account.subjectId as string;
  await call('POST', '/v1/events', { token, body: { events: [{ name: 'screen.view', at: new Date().toISOString(), properties: { screen: 'home' } }] } });
  await call('PUT', '/v1/me/newsletter', { token, body: { subscribed: true } });
  await call('POST', '/v1/sessions', { body: { email: person.email, password: person.password } });
  return { person, subjectId, token };
}

/** Polls a request until it leaves the open states (or the time is up). */
export async function settled(cloud: LocalCloudHandle, token: string, requestId: string, timeoutMs = 45_000): Promise<Json> {
  const call = apiClient(cloud);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await call('GET', `/v1/me/requests/${requestId}`, { token });
    if (answer.status === 200 && !['received', 'verified', 'queued', 'in_progress'].includes(answer.body.status)) return answer.body;
    if (answer.status === 401) return { status: 'session-gone' };
    if (Date.now() > deadline) throw new Error(`request still ${answer.body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Polls the admin view until a request is no longer open (for erasures, whose subject has no session left). */
export async function settledForAdmin(cloud: LocalCloudHandle, adminToken: string, requestId: string, timeoutMs = 60_000): Promise<Json> {
  const call = apiClient(cloud);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await call('GET', '/v1/admin/requests?status=completed', { token: adminToken });
    const found = (all.body.requests as Json[] | undefined)?.find((r) => r.requestId === requestId);
    if (found) return found;
    const failed = (await call('GET', '/v1/admin/requests?status=failed', { token: adminToken })).body.requests as Json[] | undefined;
    const failure = failed?.find((r) => r.requestId === requestId);
    if (failure) return failure;
    if (Date.now() > deadline) throw new Error(`request ${requestId} not settled after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

export async function readObject(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`download answered ${response.status}`);
  return response.text();
}

/** Every item of every table, every object of every bucket, and the queue's depth, as one searchable string. */
export async function everything(cloud: LocalCloudHandle, db: DynamoDBDocumentClient): Promise<{ tables: Record<string, Json[]>; objects: string; queueDepth: number }> {
  const tables: Record<string, Json[]> = {};
  for (const [envVar, name] of Object.entries(cloud.env)) {
    if (envVar.endsWith('_TABLE_NAME')) tables[envVar] = await scanAll(db, name);
  }
  const s3 = new S3Client({ region: 'eu-west-1', endpoint: cloud.endpoints.sqsS3, credentials, forcePathStyle: true });
  let objects = '';
  const bucket = cloud.env.EXPORTS_BUCKET_NAME;
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  for (const object of listed.Contents ?? []) {
    const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key! }));
    objects += `${object.Key}\n${await body.Body!.transformToString()}\n`;
  }
  s3.destroy();
  const sqs = new SQSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.sqsS3, credentials });
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: cloud.env.RIGHTS_REQUEST_QUEUE_URL, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  sqs.destroy();
  return { tables, objects, queueDepth: Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible) };
}

