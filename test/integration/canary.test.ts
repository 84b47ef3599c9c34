/**
 * The canary: a full scenario over every route that exists, with unique canary values in every personal field and in the
 * client's IP headers, then a search of everything the local cloud printed (every log line of every handler, the authorizer
 * and the worker) and of every audit item for any of them. One hit fails the test.
 *
 * The scenario lives in helpers/scenario.ts (the field-use check runs it too) and grows with every route: it must cover the
 * whole route table (a test checks it does).
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
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
  sqs.destroy();
  const deadline = Date.now() + 15_000;
  while (!cloud.output().includes('"job refused"') && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
  }

  // Let the last log lines flush.
  await new Promise((r) => setTimeout(r, 500));
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
    for (const [where, text] of [['logs', output], ['audit', audit], ...Object.entries(stores)] as const) {
      if (text.toLowerCase().includes(value.toLowerCase())) leaks.push({ name, where });
    }
  }
  expect(leaks).toEqual([]);
  // Raw subject ids stay out of the audit trail too (pseudonyms only).
  expect(audit.includes(subjectId)).toBe(false);
  // And the scenario kept up with the route table: a new route must be added here.
  expect(routes.map((r) => r.id).filter((id) => !exercised.has(id))).toEqual([]);
}, 120_000);
