/**
 * Re-authentication before destructive admin actions, against the real local cloud: approving or completing a request and
 * lifting a legal hold need a password and second-factor code given within REAUTHENTICATION_WINDOW_SECONDS (at login or
 * through POST /v1/sessions/current/reauthentication); a wrong code is refused and counted; the confirmation is audited.
 */
import { createHash } from 'node:crypto';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { REAUTHENTICATION_WINDOW_SECONDS } from '../../lambdas/domain/sessions';
import { apiClient, createAdmin, documentClient, newPerson, PASSWORD, scanAll, totpNow } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

let cloud: LocalCloudHandle;
let db: DynamoDBDocumentClient;
let call: ReturnType<typeof apiClient>;

beforeAll(async () => {
  cloud = await startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12', RIGHTS_MODES: '{"access":"manual"}' });
  db = documentClient(cloud);
  call = apiClient(cloud);
}, 120_000);

afterAll(async () => {
  db?.destroy();
  await cloud?.stop();
});

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Moves the session's login (and a re-authentication, if any) back in time, as if the officer had been away. */
async function ageSession(token: string, seconds: number) {
  const at = new Date(Date.now() - seconds * 1000).toISOString();
  await db.send(
    new UpdateCommand({
      TableName: cloud.env.SESSIONS_TABLE_NAME,
      Key: { tokenHash: tokenHash(token) },
      UpdateExpression: 'SET createdAt = :at, reauthenticatedAt = :at',
      ExpressionAttributeValues: { ':at': at },
    }),
  );
}

async function manualAccessRequest(): Promise<{ requestId: string; subjectId: string }> {
  const registered = await call('POST', '/v1/accounts', { body: newPerson() });
  expect(registered.status).toBe(201);
  const filed = await call('POST', '/v1/me/requests', { token: registered.body.session.token, body: { type: 'access' } });
  expect(filed.status).toBe(202);
  return { requestId: filed.body.requestId, subjectId: registered.body.account.subjectId };
}

it('lets a fresh login act, refuses destructive actions once the window has passed, and allows them again after re-authentication', async () => {
  const admin = await createAdmin(cloud);
  const first = await manualAccessRequest();
  // the login itself was password and code: no second prompt right after it
  expect((await call('POST', `/v1/admin/requests/${first.requestId}/approve`, { token: admin.token })).status).toBe(200);

  await ageSession(admin.token, REAUTHENTICATION_WINDOW_SECONDS + 1);
  const second = await manualAccessRequest();
  const refused = await call('POST', `/v1/admin/requests/${second.requestId}/approve`, { token: admin.token });
  expect(refused.status).toBe(403);
  expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(refused.body).toMatchObject({ type: '/problems/reauthentication-required', title: 'Confirm it is you' });
  // nothing happened to the request
  expect((await call('GET', '/v1/admin/requests', { token: admin.token })).body.requests.find((r: { requestId: string }) => r.requestId === second.requestId)?.status).toBe('verified');
  const completeRefused = await call('POST', `/v1/admin/requests/${second.requestId}/complete`, { token: admin.token, body: { note: 'Done by hand.', evidence: [{ where: 'CRM', action: 'checked-none-held' }] } });
  expect(completeRefused.body.type).toBe('/problems/reauthentication-required');
  expect((await call('PUT', `/v1/admin/subjects/${second.subjectId}/legal-hold`, { token: admin.token, body: { reason: 'Case 7' } })).status).toBe(200);
  expect((await call('DELETE', `/v1/admin/subjects/${second.subjectId}/legal-hold`, { token: admin.token })).body.type).toBe('/problems/reauthentication-required');
  // actions that destroy nothing stay open: a rejection with its reason, an extension
  const third = await manualAccessRequest();
  expect((await call('POST', `/v1/admin/requests/${third.requestId}/extend`, { token: admin.token, body: { months: 1, reason: 'Complex case.' } })).status).toBe(200);

  // the next step's code (the login used this step's): accepted, and the window opens again
  const confirmed = await call('POST', '/v1/sessions/current/reauthentication', { token: admin.token, body: { password: PASSWORD, code: totpNow(admin.otpauthUri, 1) } });
  expect(confirmed.status).toBe(200);
  expect(Date.parse(confirmed.body.validUntil) - Date.parse(confirmed.body.reauthenticatedAt)).toBe(REAUTHENTICATION_WINDOW_SECONDS * 1000);
  expect((await call('POST', `/v1/admin/requests/${second.requestId}/approve`, { token: admin.token })).status).toBe(200);
  expect((await call('DELETE', `/v1/admin/subjects/${second.subjectId}/legal-hold`, { token: admin.token })).status).toBe(200);

  // audited as an update of the session's re-authentication time, by the admin, with no password or code in it
  const entries = (await scanAll(db, cloud.env.AUDIT_TABLE_NAME)).filter((e) => e.origin === 'route:reauthenticate');
  expect(entries.map((e) => ({ action: e.action, fields: e.fields, outcome: e.outcome }))).toContainEqual({
    action: 'update',
    fields: ['sessions.reauthenticatedAt'],
    outcome: 'success',
  });
  expect(JSON.stringify(entries)).not.toContain(PASSWORD);
}, 120_000);

it('refuses a wrong code or password (403 reauthentication-failed), counts it like a failed login, and a recovery code works', async () => {
  const admin = await createAdmin(cloud);
  await ageSession(admin.token, REAUTHENTICATION_WINDOW_SECONDS + 1);
  const wrong = String((Number(totpNow(admin.otpauthUri, 1)) + 1) % 1_000_000).padStart(6, '0');
  const refused = await call('POST', '/v1/sessions/current/reauthentication', { token: admin.token, body: { password: PASSWORD, code: wrong } });
  expect(refused.status).toBe(403);
  expect(refused.body).toMatchObject({ type: '/problems/reauthentication-failed', title: 'Not confirmed' });
  const badPassword = await call('POST', '/v1/sessions/current/reauthentication', {
    token: admin.token,
    body: { password: 'not the password', code: totpNow(admin.otpauthUri, 1) },
  });
  expect(badPassword.body.type).toBe('/problems/reauthentication-failed');
  // still refused for the destructive action; the session itself lives on
  const request = await manualAccessRequest();
  expect((await call('POST', `/v1/admin/requests/${request.requestId}/approve`, { token: admin.token })).body.type).toBe('/problems/reauthentication-required');
  expect((await call('GET', '/v1/admin/requests', { token: admin.token })).status).toBe(200);
  // the failures sit on the login throttle's counters (pseudonymous keys only)
  const counters = await scanAll(db, cloud.env.LOGIN_THROTTLE_TABLE_NAME);
  expect(counters.filter((c) => c.failures >= 2).length).toBeGreaterThanOrEqual(1);
  // each refusal is on the admin's audit chain as a failed access by this route, without the password or code
  const refusals = (await scanAll(db, cloud.env.AUDIT_TABLE_NAME)).filter((e) => e.origin === 'route:reauthenticate' && e.outcome === 'failure');
  expect(refusals.length).toBeGreaterThanOrEqual(2);
  expect(JSON.stringify(refusals)).not.toContain(wrong);
  // a single-use recovery code confirms too
  expect((await call('POST', '/v1/sessions/current/reauthentication', { token: admin.token, body: { password: PASSWORD, code: admin.recoveryCodes[0] } })).status).toBe(200);
  expect((await call('POST', `/v1/admin/requests/${request.requestId}/approve`, { token: admin.token })).status).toBe(200);
}, 120_000);

it('is for admins only, and validates its body', async () => {
  const subject = await call('POST', '/v1/accounts', { body: newPerson() });
  const token = subject.body.session.token;
  expect((await call('POST', '/v1/sessions/current/reauthentication', { token, body: { password: PASSWORD, code: '123456' } })).body.type).toBe('/problems/forbidden');
  expect((await call('POST', '/v1/sessions/current/reauthentication', { body: { password: PASSWORD, code: '123456' } })).status).toBe(401);
  const admin = await createAdmin(cloud);
  const bad = await call('POST', '/v1/sessions/current/reauthentication', { token: admin.token, body: { password: PASSWORD, code: 'not a code' } });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).not.toContain(PASSWORD);
}, 120_000);
