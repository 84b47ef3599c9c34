/**
 * Breach response on the real local cloud: an admin records a breach of `users` in a window, starts its scope, and the
 * rights worker computes it from the queue; the stored result equals what `fmn breach-scope` (the same core) finds on the
 * same data, by pseudonym only. Bad input answers 4xx problem+json and writes nothing; a subject may not touch incidents;
 * every incident action is audited without its free text.
 */
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { KmsPseudonyms } from '../../lambdas/adapters/kms-pseudonyms';
import { breachScope } from '../../ops/breach-scope';
import { apiClient, createAdmin, documentClient, newPerson, scanAll } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

let cloud: LocalCloudHandle;
let db: DynamoDBDocumentClient;
let kms: KMSClient;
let call: ReturnType<typeof apiClient>;
let admin: Awaited<ReturnType<typeof createAdmin>>;
type Person = { email: string; subjectId: string; token: string; pseudonym: string };
let before: Person;
let inside: Person;
let from: string;
let to: string;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pseudonymOf(subjectId: string): Promise<string> {
  const { Mac } = await kms.send(
    new GenerateMacCommand({ KeyId: cloud.env.PSEUDONYM_KEY_ID, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from(`subject:${subjectId}`) }),
  );
  return Buffer.from(Mac!).toString('hex');
}

async function registerAndRead(): Promise<Person> {
  const person = newPerson();
  const registered = await call('POST', '/v1/accounts', { body: person });
  expect(registered.status).toBe(201);
  const token = registered.body.session.token as string;
  expect((await call('GET', '/v1/me', { token })).status).toBe(200);
  const subjectId = registered.body.account.subjectId as string;
  return { email: person.email, subjectId, token, pseudonym: await pseudonymOf(subjectId) };
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

function newIncident(overrides: Record<string, unknown> = {}) {
  return {
    awareAt: hoursAgo(1),
    detectedAt: hoursAgo(2),
    stores: ['users'],
    window: { from, to },
    description: 'A read replica was reachable without authentication',
    nature: ['confidentiality'],
    ...overrides,
  };
}

async function incidentItems(): Promise<Record<string, unknown>[]> {
  return scanAll(db, cloud.env.INCIDENTS_TABLE_NAME!);
}

beforeAll(async () => {
  cloud = await startLocalCloudProcess(['--visibility-timeout', '5'], { PASSWORD_SCRYPT_LOG_N: '12' });
  db = documentClient(cloud);
  call = apiClient(cloud);
  kms = new KMSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.kms, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  admin = await createAdmin(cloud);
  before = await registerAndRead();
  await pause(50);
  from = new Date().toISOString();
  await pause(50);
  inside = await registerAndRead();
  await pause(50);
  to = new Date().toISOString();
  await pause(50);
  await registerAndRead();
}, 120_000);

afterAll(async () => {
  db?.destroy();
  kms?.destroy();
  await cloud?.stop();
});

describe('recording a breach and reading its scope', () => {
  it('records it, runs the scope in the worker, and stores what fmn breach-scope finds on the same data', async () => {
    const created = await call('POST', '/v1/admin/incidents', { token: admin.token, body: newIncident() });
    expect(created.status).toBe(201);
    const incidentId = created.body.incidentId as string;
    expect(created.body).toMatchObject({ status: 'open', stores: ['users'], clock: { state: 'running' } });
    expect(created.body.clock.minutesLeft).toBeGreaterThan(70 * 60);
    expect(created.body.checklists.authority.complete).toBe(false);

    const started = await call('POST', `/v1/admin/incidents/${incidentId}/scope`, { token: admin.token });
    expect(started.status).toBe(202);
    expect(started.body.scope.status).toBe('queued');

    let incident = started.body;
    for (let i = 0; i < 100 && incident.scope.status === 'queued'; i++) {
      await pause(200);
      incident = (await call('GET', `/v1/admin/incidents/${incidentId}`, { token: admin.token })).body;
    }
    expect(incident.scope.status).toBe('done');

    const pseudonyms = new KmsPseudonyms(kms, cloud.env.PSEUDONYM_KEY_ID!);
    const cli = await breachScope(
      { store: 'users', from, to },
      { db, tables: { audit: cloud.env.AUDIT_TABLE_NAME!, store: cloud.env.USERS_TABLE_NAME }, subjectPseudonym: (id) => pseudonyms.subject(id) },
    );
    const result = incident.scope.result;
    expect(result.categories).toEqual(cli.categories);
    expect(result.subjects).toEqual({ count: cli.subjects.count, approximate: cli.subjects.approximate });
    expect(result.stores).toHaveLength(1);
    expect(result.stores[0].accessed.byOrigin).toEqual(cli.accessed.byOrigin);
    expect(result.stores[0].held).toMatchObject({ enumerated: true, subjects: cli.held.subjects });
    // the checklist counts the scope as Art. 33(3)(a)'s categories and numbers
    const filled = incident.checklists.authority.items.filter((i: { filled: boolean }) => i.filled).map((i: { field: string }) => i.field);
    expect(filled).toEqual(expect.arrayContaining(['description', 'categories', 'approxSubjects']));

    const exported = await call('GET', `/v1/admin/incidents/${incidentId}/export`, { token: admin.token });
    expect(exported.status).toBe(200);
    expect(exported.body.pseudonyms).toEqual(cli.subjects.pseudonyms);
    // held in users during the window: the admin and the person registered before it, and the one registered inside it
    expect(exported.body.pseudonyms).toEqual([await pseudonymOf(admin.subjectId), before.pseudonym, inside.pseudonym].sort());
    const csv = await call('GET', `/v1/admin/incidents/${incidentId}/export?format=csv`, { token: admin.token });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')).toEqual(expect.arrayContaining(['field,value', `incidentId,${incidentId}`, `scope.pseudonym,${inside.pseudonym}`]));

    // the record and its pages hold pseudonyms, never ids or emails
    const stored = JSON.stringify(await incidentItems());
    for (const person of [before, inside]) {
      expect(stored).not.toContain(person.subjectId);
      expect(stored).not.toContain(person.email);
    }

    const listed = await call('GET', '/v1/admin/incidents', { token: admin.token });
    expect(listed.body.incidents.map((i: { incidentId: string }) => i.incidentId)).toContain(incidentId);
  }, 90_000);

  it('fills the checklist: a late notice needs its reasons, then the authority notice is complete', async () => {
    const created = await call('POST', '/v1/admin/incidents', { token: admin.token, body: newIncident({ awareAt: hoursAgo(80), detectedAt: hoursAgo(81) }) });
    const incidentId = created.body.incidentId as string;
    expect(created.body.clock.state).toBe('overdue');
    const notice = { approxSubjects: 2, approxRecords: 2, natureDetail: 'Contact data of customers', dpoContactIncluded: true, consequences: 'Phishing', measures: 'Replica closed' };
    const late = await call('PATCH', `/v1/admin/incidents/${incidentId}`, { token: admin.token, body: { authorityNotice: { ...notice, notifiedAt: hoursAgo(1) } } });
    expect(late.status).toBe(422);
    expect(late.body.type).toBe('/problems/late-notice-reasons-required');
    const done = await call('PATCH', `/v1/admin/incidents/${incidentId}`, {
      token: admin.token,
      body: { authorityNotice: { ...notice, notifiedAt: hoursAgo(1), delayReasons: 'The replica owner was unreachable over the weekend' } },
    });
    expect(done.status).toBe(200);
    expect(done.body.clock.state).toBe('notified-late');
    expect(done.body.checklists.authority.complete).toBe(true);
    const exempt = await call('PATCH', `/v1/admin/incidents/${incidentId}`, {
      token: admin.token,
      body: { subjectNotice: { highRisk: true, exemption: 'unintelligible', exemptionReason: 'Encrypted at rest, key not exposed' } },
    });
    expect(exempt.body.checklists.subjects.complete).toBe(true);
  }, 30_000);
});

describe('refusals', () => {
  it('refuses contact details in free text, bad input and impossible times with problem+json, writing nothing', async () => {
    const itemsBefore = (await incidentItems()).length;
    const auditBefore = (await scanAll(db, cloud.env.AUDIT_TABLE_NAME!)).length;
    const withEmail = await call('POST', '/v1/admin/incidents', { token: admin.token, body: newIncident({ description: `Reported by ${inside.email}` }) });
    expect(withEmail.status).toBe(422);
    expect(withEmail.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(withEmail.body.type).toBe('/problems/personal-data-in-text');
    expect(withEmail.text).not.toContain(inside.email);
    const withPhone = await call('POST', '/v1/admin/incidents', { token: admin.token, body: newIncident({ description: 'Call +44 20 7946 0958 for access' }) });
    expect(withPhone.body.type).toBe('/problems/personal-data-in-text');
    expect((await call('POST', '/v1/admin/incidents', { token: admin.token, body: newIncident({ stores: ['payments'] }) })).status).toBe(400);
    expect((await call('POST', '/v1/admin/incidents', { token: admin.token, body: newIncident({ window: { from: to, to: from } }) })).body.type).toBe('/problems/incident-times');
    expect((await call('POST', '/v1/admin/incidents', { token: admin.token, body: { ...newIncident(), extra: 1 } })).status).toBe(400);
    expect((await incidentItems()).length).toBe(itemsBefore);
    // refused writes leave no entry on the system chain (reads of the admin's session aside, nothing about incidents)
    const incidentEntries = (await scanAll(db, cloud.env.AUDIT_TABLE_NAME!)).slice(auditBefore).filter((e) => String(e.origin).includes('Incident'));
    expect(incidentEntries.filter((e) => e.action === 'create')).toEqual([]);

    const created = await call('POST', '/v1/admin/incidents', { token: admin.token, body: newIncident() });
    const path = `/v1/admin/incidents/${created.body.incidentId}`;
    const phone = await call('PATCH', path, { token: admin.token, body: { authorityNotice: { measures: 'Ring 030 12345678' } } });
    expect(phone.status).toBe(422);
    expect(phone.body.errors).toEqual([{ path: 'body.authorityNotice.measures', message: 'looks like an email address or a phone number' }]);
    expect((await call('GET', path, { token: admin.token })).body.authorityNotice).toEqual({});
    expect((await call('PATCH', path, { token: admin.token, body: {} })).status).toBe(400);
    expect((await call('GET', '/v1/admin/incidents/00000000-0000-4000-8000-000000000000', { token: admin.token })).status).toBe(404);
  }, 30_000);

  it('answers 403 to a subject on every incident route, and 401 without a session', async () => {
    const created = await call('POST', '/v1/admin/incidents', { token: admin.token, body: newIncident() });
    const id = created.body.incidentId as string;
    const calls: [string, string, unknown?][] = [
      ['GET', '/v1/admin/incidents'],
      ['POST', '/v1/admin/incidents', newIncident()],
      ['GET', `/v1/admin/incidents/${id}`],
      ['PATCH', `/v1/admin/incidents/${id}`, { status: 'closed' }],
      ['POST', `/v1/admin/incidents/${id}/scope`],
      ['GET', `/v1/admin/incidents/${id}/export`],
    ];
    for (const [method, path, body] of calls) {
      expect((await call(method, path, { token: before.token, body })).status).toBe(403);
      expect((await call(method, path, { body })).status).toBe(401);
    }
  }, 30_000);
});

describe('the audit trail', () => {
  it('audits every incident action on the system chain by the admin\'s pseudonym, with field names and never the text', async () => {
    const entries = (await scanAll(db, cloud.env.AUDIT_TABLE_NAME!)).filter((e) => /Incident|incident/.test(String(e.origin)));
    const origins = new Set(entries.map((e) => e.origin));
    for (const origin of ['route:createIncident', 'route:adminIncident', 'route:adminIncidents', 'route:updateIncident', 'route:startIncidentScope', 'route:exportIncident']) {
      expect(origins).toContain(origin);
    }
    const routeEntries = entries.filter((e) => String(e.origin).startsWith('route:'));
    expect(routeEntries.every((e) => e.actorRole === 'admin' && String(e.actorId).startsWith('subject:') && e.chainId === 'system')).toBe(true);
    const worker = (await scanAll(db, cloud.env.AUDIT_TABLE_NAME!)).filter((e) => e.origin === 'worker:rightsRequestWorker' && (e.fields as string[]).includes('incidents.scope'));
    expect(worker.length).toBeGreaterThan(0);
    expect(worker.every((e) => e.purpose === 'accountability' && e.chainId === 'system')).toBe(true);
    const text = JSON.stringify(entries);
    expect(text).not.toContain('read replica');
    expect(text).not.toContain('unreachable over the weekend');
    expect(text).not.toContain(admin.subjectId);
  });
});
