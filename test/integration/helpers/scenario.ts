/**
 * The scenario that drives every route of the table, the rights worker (an export and an erasure) and, through them, every
 * store: shared by the canary (which searches the logs and audit trail it leaves for personal values) and the field-use
 * check (which compares what it touched with the declarations). A new route is added here, once, for both.
 */
import { randomUUID } from 'node:crypto';
import { messageId } from '../../../lambdas/domain/recipient-events';
import { recipientSecret, signedAck } from './acks';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { apiClient, createAdmin, documentClient, PASSWORD, totpNow } from './api';
import type { LocalCloudHandle } from './local-cloud';
import { readObject, settled, settledForAdmin } from './rights';

/** Unique canary values for every personal field and for the client's IP and user-agent headers. */
export function canaryValues() {
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
    holdReason: `Canary court order ${tag}`,
    // Free text an admin writes on requests, kept as proof after erasure: erasure must remove it.
    extendReason: `Canary extension reason ${tag}`,
    completeNote: `Canary completion note ${tag}`,
    rejectReason: `Canary rejection reason ${tag}`,
    // A recipient's failure reason (free text from a processor): never logged, gone once the subject is erased.
    ackReason: `Canary ack reason for ${tag}`,
    // A well-formed client id the deployment does not declare: refused, so it never reaches the consent ledger.
    clientId: `canary-${tag}`,
  };

  const clientHeaders = {
    'x-forwarded-for': `${canary.ipv4}, ${canary.ipv6}`,
    'x-real-ip': canary.ipv4,
    'user-agent': canary.userAgent,
  };
  return { tag, canary, clientHeaders };
}

export type Canary = ReturnType<typeof canaryValues>;

/**
 * Runs the scenario with the canary's values and headers on every call. Returns the ids of the routes it exercised (the
 * callers check them against the route table) and the subject it registered.
 */
export async function driveEveryRoute(
  cloud: LocalCloudHandle,
  { tag, canary, clientHeaders }: Canary,
  /**
   * Wait, before the erasure, until the drain has published the subject's pending outbox items (the email change's event
   * with the previous email among them): the erasure deletes what is still pending. For clouds that drain often.
   */
  { drainBeforeErasure = false }: { drainBeforeErasure?: boolean } = {},
) {
  const call = apiClient(cloud);
  /** Which routes the scenario exercised; checked against the route table by the callers. */
  const exercised = new Set<string>();
  const send = async (routeId: string, method: string, path: string, options: Parameters<typeof call>[2] = {}) => {
    exercised.add(routeId);
    return call(method, path, { ...options, headers: { ...clientHeaders, ...options.headers } });
  };
  const admin = await createAdmin(cloud);
  // Destructive admin actions below need a recent password and code: the login gave them, and so does this (next step's code).
  expect((await send('reauthenticate', 'POST', '/v1/sessions/current/reauthentication', { token: admin.token, body: { password: PASSWORD, code: totpNow(admin.otpauthUri, 1) } })).status).toBe(200);

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
  expect((await send('putConsent', 'PUT', '/v1/me/consents/analytics', { token, body: { granted: true }, headers: { 'x-client-id': 'web' } })).status).toBe(200);
  const undeclared = await send('putConsent', 'PUT', '/v1/me/consents/analytics', { token, body: { granted: false }, headers: { 'x-client-id': canary.clientId } });
  expect(undeclared.status).toBe(400);
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
  // The recipients answer the export: the app service uploads its part (it holds the display name), the email provider fails.
  const exportMessage = (recipient: 'app-service' | 'email-provider') => ({
    messageId: messageId({ kind: 'rights-request', id: exportRequest.body.requestId }, recipient, 'export'),
    requestId: exportRequest.body.requestId,
    action: 'provide-part',
  });
  const appSecret = recipientSecret(cloud, 'app-service');
  const partAck = { ...exportMessage('app-service'), outcome: 'done', counts: { profiles: 1 }, exportPart: { contentType: 'application/json' } };
  const upload = await send('recipientAck', 'POST', '/v1/recipients/app-service/acks', signedAck(appSecret, partAck));
  expect(upload.status).toBe(409);
  expect((await fetch(upload.body.uploadUrl, { method: 'PUT', body: JSON.stringify({ displayName: canary.correctedName }) })).ok).toBe(true);
  expect((await send('recipientAck', 'POST', '/v1/recipients/app-service/acks', signedAck(appSecret, partAck))).status).toBe(200);
  const failedAck = { ...exportMessage('email-provider'), outcome: 'failed', reason: canary.ackReason };
  expect((await send('recipientAck', 'POST', '/v1/recipients/email-provider/acks', signedAck(recipientSecret(cloud, 'email-provider'), failedAck))).status).toBe(200);
  expect((await send('recipientAck', 'POST', '/v1/recipients/email-provider/acks', signedAck(appSecret, failedAck))).status).toBe(401);
  expect((await send('myRequest', 'GET', `/v1/me/requests/${exportRequest.body.requestId}`, { token })).body.status).toBe('completed');
  const link = await send('downloadExport', 'GET', `/v1/me/requests/${exportRequest.body.requestId}/download`, { token });
  expect(await readObject(link.body.url)).toContain(canary.newEmail);
  const fix = await send('createRequest', 'POST', '/v1/me/requests', { token, body: { type: 'rectification', fields: ['profile.displayName'] } });
  expect((await send('myRequests', 'GET', '/v1/me/requests', { token })).status).toBe(200);
  expect((await send('adminRequests', 'GET', '/v1/admin/requests', { token: admin.token })).status).toBe(200);
  expect((await send('adminRecipients', 'GET', '/v1/admin/recipients', { token: admin.token })).status).toBe(200);
  expect((await send('adminRecipients', 'GET', '/v1/admin/recipients', { token })).status).toBe(403);
  expect((await send('adminOperations', 'GET', '/v1/admin/operations', { token: admin.token })).status).toBe(200);
  expect((await send('adminOperations', 'GET', '/v1/admin/operations', { token })).status).toBe(403);
  // The run's DLQs are empty: the redrive moves nothing (test/integration/operations.test.ts moves messages).
  expect((await send('redriveQueue', 'POST', '/v1/admin/operations/queues/rightsRequestDlq/redrive', { token: admin.token, body: {} })).body.moved).toBe(0);
  expect((await send('adminRequest', 'GET', `/v1/admin/requests/${fix.body.requestId}`, { token: admin.token })).status).toBe(200);
  expect((await send('adminDownloadExport', 'GET', `/v1/admin/requests/${exportRequest.body.requestId}/download?format=csv`, { token: admin.token })).status).toBe(200);
  // Found by email (in the body, never the URL): the email must stay out of logs and the audit trail.
  expect((await send('findSubject', 'POST', '/v1/admin/subjects/lookup', { token: admin.token, body: { email: canary.newEmail } })).body.subjectId).toBe(subjectId);
  expect((await send('findSubject', 'POST', '/v1/admin/subjects/lookup', { token: admin.token, body: { email: canary.email } })).status).toBe(404);
  expect((await send('approveRequest', 'POST', `/v1/admin/requests/${fix.body.requestId}/approve`, { token: admin.token })).status).toBe(409);
  expect((await send('extendRequest', 'POST', `/v1/admin/requests/${fix.body.requestId}/extend`, { token: admin.token, body: { months: 1, reason: canary.extendReason } })).status).toBe(200);
  expect((await send('completeRequest', 'POST', `/v1/admin/requests/${fix.body.requestId}/complete`, { token: admin.token, body: { note: canary.completeNote, evidence: [{ where: 'CRM', action: 'corrected', detail: canary.completeNote }] } })).status).toBe(200);
  const other = await send('createRequest', 'POST', '/v1/me/requests', { token, body: { type: 'rectification', fields: ['profile.phone'] } });
  expect((await send('rejectRequest', 'POST', `/v1/admin/requests/${other.body.requestId}/reject`, { token: admin.token, body: { reason: canary.rejectReason } })).status).toBe(200);

  // Retention: a legal hold placed and lifted by an admin; its reason is free text, so it must stay out of logs and audit.
  expect((await send('setLegalHold', 'PUT', `/v1/admin/subjects/${subjectId}/legal-hold`, { token: admin.token, body: { reason: canary.holdReason } })).status).toBe(200);
  expect((await send('setLegalHold', 'PUT', `/v1/admin/subjects/${subjectId}/legal-hold`, { token: admin.token, body: { reason: canary.holdReason, note: canary.email } })).status).toBe(400);
  expect((await send('liftLegalHold', 'DELETE', `/v1/admin/subjects/${subjectId}/legal-hold`, { token: admin.token })).status).toBe(200);

  // The console's subject view and audit search: the subject at a glance, their ledger, one field revealed (its value must
  // stay out of logs and the trail), the chain checked, and the subject's trail exported.
  expect((await send('adminSubject', 'GET', `/v1/admin/subjects/${subjectId}`, { token: admin.token })).status).toBe(200);
  expect((await send('adminConsentHistory', 'GET', `/v1/admin/subjects/${subjectId}/consents/history`, { token: admin.token })).status).toBe(200);
  expect((await send('adminConsentReceipt', 'GET', `/v1/admin/subjects/${subjectId}/consents/analytics/receipt`, { token: admin.token })).status).toBe(200);
  expect((await send('adminConsentStats', 'GET', '/v1/admin/consent-stats', { token: admin.token })).status).toBe(200);
  const revealed = await send('revealProfileField', 'POST', `/v1/admin/subjects/${subjectId}/reveal`, { token: admin.token, body: { field: 'phone', purpose: 'transparency' } });
  expect(revealed.status).toBe(200);
  expect((await send('verifySubjectAudit', 'GET', `/v1/admin/subjects/${subjectId}/audit/verify`, { token: admin.token })).body.ok).toBe(true);
  expect((await send('adminAuditExport', 'GET', `/v1/admin/audit/export?subjectId=${subjectId}&format=csv`, { token: admin.token })).status).toBe(200);

  // Breach response: a record whose text carries the canary's email is refused (and must not be repeated); one over every
  // table the scope job scans is recorded, scoped by the rights worker, read, filled in and exported.
  const window = { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date().toISOString() };
  const breach = {
    awareAt: new Date().toISOString(),
    detectedAt: new Date().toISOString(),
    stores: ['users', 'subjectKeys', 'identities', 'sessions', 'loginThrottle', 'consent', 'analyticsEvents', 'rightsRequests'],
    window,
    description: 'Scenario breach',
    nature: ['confidentiality'],
  };
  expect((await send('createIncident', 'POST', '/v1/admin/incidents', { token: admin.token, body: { ...breach, description: `Reported by ${canary.email}` } })).status).toBe(422);
  const incident = await send('createIncident', 'POST', '/v1/admin/incidents', { token: admin.token, body: breach });
  expect(incident.status).toBe(201);
  const incidentPath = `/v1/admin/incidents/${incident.body.incidentId}`;
  expect((await send('startIncidentScope', 'POST', `${incidentPath}/scope`, { token: admin.token })).status).toBe(202);
  let scoped = await send('adminIncident', 'GET', incidentPath, { token: admin.token });
  for (let i = 0; i < 150 && scoped.body.scope?.status === 'queued'; i++) {
    await new Promise((r) => setTimeout(r, 200));
    scoped = await send('adminIncident', 'GET', incidentPath, { token: admin.token });
  }
  expect(scoped.body.scope.status).toBe('done');
  expect((await send('adminIncidents', 'GET', '/v1/admin/incidents', { token: admin.token })).status).toBe(200);
  expect((await send('updateIncident', 'PATCH', incidentPath, { token: admin.token, body: { authorityNotice: { measures: 'Closed' } } })).status).toBe(200);
  expect((await send('exportIncident', 'GET', `${incidentPath}/export?format=csv`, { token: admin.token })).status).toBe(200);

  expect((await send('logout', 'DELETE', '/v1/sessions/current', { token })).status).toBe(204);
  const again = await send('login', 'POST', '/v1/sessions', { body: { email: canary.newEmail, password: canary.newPassword } });
  expect(again.status).toBe(201);
  token = again.body.session.token;
  expect((await send('logoutEverywhere', 'DELETE', '/v1/sessions', { token })).status).toBe(204);
  expect((await send('getMe', 'GET', '/v1/me', { token })).status).toBe(401);
  expect((await send('fallback', 'GET', `/v1/users/${encodeURIComponent(canary.email)}`)).status).toBe(404);

  if (drainBeforeErasure) await outboxDrained(cloud, subjectId);
  // And erasure, last: afterwards the audit trail must still hold no canary value.
  const last = await send('login', 'POST', '/v1/sessions', { body: { email: canary.newEmail, password: canary.newPassword } });
  const erasure = await send('createRequest', 'POST', '/v1/me/requests', { token: last.body.session.token, body: { type: 'erasure' } });
  expect(erasure.status).toBe(202);
  await settledForAdmin(cloud, admin.token, erasure.body.requestId);
  // A recipient acknowledges the erasure: found by the request id alone, the subject id being a pseudonym by now.
  const erasureAck = {
    messageId: messageId({ kind: 'rights-request', id: erasure.body.requestId }, 'app-service', 'erasure'),
    requestId: erasure.body.requestId,
    action: 'delete',
    outcome: 'done',
    counts: { profiles: 1 },
  };
  expect((await send('recipientAck', 'POST', '/v1/recipients/app-service/acks', signedAck(appSecret, erasureAck))).status).toBe(200);
  const receipt = await send('erasureReceipt', 'GET', `/v1/erasure-receipts/${erasure.body.requestId}`, { headers: { 'x-receipt-token': erasure.body.receiptToken } });
  expect(receipt.body.verification.ok).toBe(true);

  return { exercised, subjectId, admin };
}

/** Polls the subject's partition of the consent table until no outbox item is left (at most 60 s). */
async function outboxDrained(cloud: LocalCloudHandle, subjectId: string): Promise<void> {
  const db = documentClient(cloud);
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { Count = 0 } = await db.send(
        new QueryCommand({
          TableName: cloud.env.CONSENT_TABLE_NAME,
          KeyConditionExpression: 'subjectId = :s AND begins_with(sk, :outbox)',
          ExpressionAttributeValues: { ':s': subjectId, ':outbox': 'outbox#' },
          Select: 'COUNT',
        }),
      );
      if (Count === 0) return;
      if (Date.now() > deadline) throw new Error(`the drain left ${Count} outbox items of the scenario's subject for 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    db.destroy();
  }
}
