/**
 * Recipients acknowledge through the ack route (issue 14 item 4), against the real local cloud: each recipient signs with
 * its own secret (`fmn recipients secret`), a forged, stale, replayed or cross-recipient ack is refused, audited and
 * changes nothing, a duplicate ack changes nothing, and an export part is uploaded through the presigned PUT the ack hands out.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { messageId } from '../../lambdas/domain/recipient-events';
import type { RecipientId } from '../../lambdas/recipients';
import { recipientSecret, signedAck, type SignedAck } from './helpers/acks';
import { apiClient, documentClient, scanAll, type Json } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';
import { settled, subjectWithData } from './helpers/rights';

let cloud: LocalCloudHandle;
let db: DynamoDBDocumentClient;
let call: ReturnType<typeof apiClient>;
const secrets = {} as Record<RecipientId, string>;

beforeAll(async () => {
  cloud = await startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12' });
  db = documentClient(cloud);
  call = apiClient(cloud);
  for (const id of ['app-service', 'email-provider'] as const) secrets[id] = recipientSecret(cloud, id);
}, 120_000);

afterAll(async () => {
  db?.destroy();
  await cloud?.stop();
});

const signed = signedAck;

const post = (recipient: string, ack: SignedAck) => call('POST', `/v1/recipients/${recipient}/acks`, { raw: ack.raw, headers: ack.headers });

const requestItem = async (requestId: string) =>
  (await scanAll(db, cloud.env.RIGHTS_REQUESTS_TABLE_NAME)).find((r) => r.requestId === requestId) as Json;

const refusedAcks = async () =>
  (await scanAll(db, cloud.env.AUDIT_TABLE_NAME)).filter((e) => e.action === 'recipient.ack' && e.outcome === 'failure');

/** A completed export of a fresh subject, and the ack body each recipient would send for it. */
async function exportRequest() {
  const { token } = await subjectWithData(cloud);
  const created = await call('POST', '/v1/me/requests', { token, body: { type: 'export' } });
  expect(created.status).toBe(202);
  const requestId = created.body.requestId as string;
  await settled(cloud, token, requestId);
  const ackFor = (recipient: RecipientId, extra: Json = {}): Json => ({
    messageId: messageId({ kind: 'rights-request', id: requestId }, recipient, 'export'),
    requestId,
    action: 'provide-part',
    outcome: 'nothing_found',
    ...extra,
  });
  return { token, requestId, ackFor };
}

/** Asserts the answer refused the ack, that it was audited without its body, and that the request did not change. */
async function expectRefused(answer: { status: number; body: Json }, status: number, requestId: string, before: Json, auditedBefore: number) {
  expect(answer.status).toBe(status);
  expect(await requestItem(requestId)).toEqual(before);
  const refused = await refusedAcks();
  expect(refused.length).toBe(auditedBefore + 1);
  const entry = refused.at(-1)!;
  expect(entry.actorRole).toBe('recipient');
  expect(entry.fields).toEqual(['rightsRequests.recipients']);
  expect(JSON.stringify(entry)).not.toContain(requestId);
}

it('records a recipient\u2019s signed ack on the request, and a duplicate ack changes nothing', async () => {
  const { token, requestId, ackFor } = await exportRequest();
  const first = await post('email-provider', signed(secrets['email-provider'], ackFor('email-provider', { counts: { subscribers: 0 } })));
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ recipient: 'email-provider', requestId, status: 'nothing_found', duplicate: false });
  const after = await requestItem(requestId);
  expect(after.recipients['email-provider']).toMatchObject({ status: 'nothing_found', action: 'provide-part' });

  // The same ack sent again (a recipient's retry: a new webhook-id, even another outcome) is a 200 that changes nothing.
  const again = await post('email-provider', signed(secrets['email-provider'], ackFor('email-provider', { outcome: 'failed', reason: 'retry' })));
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ status: 'nothing_found', duplicate: true });
  expect(await requestItem(requestId)).toEqual(after);

  // The subject sees where each recipient stands; the reason of a failure is for administrators only.
  const view = await call('GET', `/v1/me/requests/${requestId}`, { token });
  expect(view.body.recipients).toEqual([
    expect.objectContaining({ recipient: 'email-provider', status: 'acknowledged', outcome: 'nothing_found', action: 'provide-part' }),
  ]);
});

it('refuses a forged, stale, replayed or cross-recipient ack: 401/403, audited without the body, nothing changed', async () => {
  const { requestId, ackFor } = await exportRequest();
  const accepted = signed(secrets['email-provider'], ackFor('email-provider'));
  expect((await post('email-provider', accepted)).status).toBe(200);
  const before = await requestItem(requestId);

  // forged: signed with a secret that is not the recipient's
  let audited = (await refusedAcks()).length;
  const forged = signed(`whsec_${Buffer.from('not the secret, 32 bytes long!!!').toString('base64')}`, ackFor('email-provider', { outcome: 'failed', reason: 'x' }));
  await expectRefused(await post('email-provider', forged), 401, requestId, before, audited);

  // stale: a timestamp six minutes old, validly signed
  audited += 1;
  const stale = signed(secrets['email-provider'], ackFor('email-provider', { outcome: 'failed', reason: 'x' }), { at: new Date(Date.now() - 6 * 60_000) });
  await expectRefused(await post('email-provider', stale), 401, requestId, before, audited);

  // replayed: the accepted ack, byte for byte, again
  audited += 1;
  await expectRefused(await post('email-provider', accepted), 401, requestId, before, audited);

  // cross-recipient: the email provider's valid signature sent to the app service's path
  audited += 1;
  await expectRefused(await post('app-service', signed(secrets['email-provider'], ackFor('app-service'))), 401, requestId, before, audited);

  // cross-recipient: a valid signature of the email provider over the app service's message
  audited += 1;
  await expectRefused(await post('email-provider', signed(secrets['email-provider'], ackFor('app-service'))), 403, requestId, before, audited);

  // no signature at all
  audited += 1;
  const unsigned = signed(secrets['email-provider'], ackFor('email-provider'));
  await expectRefused(await call('POST', '/v1/recipients/email-provider/acks', { raw: unsigned.raw }), 401, requestId, before, audited);
});

it('takes an export part through a presigned PUT, then records the ack', async () => {
  const { requestId, ackFor } = await exportRequest();
  const ack = ackFor('app-service', { outcome: 'done', counts: { orders: 2 }, exportPart: { contentType: 'application/json' } });
  const first = await post('app-service', signed(secrets['app-service'], ack));
  expect(first.status).toBe(409);
  expect(first.body.type).toBe('/problems/export-part-missing');
  expect(first.body.uploadMethod).toBe('PUT');
  expect((await requestItem(requestId)).recipients).toBeUndefined();

  const uploaded = await fetch(first.body.uploadUrl as string, { method: 'PUT', body: JSON.stringify({ orders: [{ id: 1 }, { id: 2 }] }) });
  expect(uploaded.ok).toBe(true);
  const second = await post('app-service', signed(secrets['app-service'], ack));
  expect(second.status).toBe(200);
  expect(second.body).toMatchObject({ status: 'done', duplicate: false });
  expect((await requestItem(requestId)).recipients['app-service']).toMatchObject({
    status: 'done',
    counts: { orders: 2 },
    partKey: `exports/${requestId}/recipients/app-service.json`,
  });
});

it('answers 404 for an unknown recipient or request, audited', async () => {
  const before = (await refusedAcks()).length;
  const body = { messageId: `evt_${'0'.repeat(32)}`, requestId: randomUUID(), action: 'delete', outcome: 'done' };
  expect((await post('nobody', signed(secrets['app-service'], body))).status).toBe(404);
  expect((await post('app-service', signed(secrets['app-service'], body))).status).toBe(404);
  expect((await refusedAcks()).length).toBe(before + 2);
});
