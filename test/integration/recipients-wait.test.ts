/**
 * Requests wait for their recipients (issue 14 item 5), against the real local cloud with both example recipients awaited
 * (AWAIT_RECIPIENTS) and the email provider's webhook pointed at an HTTPS receiver of this test: an erasure completes only
 * after both acknowledge, and its certificate lists both; an export bundles the recipients' parts; a webhook that fails
 * every try lands in the DLQ and the request shows which recipient failed; a recipient that never answers makes the
 * request overdue, and only then may an admin complete it without that recipient.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DELIVERY_FAILED_REASON } from '../../lambdas/domain/recipient-acks';
import { messageId } from '../../lambdas/domain/recipient-events';
import type { RecipientId } from '../../lambdas/recipients';
import { recipientDlqId, recipientQueueEnvVar } from '../../lambdas/runtime/resources';
import { recipientSecret, signedAck } from './helpers/acks';
import { apiClient, createAdmin, documentClient, type Json } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';
import { readObject, subjectWithData } from './helpers/rights';

/** What the email provider's receiver answers: 204, or 503 on every try. */
let webhookMode: 'ok' | 'always-fail' = 'ok';

let dir: string;
let server: Server;
let cloud: LocalCloudHandle;
let db: DynamoDBDocumentClient;
let call: ReturnType<typeof apiClient>;
let admin: { token: string };
const secrets = {} as Record<RecipientId, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fmn-wait-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(webhookMode === 'ok' ? 204 : 503).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cloud = await startLocalCloudProcess([], {
    PASSWORD_SCRYPT_LOG_N: '12',
    AWAIT_RECIPIENTS: JSON.stringify(['app-service', 'email-provider']),
    LOCAL_WEBHOOK_URLS: JSON.stringify({ 'email-provider': `https://127.0.0.1:${(server.address() as AddressInfo).port}/hooks` }),
    LOCAL_WEBHOOK_CA_FILE: join(dir, 'cert.pem'),
    WEBHOOK_RETRY_BASE_SECONDS: '1',
    // The overdue job runs every second here (hourly on AWS).
    LOCAL_SCHEDULE_SECONDS: '1',
  });
  db = documentClient(cloud);
  call = apiClient(cloud);
  admin = await createAdmin(cloud);
  for (const id of ['app-service', 'email-provider'] as const) secrets[id] = recipientSecret(cloud, id);
}, 120_000);

afterAll(async () => {
  db?.destroy();
  await cloud?.stop();
  await new Promise((resolve) => server?.close(resolve));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The admin's view of a request once `ready` holds for it (erasures leave no subject session to look with). */
async function adminView(requestId: string, ready: (request: Json) => boolean, timeoutMs = 60_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const status of ['awaiting_recipients', 'completed', 'in_progress']) {
      const listed = (await call('GET', `/v1/admin/requests?status=${status}`, { token: admin.token })).body.requests as Json[];
      const found = listed.find((r) => r.requestId === requestId);
      if (found && ready(found)) return found;
    }
    if (Date.now() > deadline) throw new Error(`request ${requestId} not ready after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const ackBody = (requestId: string, recipient: RecipientId, type: 'erasure' | 'export', extra: Json) => ({
  messageId: messageId({ kind: 'rights-request', id: requestId }, recipient, type),
  requestId,
  action: type === 'erasure' ? 'delete' : 'provide-part',
  ...extra,
});

const ack = (recipient: RecipientId, body: Json) =>
  call('POST', `/v1/recipients/${recipient}/acks`, signedAck(secrets[recipient], body));

async function fileErasure(): Promise<{ requestId: string; receiptToken: string }> {
  const { token } = await subjectWithData(cloud);
  const created = await call('POST', '/v1/me/requests', { token, body: { type: 'erasure' } });
  expect(created.status).toBe(202);
  return { requestId: created.body.requestId, receiptToken: created.body.receiptToken };
}

/** What an admin completing by hand records: what was done where (required by the complete route). */
const evidence = [{ where: 'recipients', action: 'other', detail: 'Chased the recipients past their deadline.' }];

const byRecipient = (request: Json) => Object.fromEntries((request.recipients as Json[]).map((r) => [r.recipient, r]));

it('completes an erasure only after both recipients acknowledge; the certificate lists both', async () => {
  webhookMode = 'ok';
  const { requestId, receiptToken } = await fileErasure();
  const waiting = await adminView(requestId, (r) => r.status === 'awaiting_recipients');
  expect(byRecipient(waiting)).toEqual({
    'app-service': expect.objectContaining({ status: 'pending', action: 'delete' }),
    'email-provider': expect.objectContaining({ status: 'pending', action: 'delete' }),
  });
  // The certificate is readable once this backend's stores are done, and says what it still waits for.
  const early = await call('GET', `/v1/erasure-receipts/${requestId}`, { headers: { 'x-receipt-token': receiptToken } });
  expect(early.body).toMatchObject({ status: 'awaiting_recipients', verification: { ok: true } });

  const first = await ack('app-service', ackBody(requestId, 'app-service', 'erasure', { outcome: 'done', counts: { orders: 3 } }));
  expect(first.body).toMatchObject({ status: 'done', requestStatus: 'awaiting_recipients' });
  const last = await ack('email-provider', ackBody(requestId, 'email-provider', 'erasure', { outcome: 'nothing_found' }));
  expect(last.body).toMatchObject({ status: 'nothing_found', requestStatus: 'completed' });

  const certificate = await call('GET', `/v1/erasure-receipts/${requestId}`, { headers: { 'x-receipt-token': receiptToken } });
  expect(certificate.body.status).toBe('completed');
  expect(certificate.body.steps.length).toBeGreaterThan(0);
  expect(byRecipient(certificate.body)).toEqual({
    'app-service': expect.objectContaining({ status: 'acknowledged', outcome: 'done', counts: { orders: 3 }, acknowledgedAt: expect.any(String) }),
    'email-provider': expect.objectContaining({ status: 'acknowledged', outcome: 'nothing_found' }),
  });
  const completed = await adminView(requestId, (r) => r.status === 'completed');
  expect(completed.history.at(-1)).toMatchObject({ status: 'completed', by: 'system' });

  // A duplicate ack after completion changes nothing.
  const again = await ack('app-service', ackBody(requestId, 'app-service', 'erasure', { outcome: 'done', counts: { orders: 9 } }));
  expect(again.body).toMatchObject({ duplicate: true, requestStatus: 'completed' });
  expect(byRecipient((await call('GET', `/v1/erasure-receipts/${requestId}`, { headers: { 'x-receipt-token': receiptToken } })).body)['app-service'].counts).toEqual({ orders: 3 });
});

it("bundles the recipients' parts into the subject's export download", async () => {
  webhookMode = 'ok';
  const { token } = await subjectWithData(cloud);
  const created = await call('POST', '/v1/me/requests', { token, body: { type: 'export' } });
  const requestId = created.body.requestId as string;
  await adminView(requestId, (r) => r.status === 'awaiting_recipients');
  expect((await call('GET', `/v1/me/requests/${requestId}/download`, { token })).status).toBe(409);

  const partAck = ackBody(requestId, 'app-service', 'export', { outcome: 'done', counts: { orders: 1 }, exportPart: { contentType: 'application/json' } });
  const upload = await ack('app-service', partAck);
  expect(upload.status).toBe(409);
  await fetch(upload.body.uploadUrl, { method: 'PUT', body: JSON.stringify({ orders: [{ id: 'o-1', total: 12 }] }) });
  expect((await ack('app-service', partAck)).body.requestStatus).toBe('awaiting_recipients');
  expect((await ack('email-provider', ackBody(requestId, 'email-provider', 'export', { outcome: 'nothing_found' }))).body.requestStatus).toBe('completed');

  const download = await call('GET', `/v1/me/requests/${requestId}/download`, { token });
  expect(download.status).toBe(200);
  expect(download.body.parts).toEqual([expect.objectContaining({ recipient: 'app-service' })]);
  expect(JSON.parse(await readObject(download.body.parts[0].url))).toEqual({ orders: [{ id: 'o-1', total: 12 }] });
});

it('shows which recipient failed when its webhook fails every try and the message lands in the DLQ', async () => {
  webhookMode = 'always-fail';
  const { requestId } = await fileErasure();
  const failed = await adminView(requestId, (r) => r.recipients?.some((p: Json) => p.recipient === 'email-provider' && p.status === 'failed'), 90_000);
  expect(failed.status).toBe('awaiting_recipients');
  expect(byRecipient(failed)['email-provider']).toMatchObject({ status: 'failed', outcome: 'failed', reason: DELIVERY_FAILED_REASON });
  expect(byRecipient(failed)['app-service'].status).toBe('pending');

  const sqs = new SQSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.sqsS3, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const dlq = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: cloud.env[recipientQueueEnvVar(recipientDlqId('email-provider'))], MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
  );
  sqs.destroy();
  const ids = (dlq.Messages ?? []).map((m) => (JSON.parse(m.Body!) as Json).id);
  expect(ids).toContain(messageId({ kind: 'rights-request', id: requestId }, 'email-provider', 'erasure'));

  // The admins' overview names the failing recipient.
  const overview = (await call('GET', '/v1/admin/recipients', { token: admin.token })).body.recipients as Json[];
  expect(overview.find((r) => r.recipient === 'email-provider')).toMatchObject({ status: 'failing', delivery: 'webhook' });
  expect(overview.find((r) => r.recipient === 'email-provider')!.awaiting.failed).toBeGreaterThanOrEqual(1);

  // Within the recipients' deadlines an admin cannot complete it without them.
  const early = await call('POST', `/v1/admin/requests/${requestId}/complete`, { token: admin.token, body: { note: 'Done without them.', evidence } });
  expect(early.status).toBe(409);
  expect(early.body.type).toBe('/problems/recipients-not-overdue');
  // The recipient still answers once it is reachable again: done after failed is recorded.
  expect((await ack('email-provider', ackBody(requestId, 'email-provider', 'erasure', { outcome: 'done' }))).body.status).toBe('done');
});

it('makes a request overdue when a recipient never answers; past the deadline an admin completes it with a note', async () => {
  webhookMode = 'ok';
  const { requestId, receiptToken } = await fileErasure();
  await adminView(requestId, (r) => r.status === 'awaiting_recipients');
  const pastDeadline = async (recipient: RecipientId) =>
    db.send(
      new UpdateCommand({
        TableName: cloud.env.RIGHTS_REQUESTS_TABLE_NAME,
        Key: { requestId },
        UpdateExpression: 'SET recipients.#r.answerBy = :d',
        ExpressionAttributeNames: { '#r': recipient },
        ExpressionAttributeValues: { ':d': new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10) },
      }),
    );
  await pastDeadline('app-service');
  const overdue = await adminView(requestId, (r) => byRecipient(r)['app-service']?.status === 'overdue');
  expect(byRecipient(overdue)['email-provider'].status).toBe('pending');

  // The overdue job counts requests waiting for a recipient past its deadline (its log line: numbers only).
  const counted = async () =>
    cloud
      .output()
      .split('\n')
      .filter((l) => l.includes('overdue rights requests counted'))
      .map((l) => JSON.parse(l.slice(l.indexOf('{'))) as Json)
      .some((l) => l.recipientsOverdue >= 1);
  const deadline = Date.now() + 15_000;
  while (!(await counted()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  expect(await counted()).toBe(true);

  expect((await call('POST', `/v1/admin/requests/${requestId}/complete`, { token: admin.token, body: { note: 'Waited long enough.', evidence } })).status).toBe(409);
  await pastDeadline('email-provider');
  const completed = await call('POST', `/v1/admin/requests/${requestId}/complete`, { token: admin.token, body: { note: 'Both recipients are past their deadline; chased by email.', evidence } });
  expect(completed.status).toBe(200);
  expect(completed.body.status).toBe('completed');
  const certificate = await call('GET', `/v1/erasure-receipts/${requestId}`, { headers: { 'x-receipt-token': receiptToken } });
  expect(certificate.body.status).toBe('completed');
  expect((certificate.body.recipients as Json[]).map((r) => r.status)).toEqual(['overdue', 'overdue']);
});
