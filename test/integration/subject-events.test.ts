/**
 * Telling the subject, in the local cloud provisioned from the synthesized stateful stack: a queue subscribed to the
 * subject-events topic (as an app's mailer would subscribe) receives every change of a rights request, in the request's
 * order, with only the declared keys; a rejection's and an extension's reasons reach it; an erasure's completion carries no
 * subject id; and an outbox item published again (a drain that crashed between publish and delete) repeats the same event
 * ids, which is what a mailer deduplicates on. The outbox drain runs every second here.
 */
import { CreateQueueCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { subjectEventsPut } from '../../lambdas/adapters/dynamo-recipient-outbox';
import type { RightsRequest } from '../../lambdas/domain/rights';
import { SUBJECT_EVENT_FORMAT, SUBJECT_EVENT_KEYS, subjectEventsOf, type SubjectEvent } from '../../lambdas/domain/subject-events';
import { inventory } from '../../lambdas/inventory';
import { tableEnvVar, topicEnvVar } from '../../lambdas/runtime/resources';
import { apiClient, createAdmin, documentClient, newPerson } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';
import { settled, settledForAdmin } from './helpers/rights';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

let cloud: LocalCloudHandle;
let sqs: SQSClient;
let mailerQueue: string;
/** Every event the mailer's queue has received so far, in arrival order (the queue is read into it, and emptied). */
const received: SubjectEvent[] = [];

beforeAll(async () => {
  cloud = await startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12', LOCAL_SCHEDULE_SECONDS: '1' });
  sqs = new SQSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.sqsS3, credentials });
  const sns = new SNSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.sqsS3, credentials });
  // What the README tells an app to do: a queue of its own, subscribed with raw delivery to the topic the stack outputs.
  mailerQueue = (await sqs.send(new CreateQueueCommand({ QueueName: `mailer-${Date.now()}` }))).QueueUrl!;
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: mailerQueue, AttributeNames: ['QueueArn'] }));
  await sns.send(
    new SubscribeCommand({
      TopicArn: cloud.env[topicEnvVar('subjectEvents')],
      Protocol: 'sqs',
      Endpoint: Attributes!.QueueArn!,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  sns.destroy();
}, 120_000);

afterAll(async () => {
  sqs?.destroy();
  await cloud?.stop();
});

async function readQueue(): Promise<void> {
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: mailerQueue, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (Messages.length === 0) return;
    received.push(...Messages.map((m) => JSON.parse(m.Body!) as SubjectEvent));
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: mailerQueue, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
}

/** The events of one request received so far, in arrival order; waits until `done` holds (the drain runs each second). */
async function eventsOf(requestId: string, done: (events: SubjectEvent[]) => boolean, timeoutMs = 30_000): Promise<SubjectEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await readQueue();
    const mine = received.filter((e) => e.requestId === requestId);
    if (done(mine)) return mine;
    if (Date.now() > deadline) throw new Error(`events of ${requestId} so far: ${mine.map((e) => `${e.sequence}:${e.status}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** No key beyond the event's declared ones, and nothing about the person beyond what the inventory declares for the topic. */
function expectOnlyDeclared(event: SubjectEvent) {
  expect(Object.keys(event).filter((k) => !(SUBJECT_EVENT_KEYS as readonly string[]).includes(k))).toEqual([]);
  const personal = [...Object.keys(event.subject ?? {}), ...(event.reason !== undefined ? ['reason'] : [])];
  expect(personal.filter((k) => !Object.hasOwn(inventory.subjectEvents.fields, k))).toEqual([]);
}

async function register() {
  const person = newPerson();
  const registered = await apiClient(cloud)('POST', '/v1/accounts', { body: { ...person, consents: {} } });
  expect(registered.status).toBe(201);
  return { person, subjectId: registered.body.account.subjectId as string, token: registered.body.session.token as string };
}

it("an export's lifecycle reaches the mailer as one event per change, in order, ending with 'ready to download'", async () => {
  const call = apiClient(cloud);
  const { subjectId, token } = await register();
  const filed = await call('POST', '/v1/me/requests', { token, body: { type: 'export' } });
  expect(filed.status).toBe(202);
  const requestId = filed.body.requestId as string;
  expect((await settled(cloud, token, requestId)).status).toBe('completed');

  const events = await eventsOf(requestId, (mine) => mine.some((e) => e.status === 'completed'));
  expect(events.map((e) => [e.sequence, e.status])).toEqual([
    [0, 'received'],
    [1, 'verified'],
    [2, 'queued'],
    [3, 'in_progress'],
    [4, 'completed'],
  ]);
  for (const event of events) {
    expect(event).toMatchObject({ format: SUBJECT_EVENT_FORMAT, kind: 'status', requestId, requestType: 'export', eventId: `${requestId}:${event.sequence}` });
    expect(event.subject).toEqual({ subjectId });
    expectOnlyDeclared(event);
  }
  expect(events.at(-1)).toMatchObject({ downloadable: true, by: 'worker' });
  // The request the subject sees agrees with what the mailer was told.
  const view = await call('GET', `/v1/me/requests/${requestId}`, { token });
  expect(view.body.history.map((h: { status: string }) => h.status)).toEqual(events.map((e) => e.status));
}, 90_000);

it('an extension and a rejection reach the mailer with the reasons written for the subject', async () => {
  const call = apiClient(cloud);
  const admin = await createAdmin(cloud);
  const { token } = await register();
  // Rectification is manual: filed as verified, then an admin acts on it.
  const filed = await call('POST', '/v1/me/requests', { token, body: { type: 'rectification', fields: ['profile.displayName'] } });
  expect(filed.status).toBe(202);
  const requestId = filed.body.requestId as string;
  const why = 'The correction needs a document we have asked you for.';
  const extended = await call('POST', `/v1/admin/requests/${requestId}/extend`, { token: admin.token, body: { months: 1, reason: why } });
  expect(extended.status).toBe(200);
  const refusal = 'The name on file already matches the document you sent.';
  expect((await call('POST', `/v1/admin/requests/${requestId}/reject`, { token: admin.token, body: { reason: refusal } })).status).toBe(200);

  const events = await eventsOf(requestId, (mine) => mine.some((e) => e.status === 'rejected'));
  expect(events.map((e) => [e.sequence, e.kind, e.status])).toEqual([
    [0, 'status', 'received'],
    [1, 'status', 'verified'],
    [2, 'extended', 'verified'],
    [3, 'status', 'rejected'],
  ]);
  expect(events[2]).toMatchObject({ reason: why, dueAt: extended.body.dueAt, by: 'admin' });
  expect(events[3]).toMatchObject({ reason: refusal, by: 'admin' });
  events.forEach(expectOnlyDeclared);
}, 90_000);

it("an erasure's completion reaches the mailer, and carries neither the subject id nor free text", async () => {
  const call = apiClient(cloud);
  const admin = await createAdmin(cloud);
  const { subjectId, token } = await register();
  const filed = await call('POST', '/v1/me/requests', { token, body: { type: 'erasure' } });
  expect(filed.status).toBe(202);
  const requestId = filed.body.requestId as string;
  expect((await settledForAdmin(cloud, admin.token, requestId)).status).toBe('completed');

  const events = await eventsOf(requestId, (mine) => mine.some((e) => e.status === 'completed'));
  const completed = events.find((e) => e.status === 'completed')!;
  expect(completed).toMatchObject({ subjectErased: true, requestType: 'erasure' });
  expect(JSON.stringify(completed)).not.toContain(subjectId);
  expect(completed).not.toHaveProperty('reason');
  // Events from before the erasure name the subject, if they were published before its consent partition (where pending
  // outbox items live) was erased; those still pending then are erased with it, as the recipients' are.
  for (const event of events.filter((e) => e !== completed)) expect(event.subject).toEqual({ subjectId });
  events.forEach(expectOnlyDeclared);
}, 120_000);

it('publishes an outbox item again with the same event ids (a drain that crashed before deleting it): mailers deduplicate on eventId', async () => {
  const call = apiClient(cloud);
  const { token } = await register();
  const filed = await call('POST', '/v1/me/requests', { token, body: { type: 'rectification', fields: ['profile.phone'] } });
  const requestId = filed.body.requestId as string;
  const first = await eventsOf(requestId, (mine) => mine.length >= 2);

  // The item the filing wrote, as it was: rebuilt from the stored request, put back as a crash before the delete leaves it.
  const db = documentClient(cloud);
  const { Item } = await db.send(new GetCommand({ TableName: cloud.env[tableEnvVar('rightsRequests')], Key: { requestId } }));
  // Under the cloud's shard count, as its writers key the outbox (the drain reads only those shards).
  process.env.INDEX_SHARDS = cloud.env.INDEX_SHARDS;
  const again = subjectEventsPut(cloud.env[tableEnvVar('consent')], subjectEventsOf(undefined, Item as RightsRequest)!);
  delete process.env.INDEX_SHARDS;
  await db.send(new PutCommand(again.Put));

  const all = await eventsOf(requestId, (mine) => mine.length >= 4);
  expect(all.map((e) => e.eventId)).toEqual([...first, ...first].map((e) => e.eventId));
  // Deduplicated on eventId, the mailer has each change once.
  expect(new Map(all.map((e) => [e.eventId, e])).size).toBe(2);
  db.destroy();
}, 90_000);
