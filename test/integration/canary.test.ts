/**
 * The canary: a full scenario over every route that exists, with unique canary values in every personal field and in the
 * client's IP headers, then a search of everything the local cloud printed (every log line of every handler, the authorizer
 * and the worker) and of every audit item for any of them. One hit fails the test.
 *
 * This suite grows with every route: `routes` below must cover the whole route table (a test checks it does).
 */
import { randomUUID } from 'node:crypto';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { routes } from '../../lambdas/routes';
import { apiClient, createAdmin, documentClient, scanAll, type Json } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';
import { readObject, settled, settledForAdmin } from './helpers/rights';

let cloud: LocalCloudHandle;

beforeAll(async () => {
  cloud = await startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12', POWERTOOLS_LOG_LEVEL: 'DEBUG' });
});

afterAll(async () => {
  await cloud?.stop();
});

const tag = randomUUID().replace(/-/g, '').slice(0, 10);
const canary = {
  email: `canary.${tag}@canary-mail.example`,
  newEmail: `canary.new.${tag}@canary-mail.example`,
  displayName: `Canaryname ${tag}`,
  givenName: `Canarygiven${tag}`,
  familyName: `Canaryfamily${tag}`,
  correctedName: `Canarycorrected${tag}`,
  phone: `+4477009${tag.replace(/\D/g, '0').slice(0, 5).padEnd(5, '7')}`,
  street: `${tag} Canary Wharf Street`,
  city: `Canarycity${tag}`,
  password: `canary password ${tag}`,
  newPassword: `canary new password ${tag}`,
  ipv4: '203.0.113.77',
  ipv6: '2001:db8::c0:ffee',
  userAgent: `CanaryBrowser/${tag} (X11; Linux x86_64) Firefox/131.0`,
};

const clientHeaders = {
  'x-forwarded-for': `${canary.ipv4}, ${canary.ipv6}`,
  'x-real-ip': canary.ipv4,
  'user-agent': canary.userAgent,
};

it('leaks no canary value into any log line or audit entry, over every route', async () => {
  const call = apiClient(cloud);
  /** Which routes the scenario exercised; checked against the route table at the end. */
  const exercised = new Set<string>();
  const send = async (routeId: string, method: string, path: string, options: Parameters<typeof call>[2] = {}) => {
    exercised.add(routeId);
    return call(method, path, { ...options, headers: { ...clientHeaders, ...options.headers } });
  };
  const admin = await createAdmin(cloud);

  expect((await send('health', 'GET', '/v1/health')).status).toBe(200);
  expect((await send('openapi', 'GET', '/v1/openapi.json')).status).toBe(200);

  const registration = await send('register', 'POST', '/v1/accounts', {
    body: {
      consents: { 'product-improvement': false },
      email: canary.email,
      password: canary.password,
      displayName: canary.displayName,
      givenName: canary.givenName,
      familyName: canary.familyName,
      locale: 'en-GB',
      phone: canary.phone,
      postalAddress: { street: canary.street, postalCode: 'E14 5AB', city: canary.city, country: 'GB' },
    },
  });
  expect(registration.status).toBe(201);
  const subjectId = registration.body.account.subjectId as string;
  let token = registration.body.session.token as string;

  // Refusals whose input carries canaries: the logs must say what went wrong without repeating it.
  expect((await send('register', 'POST', '/v1/accounts', { body: { email: canary.email, password: canary.password, displayName: canary.displayName } })).status).toBe(409);
  expect((await send('register', 'POST', '/v1/accounts', { raw: `{"email":"${canary.email}", "phone": "${canary.phone}"` })).status).toBe(400);
  expect((await send('register', 'POST', '/v1/accounts', { body: { email: canary.email, password: 'short', displayName: canary.displayName, phone: 'call ' + canary.phone } })).status).toBe(400);
  expect((await send('login', 'POST', '/v1/sessions', { body: { email: canary.email, password: `${canary.password} wrong` } })).status).toBe(401);
  expect((await send('login', 'POST', '/v1/sessions', { body: { email: canary.newEmail, password: canary.password } })).status).toBe(401);

  const login = await send('login', 'POST', '/v1/sessions', { body: { email: canary.email, password: canary.password } });
  expect(login.status).toBe(201);
  const secondToken = login.body.session.token as string;

  expect((await send('getMe', 'GET', '/v1/me', { token })).body.profile.email).toBe(canary.email);
  expect((await send('patchMe', 'PATCH', '/v1/me', { token, body: { displayName: canary.correctedName, phone: null } })).status).toBe(200);
  expect((await send('patchMe', 'PATCH', '/v1/me', { token, body: { email: canary.newEmail, currentPassword: canary.password } })).status).toBe(200);
  expect((await send('patchMe', 'PATCH', '/v1/me', { token, body: { email: canary.email, currentPassword: 'not the password' } })).status).toBe(403);
  expect((await send('patchMe', 'PATCH', '/v1/me', { token, body: { newPassword: canary.newPassword, currentPassword: canary.password } })).status).toBe(200);
  expect((await send('listSessions', 'GET', '/v1/sessions', { token })).status).toBe(200);
  expect((await send('getMe', 'GET', '/v1/me', { token: secondToken })).status).toBe(401);

  const idToken = ['eyJhbGciOiJSUzI1NiJ9', Buffer.from(JSON.stringify({ iss: 'https://idp.canary.example', sub: tag, email: canary.email })).toString('base64url'), 'c2ln'].join('.');
  expect((await send('loginOidc', 'POST', '/v1/sessions/oidc', { body: { idToken } })).status).toBe(401);

  // Consent: the catalogue, decisions, the gate, restriction and objection, and the tracking endpoint.
  expect((await send('purposes', 'GET', '/v1/purposes')).status).toBe(200);
  expect((await send('newsletter', 'PUT', '/v1/me/newsletter', { token, body: { subscribed: true } })).status).toBe(403);
  expect((await send('analyticsEvents', 'POST', '/v1/events', { token, body: { events: [{ name: 'screen.view', at: new Date().toISOString() }] } })).status).toBe(204);
  expect((await send('putConsent', 'PUT', '/v1/me/consents/marketing-email', { token, body: { granted: true } })).status).toBe(200);
  expect((await send('putConsent', 'PUT', '/v1/me/consents/analytics', { token, body: { granted: true } })).status).toBe(200);
  expect((await send('newsletter', 'PUT', '/v1/me/newsletter', { token, body: { subscribed: true } })).status).toBe(200);
  expect((await send('analyticsEvents', 'POST', '/v1/events', { token, body: { events: [{ name: 'screen.view', at: new Date().toISOString(), properties: { screen: 'profile' } }] } })).status).toBe(204);
  expect((await send('analyticsEvents', 'POST', '/v1/events', { token, body: { events: [{ name: 'form.submit', at: new Date().toISOString(), properties: { note: canary.email } }] } })).status).toBe(400);
  expect((await send('myConsents', 'GET', '/v1/me/consents', { token })).status).toBe(200);
  expect((await send('consentHistory', 'GET', '/v1/me/consents/history', { token })).status).toBe(200);
  expect((await send('restrict', 'POST', '/v1/me/restriction', { token })).status).toBe(200);
  expect((await send('liftRestriction', 'DELETE', '/v1/me/restriction', { token })).status).toBe(200);
  expect((await send('object', 'POST', '/v1/me/objections/product-improvement', { token })).status).toBe(200);
  expect((await send('withdrawObjection', 'DELETE', '/v1/me/objections/product-improvement', { token })).status).toBe(200);

  expect((await send('myAudit', 'GET', '/v1/me/audit', { token })).status).toBe(200);
  expect((await send('adminAudit', 'GET', `/v1/admin/audit?subjectId=${subjectId}`, { token: admin.token })).status).toBe(200);
  expect((await send('adminAudit', 'GET', '/v1/admin/audit', { token })).status).toBe(403);

  // Rights: an export carried out by the worker and downloaded, manual rectifications handled by an admin.
  const exportRequest = await send('createRequest', 'POST', '/v1/me/requests', { token, body: { type: 'export' } });
  expect(exportRequest.status).toBe(202);
  await settled(cloud, token, exportRequest.body.requestId);
  expect((await send('myRequest', 'GET', `/v1/me/requests/${exportRequest.body.requestId}`, { token })).body.status).toBe('completed');
  const link = await send('downloadExport', 'GET', `/v1/me/requests/${exportRequest.body.requestId}/download`, { token });
  expect(await readObject(link.body.url)).toContain(canary.newEmail);
  const fix = await send('createRequest', 'POST', '/v1/me/requests', { token, body: { type: 'rectification', fields: ['profile.displayName'] } });
  expect((await send('myRequests', 'GET', '/v1/me/requests', { token })).status).toBe(200);
  expect((await send('adminRequests', 'GET', '/v1/admin/requests', { token: admin.token })).status).toBe(200);
  expect((await send('approveRequest', 'POST', `/v1/admin/requests/${fix.body.requestId}/approve`, { token: admin.token })).status).toBe(409);
  expect((await send('extendRequest', 'POST', `/v1/admin/requests/${fix.body.requestId}/extend`, { token: admin.token, body: { months: 1, reason: 'Checking the records.' } })).status).toBe(200);
  expect((await send('completeRequest', 'POST', `/v1/admin/requests/${fix.body.requestId}/complete`, { token: admin.token, body: { note: 'Corrected.' } })).status).toBe(200);
  const other = await send('createRequest', 'POST', '/v1/me/requests', { token, body: { type: 'rectification', fields: ['profile.phone'] } });
  expect((await send('rejectRequest', 'POST', `/v1/admin/requests/${other.body.requestId}/reject`, { token: admin.token, body: { reason: 'Nothing to correct.' } })).status).toBe(200);

  expect((await send('logout', 'DELETE', '/v1/sessions/current', { token })).status).toBe(204);
  const again = await send('login', 'POST', '/v1/sessions', { body: { email: canary.newEmail, password: canary.newPassword } });
  expect(again.status).toBe(201);
  token = again.body.session.token;
  expect((await send('logoutEverywhere', 'DELETE', '/v1/sessions', { token })).status).toBe(204);
  expect((await send('getMe', 'GET', '/v1/me', { token })).status).toBe(401);
  expect((await send('fallback', 'GET', `/v1/users/${encodeURIComponent(canary.email)}`)).status).toBe(404);

  // And erasure, last: afterwards the audit trail must still hold no canary value.
  const last = await send('login', 'POST', '/v1/sessions', { body: { email: canary.newEmail, password: canary.newPassword } });
  const erasure = await send('createRequest', 'POST', '/v1/me/requests', { token: last.body.session.token, body: { type: 'erasure' } });
  expect(erasure.status).toBe(202);
  await settledForAdmin(cloud, admin.token, erasure.body.requestId);
  const receipt = await send('erasureReceipt', 'GET', `/v1/erasure-receipts/${erasure.body.requestId}`, { headers: { 'x-receipt-token': erasure.body.receiptToken } });
  expect(receipt.body.verification.ok).toBe(true);

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
  db.destroy();

  // The search is meaningful only if there is something to search: logs from the handlers and entries in the audit table.
  expect(output.split('\n').filter((line) => line.includes('"correlationId"')).length).toBeGreaterThan(20);
  expect(output).toContain('"job refused"');
  expect(audit.length).toBeGreaterThan(1000);

  const leaks: Json[] = [];
  for (const [name, value] of Object.entries(canary)) {
    for (const [where, text] of [['logs', output], ['audit', audit]] as const) {
      if (text.toLowerCase().includes(value.toLowerCase())) leaks.push({ name, where });
    }
  }
  expect(leaks).toEqual([]);
  // Raw subject ids stay out of the audit trail too (pseudonyms only).
  expect(audit.includes(subjectId)).toBe(false);
  // And the scenario kept up with the route table: a new route must be added here.
  expect(routes.map((r) => r.id).filter((id) => !exercised.has(id))).toEqual([]);
}, 120_000);
