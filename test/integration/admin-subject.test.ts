/**
 * The privacy console's subject view and audit search over HTTP, on the local cloud: the subject's states without values,
 * their consent history, revealing one field for a stated purpose (audited with the field and purpose, never the value),
 * verifying the subject's chain (and seeing it break when an entry is edited), and exporting a search as JSON and CSV.
 */
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { entryHash, type AuditEntry } from '../../lambdas/domain/audit';
import { apiClient, createAdmin, documentClient, newPerson, scanAll, type Json } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

let cloud: LocalCloudHandle;
let db: DynamoDBDocumentClient;
let call: ReturnType<typeof apiClient>;
let admin: { subjectId: string; token: string };

beforeAll(async () => {
  cloud = await startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12' });
  db = documentClient(cloud);
  call = apiClient(cloud);
  admin = await createAdmin(cloud);
});

afterAll(async () => {
  db?.destroy();
  await cloud?.stop();
});

async function registered() {
  const person = newPerson();
  const response = await call('POST', '/v1/accounts', { body: { ...person, consents: { 'marketing-email': true } } });
  expect(response.status).toBe(201);
  return { person, subjectId: response.body.account.subjectId as string, token: response.body.session.token as string };
}

describe('GET /v1/admin/subjects/{subjectId}', () => {
  it('shows consents with policy versions, objections, restriction, hold and requests, and no profile value', async () => {
    const { person, subjectId, token } = await registered();
    expect((await call('POST', '/v1/me/objections/product-improvement', { token })).status).toBe(200);
    expect((await call('POST', '/v1/me/restriction', { token })).status).toBe(200);
    expect((await call('PUT', `/v1/admin/subjects/${subjectId}/legal-hold`, { token: admin.token, body: { reason: 'Case 2026-114' } })).status).toBe(200);

    const view = await call('GET', `/v1/admin/subjects/${subjectId}`, { token: admin.token });
    expect(view.status).toBe(200);
    const byPurpose = Object.fromEntries((view.body.consents.purposes as Json[]).map((p) => [p.purpose, p]));
    expect(byPurpose['marketing-email']).toMatchObject({ grantedPolicyVersion: expect.any(String), currentPolicyVersion: expect.any(String) });
    expect(byPurpose['product-improvement'].status).toBe('restricted');
    // The restriction hides the objection in the per-purpose status; the overview still names it.
    expect(view.body.objections).toEqual(['product-improvement']);
    expect(view.body.consents.restriction).toMatchObject({ restricted: true, since: expect.any(String) });
    expect(view.body.legalHold).toMatchObject({ reason: 'Case 2026-114' });
    expect(view.body.maskedProfileFields).toEqual(expect.arrayContaining(['email', 'phone', 'postalAddress']));
    for (const value of [person.email, person.displayName, person.phone]) expect(view.text.includes(value)).toBe(false);

    const history = await call('GET', `/v1/admin/subjects/${subjectId}/consents/history?limit=2`, { token: admin.token });
    expect(history.status).toBe(200);
    expect((history.body.events as Json[]).map((e) => e.action)).toEqual(['restrict', 'object']);
    const older = await call('GET', `/v1/admin/subjects/${subjectId}/consents/history?cursor=${history.body.next}`, { token: admin.token });
    expect(older.body.events[0]).toMatchObject({ topic: 'marketing-email', action: 'grant', policyVersion: expect.any(String), method: 'signup' });
  });

  it('answers 404 for an unknown subject, 403 for a subject and 400 for a malformed id', async () => {
    const { token } = await registered();
    expect((await call('GET', `/v1/admin/subjects/${crypto.randomUUID()}`, { token: admin.token })).status).toBe(404);
    expect((await call('GET', `/v1/admin/subjects/${crypto.randomUUID()}`, { token })).status).toBe(403);
    expect((await call('GET', '/v1/admin/subjects/not-a-uuid', { token: admin.token })).status).toBe(400);
  });
});

describe('POST /v1/admin/subjects/{subjectId}/reveal', () => {
  it('reveals one field and records the field and the stated purpose, never the value', async () => {
    const { person, subjectId, token } = await registered();
    const revealed = await call('POST', `/v1/admin/subjects/${subjectId}/reveal`, {
      token: admin.token,
      body: { field: 'phone', purpose: 'transparency' },
    });
    expect(revealed.status).toBe(200);
    expect(revealed.body).toEqual({ subjectId, field: 'phone', purpose: 'transparency', value: person.phone });

    const trail = await call('GET', `/v1/admin/audit?subjectId=${subjectId}&limit=5`, { token: admin.token });
    const reveal = (trail.body.entries as Json[]).find((e) => e.origin === 'route:revealProfileField')!;
    expect(reveal).toMatchObject({ action: 'read', actorRole: 'admin', purpose: 'transparency', fields: ['users.profile.phone'], categories: ['contact'] });
    expect((trail.body.entries as Json[]).filter((e) => e.origin === 'route:revealProfileField')).toHaveLength(1);
    expect(JSON.stringify(trail.body).includes(person.phone)).toBe(false);

    // The subject sees the reveal in their own trail, with its purpose.
    const mine = await call('GET', '/v1/me/audit', { token });
    expect(mine.body.entries).toEqual(
      expect.arrayContaining([expect.objectContaining({ actor: 'administrator', origin: 'route:revealProfileField', purpose: 'transparency', fields: ['users.profile.phone'] })]),
    );
  });

  it('refuses a field or purpose outside the lists, and an unknown subject', async () => {
    const { subjectId } = await registered();
    const wrongPurpose = await call('POST', `/v1/admin/subjects/${subjectId}/reveal`, { token: admin.token, body: { field: 'phone', purpose: 'curiosity' } });
    expect(wrongPurpose.status).toBe(400);
    const wrongField = await call('POST', `/v1/admin/subjects/${subjectId}/reveal`, { token: admin.token, body: { field: 'passwordHash', purpose: 'account' } });
    expect(wrongField.status).toBe(400);
    const unknown = await call('POST', `/v1/admin/subjects/${crypto.randomUUID()}/reveal`, { token: admin.token, body: { field: 'email', purpose: 'account' } });
    expect(unknown.status).toBe(404);
  });
});

describe('GET /v1/admin/subjects/{subjectId}/audit/verify', () => {
  it('reports an intact chain, then the first break once an entry is edited', async () => {
    const { subjectId, token } = await registered();
    await call('GET', '/v1/me', { token });
    const intact = await call('GET', `/v1/admin/subjects/${subjectId}/audit/verify`, { token: admin.token });
    expect(intact.status).toBe(200);
    // Registration (and its consent), the read, and the admin's look at the trail before this one: nothing expired yet.
    expect(intact.body).toMatchObject({ ok: true, firstSeq: 1, lastSeq: intact.body.checked });
    expect(intact.body.checked).toBeGreaterThanOrEqual(2);

    const entries = (await scanAll(db, cloud.env.AUDIT_TABLE_NAME)).filter((e) => e.chainId === intact.body.chainId && e.seq === 2);
    await db.send(
      new UpdateCommand({ TableName: cloud.env.AUDIT_TABLE_NAME, Key: { chainId: intact.body.chainId, seq: 2 }, UpdateExpression: 'SET purpose = :p', ExpressionAttributeValues: { ':p': 'marketing-email' } }),
    );
    expect(entries).toHaveLength(1);
    const broken = await call('GET', `/v1/admin/subjects/${subjectId}/audit/verify`, { token: admin.token });
    expect(broken.body).toMatchObject({ ok: false, firstBreak: { seq: 2, reason: 'content-changed' } });
  });
});

describe('GET /v1/admin/audit/export', () => {
  it('exports a subject\'s whole trail as JSON and CSV with the chain hashes, and records the export', async () => {
    const { subjectId, token } = await registered();
    for (let i = 0; i < 3; i++) await call('GET', '/v1/me', { token });

    const json = await call('GET', `/v1/admin/audit/export?subjectId=${subjectId}`, { token: admin.token });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-export-.*\.json"$/);
    const entries = json.body.entries as AuditEntry[];
    expect(json.body.count).toBe(entries.length);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: entries.length }, (_, i) => entries.length - i));
    expect(entries.filter((e) => e.origin === 'route:getMe')).toHaveLength(3);
    // Each entry re-hashes to its hash, and links to the one before it: the recipient can check the chain.
    for (const { hash, ...content } of entries) expect(entryHash(content)).toBe(hash);
    for (let i = 0; i < entries.length - 1; i++) expect(entries[i].prevHash).toBe(entries[i + 1].hash);

    const csv = await call('GET', `/v1/admin/audit/export?subjectId=${subjectId}&format=csv`, { token: admin.token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = csv.text.trimEnd().split('\r\n');
    expect(rows[0]).toBe('chainId,seq,entryId,at,day,actorId,actorRole,action,subjectPseudonym,purpose,categories,fields,outcome,correlationId,origin,prevHash,expiresAt,hash');
    // The JSON export was recorded before the CSV one read the chain: one more entry.
    expect(rows).toHaveLength(1 + entries.length + 1);
    expect(rows[1]).toContain(',admin,export,');
    expect(rows[2].split(',').at(-1)).toBe(entries[0].hash);

    const trail = await call('GET', `/v1/admin/audit?subjectId=${subjectId}&action=export`, { token: admin.token });
    expect((trail.body.entries as Json[]).map((e) => e.origin)).toEqual(['route:adminAuditExport', 'route:adminAuditExport']);
  });

  it('refuses a backwards range and an unkeyed range over 31 days, as the search does', async () => {
    const backwards = await call('GET', '/v1/admin/audit/export?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', { token: admin.token });
    expect(backwards.status).toBe(400);
    const wide = await call('GET', '/v1/admin/audit/export?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z', { token: admin.token });
    expect(wide.status).toBe(400);
    expect(wide.body.errors[0].message).toMatch(/31 days/);
  });
});
