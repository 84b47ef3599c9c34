/**
 * Data-subject rights end to end through the real local queue and worker: export, access (in manual mode, approved by an
 * admin), rectification handled by hand, re-verification, deadlines and their extension, duplicate delivery, and erasure
 * followed by a search of every table, the queue and the bucket.
 */
import { createHash } from 'node:crypto';
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dueDateFor } from '../../lambdas/domain/deadlines';
import { apiClient, createAdmin, documentClient, runOpsCommand, scanAll, type Json } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';
import { everything, readObject, settled, settledForAdmin, subjectWithData } from './helpers/rights';

let cloud: LocalCloudHandle;
let db: DynamoDBDocumentClient;
let call: ReturnType<typeof apiClient>;
let admin: { subjectId: string; token: string };
let kms: KMSClient;

beforeAll(async () => {
  cloud = await startLocalCloudProcess(['--visibility-timeout', '5'], {
    PASSWORD_SCRYPT_LOG_N: '12',
    RIGHTS_MODES: '{"access":"manual"}',
    // The overdue-requests job runs every second here (hourly on AWS).
    LOCAL_SCHEDULE_SECONDS: '1',
  });
  db = documentClient(cloud);
  call = apiClient(cloud);
  admin = await createAdmin(cloud);
  kms = new KMSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.kms, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});

afterAll(async () => {
  kms?.destroy();
  db?.destroy();
  await cloud?.stop();
});

async function ageLogin(token: string, minutes: number) {
  await db.send(
    new UpdateCommand({
      TableName: cloud.env.SESSIONS_TABLE_NAME,
      Key: { tokenHash: createHash('sha256').update(token).digest('hex') },
      UpdateExpression: 'SET createdAt = :t',
      ExpressionAttributeValues: { ':t': new Date(Date.now() - minutes * 60_000).toISOString() },
    }),
  );
}

describe('export (Art. 20)', () => {
  it('gathers every store into JSON and CSV, downloadable through a short-lived link', async () => {
    const { person, subjectId, token } = await subjectWithData(cloud);
    // The retention state is about the subject too: a hold an admin placed, and a notice as the retention job records it.
    expect((await call('PUT', `/v1/admin/subjects/${subjectId}/legal-hold`, { token: admin.token, body: { reason: 'Case 2026-17' } })).status).toBe(200);
    // Restricting first: a restriction withdraws a pending notice (it stops retention), so the notice is written after it.
    expect((await call('POST', '/v1/me/restriction', { token })).status).toBeLessThan(300);
    const notice = { noticeAt: '2026-11-02T08:00:00.000Z', erasureFrom: '2026-12-02T08:00:00.000Z' };
    await db.send(
      new UpdateCommand({
        TableName: cloud.env.USERS_TABLE_NAME,
        Key: { subjectId },
        UpdateExpression: 'SET inactivityNoticeAt = :n, inactivityErasureAt = :e',
        ExpressionAttributeValues: { ':n': notice.noticeAt, ':e': notice.erasureFrom },
      }),
    );
    const created = await call('POST', '/v1/me/requests', { token, body: { type: 'export' } });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ type: 'export', mode: 'automatic', status: 'queued', dueAt: dueDateFor(new Date()) });

    const done = await settled(cloud, token, created.body.requestId);
    expect(done).toMatchObject({ status: 'completed', downloadable: true });
    expect(done.history.map((h: Json) => h.status)).toEqual(['received', 'verified', 'queued', 'in_progress', 'completed']);

    const link = await call('GET', `/v1/me/requests/${created.body.requestId}/download`, { token });
    expect(link.status).toBe(200);
    expect(new URL(link.body.url).hostname).toBe('127.0.0.1');
    expect(Date.parse(link.body.expiresAt) - Date.now()).toBeLessThanOrEqual(300_000);
    const exported = JSON.parse(await readObject(link.body.url));
    expect(exported).toMatchObject({ kind: 'export', subjectId, requestId: created.body.requestId });
    expect(exported.data.account.profile).toMatchObject({ email: person.email, phone: person.phone, postalAddress: person.postalAddress });
    expect(exported.data.account).toMatchObject({
      lastActiveAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      inactivityNotice: notice,
      legalHold: { reason: 'Case 2026-17', at: expect.any(String) },
    });
    expect(exported.data.consent.current.restriction).toEqual({ restricted: true, since: expect.any(String) });
    expect(exported.data.sessions).toHaveLength(2);
    expect(exported.data.identities).toEqual([expect.objectContaining({ kind: 'email' })]);
    expect(exported.data.consent.history.map((e: Json) => e.topic).sort()).toEqual(['analytics', 'marketing-email', 'restriction']);
    expect(exported.data.consent.preferences).toEqual([expect.objectContaining({ subscribed: true })]);
    expect(exported.data.analyticsEvents).toEqual([expect.objectContaining({ name: 'screen.view' })]);
    expect(exported.data.accessLog.length).toBeGreaterThan(3);
    // Secrets are not personal data to hand out: no password hash, no session token hash, no wrapped key.
    expect(JSON.stringify(exported)).not.toMatch(/scrypt\$|"wrappedKey"|"tokenHash"/);
    expect(JSON.stringify(exported)).not.toContain(createHash('sha256').update(token).digest('hex'));
    expect(exported.data.rightsRequests).toEqual([expect.objectContaining({ requestId: created.body.requestId, type: 'export' })]);

    const csvLink = await call('GET', `/v1/me/requests/${created.body.requestId}/download?format=csv`, { token });
    const csv = await readObject(csvLink.body.url);
    expect(csv.split('\r\n')[0]).toBe('path,value');
    expect(csv).toContain(`data.account.profile.email,${person.email}`);
    expect(csv).toContain('data.account.legalHold.reason,Case 2026-17');
    expect(csv).toContain(`data.account.inactivityNotice.noticeAt,${notice.noticeAt}`);

    // The object keys name the request, not the subject.
    const { objects } = await everything(cloud, db);
    expect(objects).toContain(`exports/${created.body.requestId}/export.json`);
    expect(objects.split('\n').filter((l) => l.startsWith('exports/')).join()).not.toContain(subjectId);
  });

  it('changes nothing on a duplicate delivery of a finished job', async () => {
    const { token } = await subjectWithData(cloud);
    const created = await call('POST', '/v1/me/requests', { token, body: { type: 'export' } });
    const done = await settled(cloud, token, created.body.requestId);
    const before = (await scanAll(db, cloud.env.RIGHTS_REQUESTS_TABLE_NAME)).find((r) => r.requestId === created.body.requestId);
    const sqs = new SQSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.sqsS3, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await sqs.send(new SendMessageCommand({ QueueUrl: cloud.env.RIGHTS_REQUEST_QUEUE_URL, MessageBody: JSON.stringify({ kind: 'export', requestId: created.body.requestId }) }));
    sqs.destroy();
    const deadline = Date.now() + 15_000;
    while ((await everything(cloud, db)).queueDepth > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const after = (await scanAll(db, cloud.env.RIGHTS_REQUESTS_TABLE_NAME)).find((r) => r.requestId === created.body.requestId);
    expect(after).toEqual(before);
    expect(done.status).toBe('completed');
  });

  it('needs a recent login or the password, and refuses a second open request of the same type', async () => {
    const { person, token } = await subjectWithData(cloud);
    await ageLogin(token, 60);
    const stale = await call('POST', '/v1/me/requests', { token, body: { type: 'export' } });
    expect(stale.status).toBe(403);
    expect(stale.body.type).toBe('/problems/reverification-required');
    expect((await call('POST', '/v1/me/requests', { token, body: { type: 'export', password: 'not my password!' } })).status).toBe(403);
    const withPassword = await call('POST', '/v1/me/requests', { token, body: { type: 'export', password: person.password } });
    expect(withPassword.status).toBe(202);
    await settled(cloud, token, withPassword.body.requestId);
    // A manual request stays open until an admin acts, so a second one of the same type is refused meanwhile.
    expect((await call('POST', '/v1/me/requests', { token, body: { type: 'rectification', fields: ['profile.locale'] } })).status).toBe(202);
    const second = await call('POST', '/v1/me/requests', { token, body: { type: 'rectification', fields: ['profile.phone'] } });
    expect(second.status).toBe(409);
    expect(second.body.type).toBe('/problems/request-open');
  });
});

describe('manual handling', () => {
  it('runs an access request once an admin approves it, with purposes, recipients, retention, sources and rights', async () => {
    const { token } = await subjectWithData(cloud);
    const created = await call('POST', '/v1/me/requests', { token, body: { type: 'access' } });
    expect(created.body).toMatchObject({ status: 'verified', mode: 'manual' });

    const listed = await call('GET', '/v1/admin/requests?type=access', { token: admin.token });
    expect(listed.body.requests.map((r: Json) => r.requestId)).toContain(created.body.requestId);
    expect((await call('GET', '/v1/admin/requests', { token })).status).toBe(403);

    const approved = await call('POST', `/v1/admin/requests/${created.body.requestId}/approve`, { token: admin.token });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('queued');
    const done = await settled(cloud, token, created.body.requestId);
    expect(done.status).toBe('completed');
    const link = await call('GET', `/v1/me/requests/${created.body.requestId}/download`, { token });
    const report = JSON.parse(await readObject(link.body.url));
    expect(report.kind).toBe('access');
    expect(report.about.purposes.find((p: Json) => p.id === 'marketing-email')).toMatchObject({ lawfulBasis: 'consent', recipients: expect.any(Array), retention: expect.any(String) });
    expect(report.about.stores.users.retention).toEqual(expect.any(String));
    // Each purpose names the categories its processing holds: the profile's names count as identity.
    expect(report.about.purposes.find((p: Json) => p.id === 'account').categories).toEqual(expect.arrayContaining(['contact', 'identity', 'usage']));
    expect(report.data.account.lastActiveAt).toEqual(expect.any(String));
    expect(report.data.account).toMatchObject({ inactivityNotice: null, legalHold: null });
    expect(report.about.rights.join(' ')).toMatch(/Art\. 17/);
    expect(report.data.account.sources.email).toBe('user');
  });

  it('refuses to extend once the first month after receipt has passed (Art. 12(3))', async () => {
    const { token } = await subjectWithData(cloud);
    const created = await call('POST', '/v1/me/requests', { token, body: { type: 'rectification', fields: ['profile.familyName'] } });
    const id = created.body.requestId;
    // Backdated in the store: the route cannot file a request in the past.
    await db.send(
      new UpdateCommand({
        TableName: cloud.env.RIGHTS_REQUESTS_TABLE_NAME,
        Key: { requestId: id },
        UpdateExpression: 'SET originalDueAt = :d, dueAt = :d',
        ExpressionAttributeValues: { ':d': '2026-01-15' },
      }),
    );

    const late = await call('POST', `/v1/admin/requests/${id}/extend`, { token: admin.token, body: { months: 1, reason: 'Too late to ask.' } });
    expect(late.status).toBe(409);
    expect(late.body.type).toMatch(/\/problems\/extension-too-late$/);
    expect((await call('GET', `/v1/me/requests/${id}`, { token })).body.extension).toBeUndefined();
  });

  it('extends a deadline once with a reason the subject sees, then completes a rectification by hand', async () => {
    const { token } = await subjectWithData(cloud);
    const created = await call('POST', '/v1/me/requests', { token, body: { type: 'rectification', fields: ['profile.familyName'] } });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ mode: 'manual', status: 'verified', fields: ['profile.familyName'] });
    const id = created.body.requestId;

    const extended = await call('POST', `/v1/admin/requests/${id}/extend`, { token: admin.token, body: { months: 2, reason: 'Records must be checked with the registry.' } });
    expect(extended.status).toBe(200);
    expect(extended.body.extension).toMatchObject({ months: 2, reason: 'Records must be checked with the registry.' });
    expect(extended.body.dueAt > created.body.dueAt).toBe(true);
    const again = await call('POST', `/v1/admin/requests/${id}/extend`, { token: admin.token, body: { months: 1, reason: 'Once more.' } });
    expect(again.status).toBe(409);
    expect((await call('POST', `/v1/admin/requests/${id}/approve`, { token: admin.token })).status).toBe(409);

    const completed = await call('POST', `/v1/admin/requests/${id}/complete`, { token: admin.token, body: { note: 'Family name corrected as asked.', evidence: [{ where: 'CRM', action: 'corrected' }] } });
    expect(completed.body.status).toBe('completed');
    const mine = await call('GET', `/v1/me/requests/${id}`, { token });
    expect(mine.body.extension.reason).toBe('Records must be checked with the registry.');
    expect(mine.body.history.at(-1)).toMatchObject({ status: 'completed', by: 'admin', note: 'Family name corrected as asked.' });
    expect((await call('POST', `/v1/admin/requests/${id}/reject`, { token: admin.token, body: { reason: 'Too late.' } })).status).toBe(409);
  });

  it('rejects with a reason, and lists overdue requests for admins', async () => {
    const { subjectId, token } = await subjectWithData(cloud);
    const created = await call('POST', '/v1/me/requests', { token, body: { type: 'rectification', fields: ['profile.phone'] } });
    // Received long ago: its due date has passed.
    await db.send(
      new UpdateCommand({ TableName: cloud.env.RIGHTS_REQUESTS_TABLE_NAME, Key: { requestId: created.body.requestId }, UpdateExpression: 'SET dueAt = :d', ExpressionAttributeValues: { ':d': '2026-01-31' } }),
    );
    // The scheduled job counts it and emits the metric the overdue alarm watches (embedded metric format, via the log).
    const overdueMetric = () =>
      cloud
        .output()
        .split('\n')
        .filter((line) => line.includes('"OverdueRightsRequests"') && line.includes('"_aws"'))
        .map((line) => JSON.parse(line).OverdueRightsRequests as number);
    const deadline = Date.now() + 15_000;
    while (!overdueMetric().some((n) => n >= 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(Math.max(...overdueMetric())).toBeGreaterThanOrEqual(1);

    const overdue = await call('GET', '/v1/admin/requests?overdue=true', { token: admin.token });
    expect(overdue.body.requests.map((r: Json) => r.requestId)).toContain(created.body.requestId);
    expect(overdue.body.requests.find((r: Json) => r.requestId === created.body.requestId).subjectId).toBe(subjectId);

    const rejected = await call('POST', `/v1/admin/requests/${created.body.requestId}/reject`, { token: admin.token, body: { reason: 'We hold no phone number for you.' } });
    expect(rejected.body.status).toBe('rejected');
    expect((await call('GET', `/v1/me/requests/${created.body.requestId}`, { token })).body.history.at(-1).note).toBe('We hold no phone number for you.');
    const notOverdue = await call('GET', '/v1/admin/requests?overdue=true', { token: admin.token });
    expect(notOverdue.body.requests.map((r: Json) => r.requestId)).not.toContain(created.body.requestId);
  });

  it('keeps requests private: another subject\'s id is not found', async () => {
    const a = await subjectWithData(cloud);
    const b = await subjectWithData(cloud);
    const created = await call('POST', '/v1/me/requests', { token: a.token, body: { type: 'rectification', fields: ['profile.locale'] } });
    expect((await call('GET', `/v1/me/requests/${created.body.requestId}`, { token: b.token })).status).toBe(404);
    expect((await call('GET', `/v1/me/requests/${created.body.requestId}/download`, { token: b.token })).status).toBe(404);
  });
});

describe('erasure (Art. 17)', () => {
  it('deletes, pseudonymises and shreds by the plan, verifies, and leaves no value of the subject anywhere', async () => {
    const { person, subjectId, token } = await subjectWithData(cloud);
    // An export first, so the bucket holds a copy of the subject's data too.
    const exported = await call('POST', '/v1/me/requests', { token, body: { type: 'export' } });
    await settled(cloud, token, exported.body.requestId);
    const emailIndex = (await scanAll(db, cloud.env.USERS_TABLE_NAME)).find((u) => u.subjectId === subjectId)!.emailIndex as string;
    const { Mac } = await kms.send(
      new GenerateMacCommand({ KeyId: cloud.env.PSEUDONYM_KEY_ID, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from(`analytics:${subjectId}`) }),
    );
    const analyticsId = Buffer.from(Mac!).toString('base64url');
    expect((await scanAll(db, cloud.env.ANALYTICS_EVENTS_TABLE_NAME)).some((e) => e.analyticsId === analyticsId)).toBe(true);
    // A failed login leaves a counter keyed by the email's blind index: erasure must remove that too.
    expect((await call('POST', '/v1/sessions', { body: { email: person.email, password: 'not the password at all' } })).status).toBe(401);

    const created = await call('POST', '/v1/me/requests', { token, body: { type: 'erasure' } });
    expect(created.status).toBe(202);
    expect(created.body.receiptToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const done = await settledForAdmin(cloud, admin.token, created.body.requestId);
    expect(done.status).toBe('completed');
    expect(done.subjectId).toMatch(/^erased#[0-9a-f]{64}$/);

    // The receipt: per store what happened, verified, and when backups age out. No personal data.
    const receipt = await call('GET', `/v1/erasure-receipts/${created.body.requestId}`, { headers: { 'x-receipt-token': created.body.receiptToken } });
    expect(receipt.status).toBe(200);
    const byStore = Object.fromEntries((receipt.body.steps as Json[]).map((s) => [s.store, s]));
    expect(byStore).toMatchObject({
      users: { action: 'deleted', count: 1 },
      subjectKeys: { action: 'shredded', count: 1 },
      sessions: { action: 'deleted', count: 2 },
      identities: { action: 'deleted', count: 1 },
      analyticsEvents: { action: 'deleted', count: 1 },
      exports: { action: 'deleted', count: 2 },
      consent: { action: 'pseudonymised' },
      rightsRequests: { action: 'pseudonymised', count: 1 },
      audit: { action: 'kept' },
      loginThrottle: { action: 'deleted', count: 1 },
    });
    expect(receipt.body.verification.ok).toBe(true);
    expect(Date.parse(receipt.body.backupsAgeOutBy) - Date.parse(receipt.body.completedAt)).toBe(35 * 86_400_000);
    expect(JSON.stringify(receipt.body)).not.toContain(subjectId);
    expect((await call('GET', `/v1/erasure-receipts/${created.body.requestId}`, { headers: { 'x-receipt-token': 'x'.repeat(43) } })).status).toBe(404);

    expect((await call('GET', '/v1/me', { token })).status).toBe(401);

    // And nothing anywhere: every table, every object, and the queue.
    const { tables, objects, queueDepth } = await everything(cloud, db);
    expect(queueDepth).toBe(0);
    const haystack = JSON.stringify(tables) + objects;
    const needles = {
      subjectId,
      emailIndex,
      analyticsId,
      email: person.email,
      displayName: person.displayName,
      givenName: person.givenName,
      familyName: person.familyName,
      phone: person.phone,
      street: person.postalAddress.street,
    };
    const found = Object.entries(needles).filter(([, value]) => haystack.includes(value)).map(([name]) => name);
    expect(found).toEqual([]);
    // The proof records remain, under the pseudonym.
    const pseudonym = done.subjectId.slice('erased#'.length);
    expect(tables.CONSENT_TABLE_NAME.filter((i) => i.subjectId === `erased#${pseudonym}`).length).toBeGreaterThanOrEqual(2);
    expect(tables.RIGHTS_REQUESTS_TABLE_NAME.filter((i) => i.subjectId === `erased#${pseudonym}`)).toHaveLength(2);

    // The audit trail kept its entries, including the erasure steps, and still verifies.
    const chain = tables.AUDIT_TABLE_NAME.filter((e) => e.chainId === `subject#${pseudonym}` && e.seq > 0);
    expect(chain.filter((e) => e.action === 'erase').length).toBeGreaterThanOrEqual(8);
    expect((await runOpsCommand(cloud, 'audit-verify', ['--chain', `subject#${pseudonym}`])).code).toBe(0);

    // Last, because a login attempt writes a new counter: the subject cannot log in any more.
    expect((await call('POST', '/v1/sessions', { body: { email: person.email, password: person.password } })).status).toBe(401);
  }, 120_000);
});
