/**
 * The admin routes the privacy console's inbox and request detail need, against the real local cloud: one request by id,
 * an export downloaded by an admin (audited), a subject found by email through the blind index (audited without the
 * email), the legal-hold flag on the inbox, and a completion by hand that requires its evidence.
 */
import { type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { apiClient, createAdmin, documentClient, newPerson, scanAll } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';
import { readObject, settled } from './helpers/rights';

let cloud: LocalCloudHandle;
let db: DynamoDBDocumentClient;
let call: ReturnType<typeof apiClient>;
let admin: Awaited<ReturnType<typeof createAdmin>>;

beforeAll(async () => {
  cloud = await startLocalCloudProcess(['--visibility-timeout', '5'], { PASSWORD_SCRYPT_LOG_N: '12', RIGHTS_MODES: '{"access":"manual"}' });
  db = documentClient(cloud);
  call = apiClient(cloud);
  admin = await createAdmin(cloud);
}, 120_000);

afterAll(async () => {
  db?.destroy();
  await cloud?.stop();
});

async function subject() {
  const person = newPerson();
  const registered = await call('POST', '/v1/accounts', { body: person });
  expect(registered.status).toBe(201);
  return { person, subjectId: registered.body.account.subjectId as string, token: registered.body.session.token as string };
}

it('finds a subject by email through the blind index, and audits the lookup without the email', async () => {
  const { person, subjectId } = await subject();
  const found = await call('POST', '/v1/admin/subjects/lookup', { token: admin.token, body: { email: person.email.toUpperCase() } });
  expect(found).toMatchObject({ status: 200, body: { subjectId } });
  const missing = await call('POST', '/v1/admin/subjects/lookup', { token: admin.token, body: { email: 'nobody.here@example.com' } });
  expect(missing.status).toBe(404);
  expect(missing.body.type).toBe('/problems/subject-not-found');
  expect((await call('POST', '/v1/admin/subjects/lookup', { token: admin.token, body: { email: 'not an email' } })).status).toBe(400);
  const { token } = await subject();
  expect((await call('POST', '/v1/admin/subjects/lookup', { token, body: { email: person.email } })).status).toBe(403);

  const entries = (await scanAll(db, cloud.env.AUDIT_TABLE_NAME)).filter((e) => e.origin === 'route:findSubject');
  expect(entries.map((e) => e.outcome).sort()).toEqual(['failure', 'success']);
  expect(entries.every((e) => e.actorRole === 'admin' && e.action === 'read')).toBe(true);
  expect(JSON.stringify(entries)).not.toContain(person.email);
  expect(JSON.stringify(entries)).not.toContain('nobody.here');
}, 60_000);

it('shows one request by id with its history, and 404 for an unknown id', async () => {
  const { token, subjectId } = await subject();
  const filed = await call('POST', '/v1/me/requests', { token, body: { type: 'access' } });
  const one = await call('GET', `/v1/admin/requests/${filed.body.requestId}`, { token: admin.token });
  expect(one.status).toBe(200);
  expect(one.body).toMatchObject({ requestId: filed.body.requestId, subjectId, type: 'access', status: 'verified' });
  expect(one.body.history.length).toBeGreaterThan(0);
  const unknown = await call('GET', '/v1/admin/requests/00000000-0000-4000-8000-000000000000', { token: admin.token });
  expect(unknown.status).toBe(404);
  expect((await call('GET', `/v1/admin/requests/${filed.body.requestId}`, { token })).status).toBe(403);
}, 60_000);

it('flags requests whose subject is under a legal hold in the inbox', async () => {
  const held = await subject();
  const free = await subject();
  const heldRequest = await call('POST', '/v1/me/requests', { token: held.token, body: { type: 'access' } });
  const freeRequest = await call('POST', '/v1/me/requests', { token: free.token, body: { type: 'access' } });
  expect((await call('PUT', `/v1/admin/subjects/${held.subjectId}/legal-hold`, { token: admin.token, body: { reason: 'Case 12' } })).status).toBe(200);
  const inbox = await call('GET', '/v1/admin/requests', { token: admin.token });
  const flag = (id: string) => inbox.body.requests.find((r: { requestId: string }) => r.requestId === id)?.legalHold;
  expect([flag(heldRequest.body.requestId), flag(freeRequest.body.requestId)]).toEqual([true, false]);
}, 60_000);

it('completes by hand only with evidence of what was done where, shown in the history', async () => {
  const { token } = await subject();
  const fix = await call('POST', '/v1/me/requests', { token, body: { type: 'rectification', fields: ['profile.familyName'] } });
  const path = `/v1/admin/requests/${fix.body.requestId}/complete`;
  const without = await call('POST', path, { token: admin.token, body: { note: 'Corrected as asked.' } });
  expect(without.status).toBe(400);
  expect(without.body.errors.map((e: { path: string }) => e.path)).toContain('body.evidence');
  expect((await call('POST', path, { token: admin.token, body: { note: 'Corrected as asked.', evidence: [] } })).status).toBe(400);
  const evidence = [
    { where: 'CRM', action: 'corrected', detail: 'ticket 4711' },
    { where: 'newsletter tool', action: 'checked-none-held' },
  ];
  const completed = await call('POST', path, { token: admin.token, body: { note: 'Corrected as asked.', evidence } });
  expect(completed.status).toBe(200);
  expect(completed.body.history.at(-1)).toMatchObject({ status: 'completed', by: 'admin', note: 'Corrected as asked.', evidence });
  // the subject sees what was done where
  expect((await call('GET', `/v1/me/requests/${fix.body.requestId}`, { token })).body.history.at(-1).evidence).toEqual(evidence);
}, 60_000);

it('lets an admin download a completed export, audited on the subject\'s trail; not before it is ready', async () => {
  const { token, person } = await subject();
  const filed = await call('POST', '/v1/me/requests', { token, body: { type: 'export' } });
  expect(filed.status).toBe(202);
  await settled(cloud, token, filed.body.requestId);
  const link = await call('GET', `/v1/admin/requests/${filed.body.requestId}/download?format=json`, { token: admin.token });
  expect(link.status).toBe(200);
  expect(await readObject(link.body.url)).toContain(person.email);
  const entries = (await scanAll(db, cloud.env.AUDIT_TABLE_NAME)).filter((e) => e.origin === 'route:adminDownloadExport');
  expect(entries.some((e) => e.actorRole === 'admin' && e.fields.includes('exports.subjectExport'))).toBe(true);

  const waiting = await call('POST', '/v1/me/requests', { token, body: { type: 'access' } });
  expect((await call('GET', `/v1/admin/requests/${waiting.body.requestId}/download`, { token: admin.token })).body.type).toBe('/problems/export-not-ready');
  expect((await call('GET', `/v1/admin/requests/${filed.body.requestId}/download`, { token })).status).toBe(403);
}, 90_000);
