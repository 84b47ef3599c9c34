/**
 * Account retention end to end on the real local cloud: the retention job (run on demand by `scripts/run-job.ts` with the
 * cloud's environment and a fake clock in the event's `time`) notices inactive accounts, files their erasure after the
 * grace period, and the rights worker erases them; a legal hold stops it, and so does the subject's restriction of
 * processing; a login keeps an account, a rerun changes nothing.
 * Also: every write to an expiring store carries its TTL attribute.
 *
 * Accounts are made inactive by moving their last login back 25 months (arrange), the way the rights suite ages a login:
 * a login cannot be faked into the future, and the clock jump alone would age every account alike.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { apiClient, createAdmin, documentClient, newPerson, runOpsCommand, scanAll, type Json } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';
import { driveRetentionJob, lastLoginMonthsAgo as agedLogin, runRetentionJob, userItem as readUser } from './helpers/retention';
import { settled } from './helpers/rights';

let cloud: LocalCloudHandle;
let db: DynamoDBDocumentClient;
let call: ReturnType<typeof apiClient>;
let admin: { subjectId: string; token: string };

beforeAll(async () => {
  cloud = await startLocalCloudProcess([], {
    PASSWORD_SCRYPT_LOG_N: '12',
    // The cloud's own timer runs the job with the real clock at start; keep it from racing the runs this suite drives.
    LOCAL_SCHEDULE_SECONDS: '86400',
  });
  db = documentClient(cloud);
  call = apiClient(cloud);
  admin = await createAdmin(cloud);
  // ... and let that start-up run end before the tests age accounts: it walks ten years of activity months, each month's
  // shards at once, and would notice an account aged while it runs (its clock is real, its policy the default).
  const deadline = Date.now() + 60_000;
  while (!/"message":"retention run"/.test(cloud.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
}, 120_000);

afterAll(async () => {
  db?.destroy();
  await cloud?.stop();
});

const DAY = 86_400_000;

const runRetention = (at: Date, env: Record<string, string> = {}) => runRetentionJob(cloud, at, env);
const lastLoginMonthsAgo = (subjectId: string, months: number) => agedLogin(cloud, db, subjectId, months);
const userItem = (subjectId: string) => readUser(cloud, db, subjectId);

async function register(consents: Json = {}) {
  const person = newPerson();
  const answer = await call('POST', '/v1/accounts', { body: { ...person, consents } });
  if (answer.status !== 201) throw new Error(`registration answered ${answer.status}`);
  return { person, subjectId: answer.body.account.subjectId as string, token: answer.body.session.token as string };
}

/** Retention-filed requests, leaving out those in `seen` (filed by other tests of this suite). */
const retentionRequests = async (seen: ReadonlySet<string> = new Set()) =>
  (await scanAll(db, cloud.env.RIGHTS_REQUESTS_TABLE_NAME)).filter((r) => r.origin === 'retention' && !seen.has(r.requestId));

async function settledRetentionErasure(seen: ReadonlySet<string>, timeoutMs = 60_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const done = (await retentionRequests(seen)).filter((r) => ['completed', 'failed'].includes(r.status));
    if (done.length > 0) return done[0];
    if (Date.now() > deadline) throw new Error('the retention erasure did not settle');
    await new Promise((r) => setTimeout(r, 300));
  }
}

it('notices inactive accounts, erases them after the grace period, and spares held and returning accounts', async () => {
  // Arrange: four subjects. inactive: erased in the end; held: under a legal hold; returning: logs in after the notice;
  // active: never inactive.
  const inactive = await register();
  const held = await register();
  const returning = await register();
  const active = await register();
  // This test runs the job with 48 months of retention and ages its accounts 60: accounts other tests of the suite aged
  // (25 months) or left active are not inactive here, so the counts below are this test's alone, in any order.
  const run = (at: Date, env: Record<string, string> = {}) => runRetention(at, { RETENTION_INACTIVE_MONTHS: '48', ...env });
  const seen = new Set((await retentionRequests()).map((r) => r.requestId as string));
  for (const s of [inactive, held, returning]) await lastLoginMonthsAgo(s.subjectId, 60);

  const reason = `Court order ${newPerson().displayName}`;
  const hold = await call('PUT', `/v1/admin/subjects/${held.subjectId}/legal-hold`, { token: admin.token, body: { reason } });
  expect(hold.status).toBe(200);
  expect(hold.body).toMatchObject({ subjectId: held.subjectId, legalHold: { reason }, retentionErasure: 'none' });

  // First run, now: the two inactive, unheld accounts get a notice; the held one is only counted.
  // EventBridge times are whole seconds.
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const first = await run(now);
  expect(first.complete).toBe(true);
  expect(first.counts).toMatchObject({ notified: 2, held: 1, filed: 0 });

  const notice = await call('GET', '/v1/me', { token: inactive.token });
  expect(notice.status).toBe(200);
  expect(notice.body.inactivityNotice).toEqual({ noticeAt: now.toISOString(), erasureAt: new Date(now.getTime() + 30 * DAY).toISOString() });
  expect((await call('GET', '/v1/me', { token: returning.token })).body.inactivityNotice).toBeDefined();
  expect((await call('GET', '/v1/me', { token: held.token })).body.inactivityNotice).toBeUndefined();
  expect((await call('GET', '/v1/me', { token: active.token })).body.inactivityNotice).toBeUndefined();

  // The notice is in the subject's own audit trail, by the service, naming fields only.
  const audit = await call('GET', '/v1/me/audit?limit=100', { token: inactive.token });
  const noticeEntries = (audit.body.entries as Json[]).filter((e) => e.origin === 'worker:retention');
  expect(noticeEntries).toEqual([
    expect.objectContaining({ action: 'update', actor: 'service', fields: ['users.inactivityNoticeAt', 'users.inactivityErasureAt'] }),
  ]);

  // Rerun the same day: nothing new, not even an audit entry.
  const again = await run(new Date(now.getTime() + 60_000));
  expect(again.counts).toMatchObject({ notified: 0, waiting: 2, held: 1, filed: 0 });
  const auditAgain = await call('GET', '/v1/me/audit?limit=100', { token: inactive.token });
  expect((auditAgain.body.entries as Json[]).filter((e) => e.origin === 'worker:retention')).toHaveLength(1);

  // Logging in again withdraws the notice and restarts the clock.
  const login = await call('POST', '/v1/sessions', { body: { email: returning.person.email, password: returning.person.password } });
  expect(login.status).toBe(201);
  expect((await call('GET', '/v1/me', { token: returning.token })).body.inactivityNotice).toBeUndefined();

  // Second run, after the grace period: one erasure is filed, for the inactive account only.
  const later = new Date(now.getTime() + 31 * DAY);
  const second = await run(later);
  expect(second.counts).toMatchObject({ filed: 1, notified: 0, held: 1 });
  const erasure = await settledRetentionErasure(seen);
  expect(erasure).toMatchObject({ type: 'erasure', status: 'completed', origin: 'retention', receipt: { verification: { ok: true } } });
  expect(erasure.subjectId).toMatch(/^erased#/);
  expect(erasure.history.slice(0, 3).map((h: Json) => [h.status, h.by])).toEqual([
    ['received', 'system'],
    ['verified', 'system'],
    ['queued', 'system'],
  ]);
  // Kept as proof for three years, then deleted by TTL.
  expect(erasure.expiresAt).toBeGreaterThan(Date.now() / 1000 + 3 * 365 * 86_400 - 86_400);
  expect(erasure.expiresAt).toBeLessThan(Date.now() / 1000 + 3 * 366 * 86_400);

  // The worker erased the account exactly as for a subject's own request.
  expect((await call('GET', '/v1/me', { token: inactive.token })).status).toBe(401);
  expect((await call('POST', '/v1/sessions', { body: { email: inactive.person.email, password: inactive.person.password } })).status).toBe(401);
  expect(await userItem(inactive.subjectId)).toBeUndefined();

  // Rerun: the erasure is not filed twice.
  const third = await run(new Date(later.getTime() + 60_000));
  expect(third.counts).toMatchObject({ filed: 0, notified: 0 });
  expect(await retentionRequests(seen)).toHaveLength(1);

  // The others are untouched: the held account has neither notice nor request, the returning and active ones are fine.
  for (const s of [held, returning, active]) {
    const me = await call('GET', '/v1/me', { token: s.token });
    expect(me.status).toBe(200);
    expect(me.body.inactivityNotice).toBeUndefined();
  }

  // Lifting the hold lets retention apply again, starting with a fresh notice.
  const lifted = await call('DELETE', `/v1/admin/subjects/${held.subjectId}/legal-hold`, { token: admin.token });
  expect(lifted.status).toBe(200);
  expect(lifted.body.legalHold).toBeUndefined();
  const afterLift = await run(new Date(later.getTime() + 120_000));
  expect(afterLift.counts).toMatchObject({ notified: 1, held: 0, filed: 0 });
  expect((await call('GET', '/v1/me', { token: held.token })).body.inactivityNotice).toBeDefined();

  // With erasure in manual mode the filed request waits for an admin; a hold placed now stops it before it starts.
  const manual = await run(new Date(later.getTime() + 32 * DAY), { RIGHTS_MODES: '{"erasure":"manual"}' });
  expect(manual.counts).toMatchObject({ filed: 1 });
  const waiting = (await retentionRequests(seen)).find((r) => r.status === 'verified');
  expect(waiting).toBeDefined();
  const rehold = await call('PUT', `/v1/admin/subjects/${held.subjectId}/legal-hold`, { token: admin.token, body: { reason: 'Second order' } });
  expect(rehold.body).toMatchObject({ retentionErasure: 'cancelled', legalHold: { reason: 'Second order' } });
  const stopped = (await retentionRequests(seen)).find((r) => r.requestId === waiting!.requestId)!;
  expect(stopped).toMatchObject({ status: 'rejected' });
  expect(stopped.history.at(-1)).toMatchObject({ status: 'rejected', by: 'admin', note: expect.stringMatching(/legal hold/) });
  expect(stopped.expiresAt).toBeGreaterThan(Date.now() / 1000);
  const heldItem = await userItem(held.subjectId);
  expect(heldItem).toMatchObject({ legalHold: { reason: 'Second order' } });
  expect(heldItem).not.toHaveProperty('retentionErasureRequestId');
  expect(heldItem).not.toHaveProperty('inactivityNoticeAt');

  // The hold was audited on the subject's chain, as an administrator's update; its reason is in no log line or entry.
  const holdAudit = await call('GET', `/v1/admin/audit?subjectId=${held.subjectId}&action=update`, { token: admin.token });
  expect((holdAudit.body.entries as Json[]).filter((e) => e.origin === 'route:setLegalHold' && e.fields.includes('users.legalHold'))).toHaveLength(2);
  expect((holdAudit.body.entries as Json[]).some((e) => e.origin === 'route:liftLegalHold')).toBe(true);
  const auditTable = JSON.stringify(await scanAll(db, cloud.env.AUDIT_TABLE_NAME));
  expect(auditTable.includes(reason)).toBe(false);
  expect(cloud.output().includes(reason)).toBe(false);
}, 240_000);

it('does not start a retention erasure whose subject logged in after it was filed', async () => {
  const subject = await register();
  await lastLoginMonthsAgo(subject.subjectId, 25);
  // Arrange: noticed 31 days ago, so the grace period is over and a run at the real time files the erasure.
  const noticeAt = new Date(Date.now() - 31 * DAY);
  await db.send(
    new UpdateCommand({
      TableName: cloud.env.USERS_TABLE_NAME,
      Key: { subjectId: subject.subjectId },
      UpdateExpression: 'SET inactivityNoticeAt = :notice, inactivityErasureAt = :erasure',
      ExpressionAttributeValues: { ':notice': noticeAt.toISOString(), ':erasure': new Date(noticeAt.getTime() + 30 * DAY).toISOString() },
    }),
  );
  // Manual mode: the filed erasure waits for an admin, which gives the subject time to come back.
  const run = await runRetention(new Date(Math.floor(Date.now() / 1000) * 1000), { RIGHTS_MODES: '{"erasure":"manual"}' });
  expect(run.counts.filed).toBeGreaterThanOrEqual(1);
  const requestId = (await userItem(subject.subjectId))!.retentionErasureRequestId as string;
  expect(requestId).toEqual(expect.any(String));
  // The subject can see it among their requests, marked as filed by the retention job.
  const filed = await call('GET', `/v1/me/requests/${requestId}`, { token: subject.token });
  expect(filed.body).toMatchObject({ type: 'erasure', status: 'verified', origin: 'retention' });

  const login = await call('POST', '/v1/sessions', { body: { email: subject.person.email, password: subject.person.password } });
  expect(login.status).toBe(201);
  expect(await userItem(subject.subjectId)).not.toHaveProperty('retentionErasureRequestId');

  // An admin approves it anyway: the worker sees the login and rejects it instead of erasing an active account.
  expect((await call('POST', `/v1/admin/requests/${requestId}/approve`, { token: admin.token })).status).toBe(200);
  const outcome = await settled(cloud, subject.token, requestId);
  expect(outcome.status).toBe('rejected');
  expect(outcome.history.at(-1)).toMatchObject({ status: 'rejected', by: 'worker', note: expect.stringMatching(/logged in again/) });
  expect((await call('GET', '/v1/me', { token: subject.token })).status).toBe(200);
});

it("spares an account whose subject restricted processing (Art. 18(1)(c)) like a held one, and still runs the subject's own erasure", async () => {
  // early: restricts before any notice; late: restricts once a retention erasure is filed (manual mode, so it waits).
  const early = await register();
  const late = await register();
  // 100 months of retention, accounts aged 110: accounts other tests aged (25, 60 months) stay active, the counts are ours.
  const run = (at: Date, env: Record<string, string> = {}) => runRetention(at, { RETENTION_INACTIVE_MONTHS: '100', ...env });
  const seen = new Set((await retentionRequests()).map((r) => r.requestId as string));
  for (const s of [early, late]) await lastLoginMonthsAgo(s.subjectId, 110);
  expect((await call('POST', '/v1/me/restriction', { token: early.token })).body.restriction).toMatchObject({ restricted: true });

  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const first = await run(now);
  expect(first.counts).toMatchObject({ restricted: 1, notified: 1, filed: 0 });
  expect((await call('GET', '/v1/me', { token: early.token })).body.inactivityNotice).toBeUndefined();
  expect((await call('GET', '/v1/me', { token: late.token })).body.inactivityNotice).toBeDefined();

  // Grace over: late's erasure is filed and waits for an admin; then late restricts processing.
  const filedRun = await run(new Date(now.getTime() + 31 * DAY), { RIGHTS_MODES: '{"erasure":"manual"}' });
  expect(filedRun.counts).toMatchObject({ restricted: 1, filed: 1 });
  const requestId = (await userItem(late.subjectId))!.retentionErasureRequestId as string;
  expect((await retentionRequests(seen)).map((r) => [r.requestId, r.status])).toEqual([[requestId, 'verified']]);
  const restricted = await call('POST', '/v1/me/restriction', { token: late.token });
  expect(restricted.status).toBe(200);

  // The filed erasure is rejected, with a note the subject reads, and the notice is withdrawn, as a legal hold does.
  const stopped = await call('GET', `/v1/me/requests/${requestId}`, { token: late.token });
  expect(stopped.body).toMatchObject({ status: 'rejected', origin: 'retention' });
  expect(stopped.body.history.at(-1)).toMatchObject({ status: 'rejected', by: 'subject', note: expect.stringMatching(/restricted the processing/) });
  const lateItem = await userItem(late.subjectId);
  expect(lateItem).not.toHaveProperty('inactivityNoticeAt');
  expect(lateItem).not.toHaveProperty('retentionErasureRequestId');
  // An admin's approval cannot revive it.
  expect((await call('POST', `/v1/admin/requests/${requestId}/approve`, { token: admin.token })).status).toBe(409);

  // Runs long after: neither account is noticed or erased while the restrictions stand (automatic mode this time).
  const later = await run(new Date(now.getTime() + 200 * DAY));
  expect(later.counts).toMatchObject({ restricted: 2, notified: 0, filed: 0 });
  expect((await retentionRequests(seen)).filter((r) => r.status !== 'rejected')).toEqual([]);
  for (const s of [early, late]) expect(await userItem(s.subjectId)).toMatchObject({ subjectId: s.subjectId });

  // Lifted: retention applies again, starting with a fresh notice.
  expect((await call('DELETE', '/v1/me/restriction', { token: late.token })).body.restriction).toMatchObject({ restricted: false });
  const afterLift = await run(new Date(now.getTime() + 201 * DAY));
  expect(afterLift.counts).toMatchObject({ restricted: 1, notified: 1, filed: 0 });
  expect((await call('GET', '/v1/me', { token: late.token })).body.inactivityNotice).toBeDefined();

  // The restricted subject's own erasure request still runs: restriction stops retention, not the subject's rights.
  const own = await call('POST', '/v1/me/requests', { token: early.token, body: { type: 'erasure' } });
  expect(own.status).toBe(202);
  const deadline = Date.now() + 60_000;
  while ((await userItem(early.subjectId)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 300));
  expect(await userItem(early.subjectId)).toBeUndefined();
}, 240_000);

it('answers problems for unknown accounts and bad input on the legal-hold routes, and only to admins', async () => {
  const subject = await register();
  const unknown = '00000000-0000-4000-8000-000000000000';
  const put = await call('PUT', `/v1/admin/subjects/${unknown}/legal-hold`, { token: admin.token, body: { reason: 'Case 1' } });
  expect(put.status).toBe(404);
  expect(put.headers.get('content-type')).toMatch(/application\/problem\+json/);
  expect((await call('DELETE', `/v1/admin/subjects/${unknown}/legal-hold`, { token: admin.token })).status).toBe(404);
  expect((await call('PUT', `/v1/admin/subjects/not-a-uuid/legal-hold`, { token: admin.token, body: { reason: 'Case 1' } })).status).toBe(400);
  expect((await call('PUT', `/v1/admin/subjects/${subject.subjectId}/legal-hold`, { token: admin.token, body: { reason: '' } })).status).toBe(400);
  expect((await call('PUT', `/v1/admin/subjects/${subject.subjectId}/legal-hold`, { token: admin.token, body: { reason: 'x'.repeat(10), extra: 1 } })).status).toBe(400);
  expect((await call('PUT', `/v1/admin/subjects/${subject.subjectId}/legal-hold`, { token: subject.token, body: { reason: 'Case 1' } })).status).toBe(403);
  expect((await call('DELETE', `/v1/admin/subjects/${subject.subjectId}/legal-hold`)).status).toBe(401);
  expect(await userItem(subject.subjectId)).not.toHaveProperty('legalHold');
});

it('drives every data-touching branch of the job for other suites (driveRetentionJob)', async () => {
  const { erased, held, restricted } = await driveRetentionJob(cloud, db, admin.token);
  expect(await userItem(erased)).toBeUndefined();
  // Its restriction stopped the filed erasure and withdrew the notice; the restriction is lifted again at the end.
  const spared = await userItem(restricted);
  expect(spared).toMatchObject({ subjectId: restricted });
  expect(spared).not.toHaveProperty('inactivityNoticeAt');
  expect(spared).not.toHaveProperty('retentionErasureRequestId');
  const kept = await userItem(held);
  expect(kept).toBeDefined();
  expect(kept).not.toHaveProperty('legalHold');
  expect(kept).not.toHaveProperty('retentionErasureRequestId');
});

it('refuses an event time far from the clock unless the fake clock is allowed for tests', async () => {
  const refused = await runOpsCommand(cloud, 'run-job', ['retention', '--time', '2099-01-01T00:00:00Z'], '', cloud.env);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('job failed: EventTimeRefusedError');
  const bad = await runOpsCommand(cloud, 'run-job', ['retention', '--time', 'next tuesday'], '', cloud.env);
  expect(bad.code).toBe(2);
  expect((await runOpsCommand(cloud, 'run-job', ['nope'], '', cloud.env)).code).toBe(2);
});

it('sets the TTL attribute on every write to an expiring store', async () => {
  const { person, subjectId, token } = await register({ analytics: true });
  const nowSeconds = Date.now() / 1000;
  expect((await call('POST', '/v1/events', { token, body: { events: [{ name: 'screen.view', at: new Date().toISOString() }] } })).status).toBe(204);
  expect((await call('POST', '/v1/sessions', { body: { email: person.email, password: 'not the password at all' } })).status).toBe(401);
  const exportRequest = await call('POST', '/v1/me/requests', { token, body: { type: 'export' } });
  expect((await settled(cloud, token, exportRequest.body.requestId)).status).toBe('completed');

  const within = (value: unknown, fromNow: number, slack = 300) => {
    expect(typeof value).toBe('number');
    expect(Math.abs((value as number) - (nowSeconds + fromNow))).toBeLessThan(slack);
  };
  const sessions = (await scanAll(db, cloud.env.SESSIONS_TABLE_NAME)).filter((s) => s.subjectId === subjectId);
  expect(sessions.length).toBeGreaterThan(0);
  for (const s of sessions) within(s.expiresAt, 14 * 86_400);

  const events = await scanAll(db, cloud.env.ANALYTICS_EVENTS_TABLE_NAME);
  expect(events.length).toBeGreaterThan(0);
  for (const e of events) expect(e.expiresAt).toBeGreaterThan(nowSeconds + 89 * 86_400);

  const audit = await scanAll(db, cloud.env.AUDIT_TABLE_NAME);
  const entries = audit.filter((e) => e.seq > 0);
  expect(entries.length).toBeGreaterThan(0);
  for (const e of entries) expect(e.expiresAt).toBeGreaterThan(nowSeconds + 394 * 86_400);

  const throttle = await scanAll(db, cloud.env.LOGIN_THROTTLE_TABLE_NAME);
  expect(throttle.length).toBeGreaterThan(0);
  for (const t of throttle) expect(t.expiresAt).toBeGreaterThan(nowSeconds);

  const finished = (await scanAll(db, cloud.env.RIGHTS_REQUESTS_TABLE_NAME)).find((r) => r.requestId === exportRequest.body.requestId)!;
  expect(finished.expiresAt).toBeGreaterThan(nowSeconds + 3 * 365 * 86_400 - 86_400);
  // Registration started the account's retention clock.
  const user = await userItem(subjectId);
  // The month with a shard of the subject (`2026-12#03`): the activity index spreads a month's logins.
  expect(user!.activityMonth).toMatch(new RegExp(`^${new Date().toISOString().slice(0, 7)}#\\d{2}$`));
  expect(Date.parse(user!.lastActiveAt)).toBeGreaterThan(Date.now() - 120_000);
});

it('never notices or erases an inactive admin: the job counts it for the other admins, run after run', async () => {
  // Arrange: a second admin whose last login is 110 months old; the runs use 100 months of retention, so the accounts
  // other tests aged (25 and 60 months) are active here and the counts are this admin's alone.
  const idle = await createAdmin(cloud);
  await lastLoginMonthsAgo(idle.subjectId, 110);
  const run = (at: Date) => runRetention(at, { RETENTION_INACTIVE_MONTHS: '100' });
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);

  const first = await run(now);
  const afterGrace = await run(new Date(now.getTime() + 31 * DAY));

  for (const result of [first, afterGrace]) expect(result.counts).toMatchObject({ inactiveAdmins: 1, notified: 0, filed: 0 });
  const kept = await userItem(idle.subjectId);
  expect(kept).toBeDefined();
  expect(kept).not.toHaveProperty('inactivityNoticeAt');
  expect(kept).not.toHaveProperty('retentionErasureRequestId');
  expect((await retentionRequests()).filter((r) => r.subjectId === idle.subjectId)).toEqual([]);
});
