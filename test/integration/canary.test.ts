/**
 * The canary: a full scenario over every route that exists, with unique canary values in every personal field and in the
 * client's IP headers, then a search of everything the local cloud printed (every log line of every handler, the authorizer
 * and the worker) and of every audit item for any of them. One hit fails the test.
 *
 * The recipients' queues are searched too, differently: they legitimately hold what a recipient is declared to find the
 * subject by (the email provider's erasure message carries the email: it must find its subscriber) until the recipient
 * consumes it, so there the `subject` of each message may hold exactly its recipient's declared identifiers, and nothing
 * else in any message may hold a canary value.
 *
 * The scenario lives in helpers/scenario.ts (the field-use check runs it too) and grows with every route: it must cover the
 * whole route table (a test checks it does).
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { RECIPIENT_IDS, identifiersFor } from '../../lambdas/recipients';
import { recipientQueueEnvVar, recipientQueueId } from '../../lambdas/runtime/resources';
import { routes } from '../../lambdas/routes';
import { documentClient, scanAll, type Json } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';
import { canaryValues, driveEveryRoute } from './helpers/scenario';

let cloud: LocalCloudHandle;

beforeAll(async () => {
  cloud = await startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12', POWERTOOLS_LOG_LEVEL: 'DEBUG' });
});

afterAll(async () => {
  await cloud?.stop();
});

const scenario = canaryValues();
const { canary } = scenario;

it('leaks no canary value into any log line, audit entry or store (after erasure), over every route', async () => {
  // The scenario (helpers/scenario.ts) drives every route, the worker's export and erasure, with canary values throughout.
  const { exercised, subjectId } = await driveEveryRoute(cloud, scenario);

  // The worker, fed a message carrying personal data it must not echo (jobs carry ids only; this one is malformed).
  const sqs = new SQSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.sqsS3, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await sqs.send(new SendMessageCommand({ QueueUrl: cloud.env.RIGHTS_REQUEST_QUEUE_URL, MessageBody: JSON.stringify({ kind: 'export', email: canary.email, phone: canary.phone }) }));
  const deadline = Date.now() + 15_000;
  while (!cloud.output().includes('"job refused"') && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
  }

  // Let the last log lines flush.
  await new Promise((r) => setTimeout(r, 500));
  // Each recipient's queue, read whole: what it may hold about the subject is its `subject`, with its declared keys only.
  const recipientQueues: Record<string, string> = {};
  for (const id of RECIPIENT_IDS) {
    const bodies: Json[] = [];
    for (;;) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: cloud.env[recipientQueueEnvVar(recipientQueueId(id))], MaxNumberOfMessages: 10 }));
      if (Messages.length === 0) break;
      bodies.push(...Messages.map((m) => JSON.parse(m.Body!) as Json));
      const entries = Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! }));
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: cloud.env[recipientQueueEnvVar(recipientQueueId(id))], Entries: entries }));
    }
    // The scenario's export and erasure reached every recipient (both example recipients hold a part and hear of erasure).
    expect(bodies.map((b) => b.type).sort()).toEqual(expect.arrayContaining(['erasure', 'export']));
    for (const body of bodies) expect(Object.keys(body.subject).sort()).toEqual([...identifiersFor(id)].sort());
    recipientQueues[`recipient ${id} (outside subject)`] = JSON.stringify(bodies.map(({ subject: _subject, ...rest }) => rest));
  }
  sqs.destroy();
  const output = cloud.output();
  const db = documentClient(cloud);
  const audit = JSON.stringify(await scanAll(db, cloud.env.AUDIT_TABLE_NAME));
  // Every table after the erasure: what is kept (the pseudonymised consent ledger and requests) holds no free text either.
  const tables = Object.entries(cloud.env).filter(([name]) => name.endsWith('_TABLE_NAME'));
  expect(tables.length).toBeGreaterThanOrEqual(9);
  const stores = Object.fromEntries(await Promise.all(tables.map(async ([name, table]) => [name, JSON.stringify(await scanAll(db, table))] as const)));
  db.destroy();
  // The search means something: the kept records are there, under the pseudonym.
  expect(stores.RIGHTS_REQUESTS_TABLE_NAME).toContain('erased#');
  expect(stores.CONSENT_TABLE_NAME).toContain('erased#');
  expect(stores.RIGHTS_REQUESTS_TABLE_NAME).toContain('Removed at erasure');

  // The search is meaningful only if there is something to search: logs from the handlers and entries in the audit table.
  expect(output.split('\n').filter((line) => line.includes('"correlationId"')).length).toBeGreaterThan(20);
  expect(output).toContain('"job refused"');
  expect(audit.length).toBeGreaterThan(1000);

  const leaks: Json[] = [];
  for (const [name, value] of Object.entries(canary)) {
    for (const [where, text] of [['logs', output], ['audit', audit], ...Object.entries(stores), ...Object.entries(recipientQueues)] as const) {
      if (text.toLowerCase().includes(value.toLowerCase())) leaks.push({ name, where });
    }
  }
  expect(leaks).toEqual([]);
  // Raw subject ids stay out of the audit trail too (pseudonyms only).
  expect(audit.includes(subjectId)).toBe(false);
  // And the scenario kept up with the route table: a new route must be added here.
  expect(routes.map((r) => r.id).filter((id) => !exercised.has(id))).toEqual([]);
}, 120_000);
