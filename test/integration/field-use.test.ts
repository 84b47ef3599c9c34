/**
 * The field-use check (issue 7): the local cloud runs with the field-use trace on (FMN_FIELD_TRACE), the shared scenario
 * drives every route, the rights worker (an export and an erasure) and every schedule, and the trace is compared with the
 * declarations and the inventory (helpers/field-use.ts):
 *
 * - a touch of a store, field or access its declaration does not name fails, naming the declaration, store and field;
 * - a declared field or access never used, and an inventory field no declaration used, fail too, except the few listed
 *   below, each with the reason the scenario cannot show it.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inventory } from '../../lambdas/inventory';
import { routes, workers } from '../../lambdas/routes';
import { schedules } from '../../lambdas/schedules';
import { FIELD_TRACE_ENV } from '../../local/field-trace';
import { apiClient, createAdmin, documentClient, newPerson, PASSWORD } from './helpers/api';
import { driveRetentionJob, lastLoginMonthsAgo } from './helpers/retention';
import { checkFieldUse, readTrace, runtimeDeclarations, type FieldUseException } from './helpers/field-use';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';
import { settled, settledForAdmin } from './helpers/rights';
import { startServiceInChild, type ChildService } from './helpers/run-tsx';
import { canaryValues, driveEveryRoute } from './helpers/scenario';
import type { TestIdpSignRequest } from './helpers/test-idp';

/** Routes that read a subject's requests whole (GetItem or Query without a projection). */
const SUBJECT_REQUEST_READS = ['route:createRequest', 'route:myRequests', 'route:myRequest', 'route:downloadExport'] as const;

/**
 * The webhook dispatchers run only when LOCAL_WEBHOOK_URLS points them at a receiver (not here), and touch a store only
 * after a webhook's last failed try (recipients-wait.test.ts covers it): the one kind of declaration this run never sees.
 */
const DISPATCHERS_UNTRACED = workers.filter((worker) => worker.handler === 'webhook-dispatcher').map((worker) => `worker:${worker.id}` as const);

/**
 * What the run cannot show, and why. Keep it short: an entry (declaration × field) that excuses nothing fails the test.
 * Most are attributes of request items in states or types the reading route does not meet in the run: requests are read
 * whole, so every attribute a request may carry is declared.
 */
const EXCEPTIONS: readonly FieldUseException[] = [
  {
    declarations: ['route:adminOperations', ...schedules.map((s) => `schedule:${s.id}` as const), 'inventory'],
    store: 'jobRuns',
    fields: ['error'],
    reason: 'A run records its error only when it fails; every job of the run succeeds (operations.test.ts records a failed run).',
  },
  {
    declarations: ['route:redriveQueue'],
    store: 'rightsRequestQueue',
    reason: "The run's DLQs are empty, so its redrive moves nothing (operations.test.ts moves messages back).",
  },
  {
    declarations: ['route:redriveQueue'],
    store: 'recipientEvents',
    reason: "The run's DLQs are empty, so its redrive moves nothing (operations.test.ts moves messages back).",
  },
  {
    declarations: ['route:adminSubject'],
    store: 'rightsRequests',
    fields: ['erasureSteps', 'receipt', 'receiptTokenHash', 'origin'],
    reason: 'The subject view reads the subject\'s requests whole, before their erasure (filed last in the run); none was filed by the retention job.',
  },
  {
    declarations: ['route:revealProfileField'],
    store: 'users',
    fields: ['inactivityNoticeAt', 'inactivityErasureAt'],
    reason: 'A reveal reads the account whole; the run\'s subject is active, so it carries no inactivity notice.',
  },
  {
    declarations: ['authorizer:authorizer'],
    store: 'sessions',
    access: ['write'],
    reason: 'The authorizer refreshes lastUsedAt and the idle expiry at most every 5 minutes of use; the run is shorter.',
  },
  {
    declarations: ['route:createRequest'],
    store: 'users',
    reason: 'The password is checked only when the last login is older than RIGHTS_REVERIFY_MINUTES (15); every login of the run is fresh.',
  },
  {
    declarations: ['route:recipientAck'],
    store: 'consent',
    reason:
      'The outbox item telling the subject is written only when the last awaited ack completes a request; this run awaits ' +
      'no recipient (AWAIT_RECIPIENTS=[]), so its acks only record. test/integration/recipients-wait.test.ts and ' +
      'example-recipient.test.ts complete requests by the last ack.',
  },
  {
    declarations: ['route:erasureReceipt'],
    store: 'audit',
    reason: 'The receipt view records no audit entry (the receipt holds no personal data), yet defineRoute grants the audit trail to every route with personal data.',
  },
  {
    declarations: [...SUBJECT_REQUEST_READS],
    store: 'rightsRequests',
    fields: ['erasureSteps', 'receipt'],
    reason: 'Written by the erasure worker, after which the subject has no session left (only a failed erasure keeps them readable).',
  },
  {
    declarations: ['route:myRequests', 'route:myRequest', 'route:downloadExport'],
    store: 'rightsRequests',
    fields: ['receiptTokenHash'],
    reason: 'Only erasure requests carry it, and the run files each erasure last, when its subject reads nothing more.',
  },
  {
    declarations: ['route:downloadExport', 'route:erasureReceipt'],
    store: 'rightsRequests',
    fields: ['extension', 'fields'],
    reason: 'An extension and the rectified fields are on other requests than the export, access or erasure these routes are asked about.',
  },
  {
    declarations: ['route:erasureReceipt'],
    store: 'rightsRequests',
    fields: ['exportKeys'],
    reason: 'Export keys are on export and access requests, never on the erasure a receipt is asked for.',
  },
  {
    declarations: ['route:approveRequest', 'route:rejectRequest', 'route:extendRequest', 'route:completeRequest'],
    store: 'rightsRequests',
    fields: ['exportKeys', 'erasureSteps', 'receipt', 'receiptTokenHash'],
    reason: 'The admin acts on manual or failed requests; export keys and an erasure\'s steps, receipt and token are on requests the workers carried out.',
  },
  {
    declarations: ['route:approveRequest', 'route:rejectRequest'],
    store: 'rightsRequests',
    fields: ['extension'],
    reason: 'The run extends only the rectification it completes.',
  },
  {
    declarations: ['route:approveRequest', 'route:extendRequest'],
    store: 'rightsRequests',
    fields: ['expiresAt'],
    reason: 'Set when a request is completed or rejected, after which it is neither approved nor extended.',
  },
  {
    declarations: ['route:downloadExport', 'route:erasureReceipt', 'route:rejectRequest', 'route:extendRequest', 'route:completeRequest'],
    store: 'rightsRequests',
    fields: ['origin'],
    reason: 'Only erasures the retention job files carry an origin; the run approves its one, it never rejects, extends, completes, downloads or receipts one.',
  },
  {
    declarations: ['route:setLegalHold', 'route:restrict'],
    store: 'rightsRequests',
    fields: ['extension', 'fields', 'exportKeys', 'erasureSteps', 'receipt', 'receiptTokenHash', 'recipients'],
    reason: 'A hold or a restriction reads the retention erasure it stops, which is still waiting: not extended, not a rectification or export, not started.',
  },
  {
    declarations: ['route:approveRequest', 'route:rejectRequest', 'route:extendRequest', 'route:completeRequest'],
    store: 'rightsRequests',
    fields: ['recipients'],
    reason: 'The admin acts on manual requests (rectification, access); recipients are told of, and acknowledge, the export and erasure the worker carried out.',
  },
  {
    declarations: ['route:recipientAck'],
    store: 'rightsRequests',
    fields: ['extension', 'fields', 'origin'],
    reason: 'The run acknowledges its export and its erasure: neither is extended, a rectification, or filed by the retention job.',
  },
  ...(['rightsRequests', 'audit'] as const).map((store) => ({
    declarations: [...DISPATCHERS_UNTRACED],
    store,
    reason: "A dispatcher marks a recipient failed on its request only after a webhook's last failed try: recipients-wait.test.ts.",
  })),
  {
    declarations: ['route:listSessions', 'route:logoutEverywhere', 'route:patchMe', 'worker:rightsRequestWorker'],
    store: 'sessions',
    fields: ['reauthenticatedAt'],
    reason: 'Only admin sessions carry a re-authentication; these read the sessions of subjects, who are not admins in the run.',
  },
  {
    declarations: ['route:reauthenticate'],
    store: 'users',
    fields: ['inactivityNoticeAt', 'inactivityErasureAt', 'retentionErasureRequestId'],
    reason: 'The account is read whole; the run\'s admins are fresh, never given an inactivity notice.',
  },
  {
    declarations: ['route:adminRequest'],
    store: 'rightsRequests',
    fields: ['extension', 'exportKeys', 'erasureSteps', 'receipt', 'receiptTokenHash', 'origin', 'expiresAt', 'recipients'],
    reason: 'The run reads one open rectification by id; the console\'s browser test reads finished exports and erasures.',
  },
  {
    declarations: ['route:adminDownloadExport'],
    store: 'rightsRequests',
    fields: ['extension', 'fields', 'erasureSteps', 'receipt', 'receiptTokenHash', 'origin'],
    reason: 'An export request carries no extension, rectified fields, erasure steps, receipt token or retention origin.',
  },
  {
    declarations: ['schedule:retention'],
    store: 'rightsRequestQueue',
    reason: 'The run files in manual mode so that a hold can stop a filed erasure; automatic filing (queued) is in retention.test.ts.',
  },
  {
    declarations: ['schedule:resendLostJobs'],
    store: 'rightsRequestQueue',
    reason: 'It sends a job only for a request queued 10 minutes with no message, which needs a crash between commit and send: lost-jobs.test.ts.',
  },
  {
    declarations: ['schedule:resendLostJobs'],
    store: 'rightsRequests',
    access: ['write'],
    reason: 'It marks a request re-sent only when it finds one queued 10 minutes with no message: lost-jobs.test.ts.',
  },
];

let cloud: LocalCloudHandle;
let idp: ChildService;
let traceDir: string;
let traceFile: string;
const AUDIENCE = 'fmn-field-use';

beforeAll(async () => {
  traceDir = mkdtempSync(join(tmpdir(), 'fmn-field-trace-'));
  traceFile = join(traceDir, 'trace.jsonl');
  idp = await startServiceInChild('test/integration/helpers/test-idp.ts', 'startTestIdp');
  cloud = await startLocalCloudProcess([], {
    PASSWORD_SCRYPT_LOG_N: '12',
    [FIELD_TRACE_ENV]: traceFile,
    // Schedules run at start and then every 2 s, so each also runs once the scenario has filled the tables.
    LOCAL_SCHEDULE_SECONDS: '2',
    // Access requests wait for an admin, so approving one (and the queue write it makes) is part of the run.
    RIGHTS_MODES: JSON.stringify({ access: 'manual' }),
    OIDC_PROVIDERS: JSON.stringify([{ name: 'testidp', issuer: idp.endpoint, audience: AUDIENCE, jwksUri: `${idp.endpoint}/jwks` }]),
  });
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
  await idp?.close();
  if (traceDir) rmSync(traceDir, { recursive: true, force: true });
});

/**
 * Branches the shared scenario does not take (it checks logs, not stores): a successful OpenID Connect sign-up and
 * login, a registration with consents, a login on a later day than the last, a failed login left on the throttle before an erasure, an access request
 * approved by an admin, downloaded, next to a rectification that is extended and then read, and a consent withdrawn.
 */
async function driveTheOtherBranches(): Promise<void> {
  const call = apiClient(cloud);
  const admin = await createAdmin(cloud);

  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: idp.endpoint, aud: AUDIENCE, iat: now, exp: now + 300, sub: `idp-${randomUUID()}`, email: `oidc.${randomUUID()}@example.org`, email_verified: true, name: 'Grace' };
  for (const expected of [{ created: true }, { created: false }]) {
    const signed = await fetch(`${idp.endpoint}/sign`, { method: 'POST', body: JSON.stringify({ signer: 'trusted', claims } satisfies TestIdpSignRequest) });
    const { token } = (await signed.json()) as { token: string };
    const login = await call('POST', '/v1/sessions/oidc', { body: { idToken: token } });
    expect({ status: login.status, created: login.body.created }).toEqual({ status: 201, ...expected });
  }

  const person = newPerson();
  const registration = await call('POST', '/v1/accounts', { body: { ...person, consents: { analytics: true, 'marketing-email': true } } });
  expect(registration.status).toBe(201);
  const token = registration.body.session.token as string;
  // A login writes the account's activity at most once a day (domain/accounts.ts activityDue): one on a later day than
  // the last activity restarts the retention clock and withdraws any notice.
  await lastLoginMonthsAgo(cloud, documentClient(cloud), registration.body.account.subjectId as string, 1);
  expect((await call('POST', '/v1/sessions', { body: { email: person.email, password: person.password } })).status).toBe(201);
  // A failed login left on the throttle, for the erasure to delete.
  expect((await call('POST', '/v1/sessions', { body: { email: person.email, password: `${person.password} wrong` } })).status).toBe(401);

  // A re-authentication with a wrong code counts on the login throttle; the right one then clears the account counter.
  expect((await call('POST', '/v1/sessions/current/reauthentication', { token: admin.token, body: { password: 'not the password', code: '000000' } })).status).toBe(403);
  expect((await call('POST', '/v1/sessions/current/reauthentication', { token: admin.token, body: { password: PASSWORD, code: admin.recoveryCodes[0] } })).status).toBe(200);

  const access = await call('POST', '/v1/me/requests', { token, body: { type: 'access' } });
  expect(access.status).toBe(202);
  expect((await call('POST', `/v1/admin/requests/${access.body.requestId}/approve`, { token: admin.token })).status).toBe(200);
  expect((await settled(cloud, token, access.body.requestId)).status).toBe('completed');
  expect((await call('GET', `/v1/me/requests/${access.body.requestId}/download`, { token })).status).toBe(200);

  const fix = await call('POST', '/v1/me/requests', { token, body: { type: 'rectification', fields: ['profile.familyName'] } });
  expect((await call('POST', `/v1/admin/requests/${fix.body.requestId}/extend`, { token: admin.token, body: { months: 1, reason: 'Checking.' } })).status).toBe(200);
  expect((await call('GET', '/v1/me/requests', { token })).status).toBe(200);
  expect((await call('GET', `/v1/me/requests/${fix.body.requestId}`, { token })).status).toBe(200);

  // A withdrawal the email provider must hear of: the consent route records the recipients' event with it.
  expect((await call('PUT', '/v1/me/consents/marketing-email', { token, body: { granted: false } })).status).toBe(200);

  const erasure = await call('POST', '/v1/me/requests', { token, body: { type: 'erasure' } });
  expect(erasure.status).toBe(202);
  expect((await settledForAdmin(cloud, admin.token, erasure.body.requestId)).status).toBe('completed');
}

it('every store, field and access touched is declared, and every declared one is used', async () => {
  const { exercised } = await driveEveryRoute(cloud, canaryValues(), { drainBeforeErasure: true });
  await driveTheOtherBranches();
  // The retention job through notice, filing, a hold that stops a filed erasure and the worker's erasure (fake clock).
  await driveRetentionJob(cloud, documentClient(cloud), (await createAdmin(cloud)).token, { [FIELD_TRACE_ENV]: traceFile });
  // Wait for each schedule to run once more, now that the tables hold requests, consents and sessions.
  const seen = readTrace(traceFile).length;
  const deadline = Date.now() + 20_000;
  const pending = () => {
    const after = readTrace(traceFile).slice(seen);
    return schedules.filter((s) => s.personalData.length > 0 && !after.some((t) => t.declaration === `schedule:${s.id}`));
  };
  while (pending().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  expect(pending().map((s) => s.id)).toEqual([]);

  const trace = readTrace(traceFile);
  const report = checkFieldUse(trace, runtimeDeclarations(), inventory, EXCEPTIONS);

  expect(report).toEqual({ undeclared: [], unusedDeclared: [], unusedInventory: [], staleExceptions: [] });
  // The check means something only if the scenario reached every route and the trace saw every declaration at work.
  expect(routes.map((r) => r.id).filter((id) => !exercised.has(id))).toEqual([]);
  const traced = new Set(trace.map((t) => t.declaration));
  const untraced = runtimeDeclarations().filter((d) => d.personalData.length > 0 && !traced.has(d.label)).map((d) => d.label);
  expect(untraced).toEqual(DISPATCHERS_UNTRACED);
}, 240_000);
