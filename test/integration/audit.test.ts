/**
 * The audit trail end to end on the local cloud: one entry per personal-data read and write, pseudonyms computed with the
 * real (emulated) KMS HMAC key, the subject's and the admin's views, the hash-chain check against tampering, and an audit
 * write failure failing the request.
 */
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { apiClient, createAdmin, documentClient, newPerson, PASSWORD, runOpsCommand, scanAll, type Json } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

let cloud: LocalCloudHandle;
let db: DynamoDBDocumentClient;
let kms: KMSClient;
let call: ReturnType<typeof apiClient>;
let admin: { subjectId: string; token: string };

beforeAll(async () => {
  cloud = await startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12' });
  db = documentClient(cloud);
  kms = new KMSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.kms, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  call = apiClient(cloud);
  admin = await createAdmin(cloud);
});

afterAll(async () => {
  db?.destroy();
  kms?.destroy();
  await cloud?.stop();
});

const auditTable = () => cloud.env.AUDIT_TABLE_NAME;

/** The pseudonym, computed independently of the service: HMAC-SHA256 of `subject:<id>` under the pseudonym key, hex. */
async function pseudonymOf(subjectId: string): Promise<string> {
  const { Mac } = await kms.send(
    new GenerateMacCommand({ KeyId: cloud.env.PSEUDONYM_KEY_ID, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from(`subject:${subjectId}`) }),
  );
  return Buffer.from(Mac!).toString('hex');
}

async function chainOf(subjectId: string): Promise<Json[]> {
  const chainId = `subject#${await pseudonymOf(subjectId)}`;
  return (await scanAll(db, auditTable())).filter((i) => i.chainId === chainId && i.seq > 0).sort((a, b) => a.seq - b.seq);
}

async function headOf(subjectId: string): Promise<Json | undefined> {
  const chainId = `subject#${await pseudonymOf(subjectId)}`;
  return (await scanAll(db, auditTable())).find((i) => i.chainId === chainId && i.seq === 0);
}

async function registered() {
  const person = newPerson();
  const response = await call('POST', '/v1/accounts', { body: person });
  expect(response.status).toBe(201);
  return { person, subjectId: response.body.account.subjectId as string, token: response.body.session.token as string };
}

const verify = (subjectId: string) => runOpsCommand(cloud, 'audit-verify', ['--subject-id', subjectId]);

describe('one entry per personal-data read and write', () => {
  it('records registration, reads, corrections, login and logout with actor, action, fields and pseudonym', async () => {
    const { person, subjectId, token } = await registered();
    const pseudonym = await pseudonymOf(subjectId);
    const me = await call('GET', '/v1/me', { token });
    expect(me.status).toBe(200);
    const patched = await call('PATCH', '/v1/me', { token, body: { phone: '+33612345678', familyName: 'King' } });
    expect(patched.status).toBe(200);
    const login = await call('POST', '/v1/sessions', { body: { email: person.email, password: PASSWORD } });
    expect(login.status).toBe(201);
    expect((await call('DELETE', '/v1/sessions/current', { token: login.body.session.token })).status).toBe(204);

    const chain = await chainOf(subjectId);
    const summary = chain.map((e) => `${e.origin} ${e.action}`);
    // A request's reads come before its write: they happened first and are committed in the same transaction.
    expect(summary).toEqual([
      'route:register create',
      'route:getMe read',
      'route:patchMe read',
      'route:patchMe update',
      'route:login read',
      'route:login login',
      'route:logout logout',
    ]);
    for (const entry of chain) {
      expect(entry.subjectPseudonym).toBe(pseudonym);
      expect(entry.actorId).toBe(`subject:${pseudonym}`);
      expect(entry.actorRole).toBe('subject');
      expect(entry.outcome).toBe('success');
      expect(entry.purpose).toBe('account');
      expect(entry.expiresAt).toBeGreaterThan(Date.now() / 1000 + 390 * 86_400);
    }
    const byOrigin = (origin: string, action: string) => chain.find((e) => e.origin === origin && e.action === action)!;
    expect(byOrigin('route:patchMe', 'update').fields).toEqual(['users.profile.phone', 'users.profile.familyName'].sort());
    expect(byOrigin('route:patchMe', 'update').categories).toEqual(['contact', 'identity']);
    expect(byOrigin('route:getMe', 'read').fields).toEqual(expect.arrayContaining(['users.profile', 'subjectKeys.subjectId']));
    expect(byOrigin('route:register', 'create').fields).toEqual(expect.arrayContaining(['users.profile', 'users.passwordHash', 'sessions.tokenHash']));
    // The correlation id joins an entry to the request (and its log lines).
    expect(byOrigin('route:getMe', 'read').correlationId).toBe(me.headers.get('x-amzn-requestid'));

    // Names, never values: no profile value and no raw subject id appears anywhere in the trail.
    const raw = JSON.stringify(chain);
    for (const value of [person.email, person.displayName, person.givenName, person.phone, '+33612345678', 'King', subjectId]) {
      expect(raw.includes(value)).toBe(false);
    }
  });

  it('records a failed login against a registered account as a failed read, and nothing for an unknown email', async () => {
    const { person, subjectId } = await registered();
    const before = (await scanAll(db, auditTable())).length;
    expect((await call('POST', '/v1/sessions', { body: { email: `nobody.${Date.now()}@example.com`, password: 'wrong password here' } })).status).toBe(401);
    expect((await scanAll(db, auditTable())).length).toBe(before);
    expect((await call('POST', '/v1/sessions', { body: { email: person.email, password: 'wrong password here' } })).status).toBe(401);
    const last = (await chainOf(subjectId)).at(-1)!;
    expect(last).toMatchObject({ action: 'read', outcome: 'failure', origin: 'route:login' });
  });

  it('records an admin-created account as created by the system, not by a person', async () => {
    const chain = await chainOf(admin.subjectId);
    expect(chain[0]).toMatchObject({ action: 'create', actorRole: 'system', actorId: 'system:command:createAdmin' });
  });
});

describe('GET /v1/me/audit', () => {
  it('shows me who accessed my data, newest first, without other people\'s pseudonyms', async () => {
    const { subjectId, token } = await registered();
    await call('GET', '/v1/me', { token });
    expect((await call('GET', `/v1/admin/audit?subjectId=${subjectId}`, { token: admin.token })).status).toBe(200);

    const page = await call('GET', '/v1/me/audit', { token });
    expect(page.status).toBe(200);
    const entries = page.body.entries as Json[];
    expect(entries.map((e) => `${e.actor} ${e.action} ${e.origin}`)).toEqual([
      'administrator read route:adminAudit',
      'you read route:getMe',
      'you create route:register',
    ]);
    expect(entries[0].purpose).toBe('accountability');
    expect(JSON.stringify(page.body)).not.toMatch(/[0-9a-f]{64}/);
    for (let i = 1; i < entries.length; i++) expect(entries[i - 1].at >= entries[i].at).toBe(true);
  });

  it('pages with an opaque cursor and refuses a forged one', async () => {
    const { token } = await registered();
    for (let i = 0; i < 3; i++) await call('GET', '/v1/me', { token });
    const first = await call('GET', '/v1/me/audit?limit=2', { token });
    expect(first.body.entries).toHaveLength(2);
    expect(first.body.next).toEqual(expect.any(String));
    const second = await call('GET', `/v1/me/audit?limit=2&cursor=${first.body.next}`, { token });
    expect(second.body.entries).toHaveLength(2);
    expect(second.body.entries[0].at <= first.body.entries[1].at).toBe(true);
    const forged = await call('GET', '/v1/me/audit?cursor=bm90LWEtY3Vyc29y', { token });
    expect(forged.status).toBe(400);
    expect((await call('GET', '/v1/me/audit?limit=500', { token })).status).toBe(400);
  });
});

describe('GET /v1/admin/audit', () => {
  it('is for administrators only', async () => {
    const { token } = await registered();
    const refused = await call('GET', '/v1/admin/audit', { token });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await call('GET', '/v1/admin/audit')).status).toBe(401);
  });

  it('filters by subject id or pseudonym, action, actor and time range', async () => {
    const a = await registered();
    const b = await registered();
    await call('PATCH', '/v1/me', { token: a.token, body: { locale: 'fr-FR' } });

    const bySubject = await call('GET', `/v1/admin/audit?subjectId=${a.subjectId}`, { token: admin.token });
    expect(bySubject.status).toBe(200);
    const pseudonymA = await pseudonymOf(a.subjectId);
    expect(bySubject.body.entries.length).toBeGreaterThanOrEqual(3);
    for (const e of bySubject.body.entries) expect(e.subjectPseudonym).toBe(pseudonymA);

    const byPseudonym = await call('GET', `/v1/admin/audit?subjectPseudonym=${pseudonymA}`, { token: admin.token });
    // The admin's own earlier query on this subject is the newest entry of the second answer.
    expect(byPseudonym.body.entries.slice(1).map((e: Json) => e.entryId)).toEqual(bySubject.body.entries.map((e: Json) => e.entryId));

    const updates = await call('GET', `/v1/admin/audit?subjectId=${a.subjectId}&action=update`, { token: admin.token });
    expect(updates.body.entries.map((e: Json) => e.fields)).toEqual([['users.profile.locale']]);

    const byActor = await call('GET', `/v1/admin/audit?actorSubjectId=${b.subjectId}`, { token: admin.token });
    expect(byActor.body.entries.length).toBeGreaterThanOrEqual(1);
    for (const e of byActor.body.entries) expect(e.actorId).toBe(`subject:${await pseudonymOf(b.subjectId)}`);

    const inAnHour = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();
    const none = await call('GET', `/v1/admin/audit?subjectId=${a.subjectId}&from=${inAnHour(1)}&to=${inAnHour(2)}`, { token: admin.token });
    expect(none.body.entries).toEqual([]);
    const backwards = await call('GET', `/v1/admin/audit?subjectId=${a.subjectId}&from=${inAnHour(2)}&to=${inAnHour(1)}`, { token: admin.token });
    expect(backwards.status).toBe(400);

    const today = await call('GET', `/v1/admin/audit?action=create&limit=100`, { token: admin.token });
    const created = today.body.entries.map((e: Json) => e.subjectPseudonym);
    expect(created).toEqual(expect.arrayContaining([pseudonymA, await pseudonymOf(b.subjectId)]));
  });

  it('pages through a subject\'s trail and refuses unbounded or contradictory searches', async () => {
    const { subjectId, token } = await registered();
    for (let i = 0; i < 4; i++) await call('GET', '/v1/me', { token });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('GET', `/v1/admin/audit?subjectId=${subjectId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: admin.token });
      expect(page.status).toBe(200);
      seen.push(...page.body.entries.map((e: Json) => e.entryId));
      cursor = page.body.next;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(5);

    const wide = await call('GET', '/v1/admin/audit?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z', { token: admin.token });
    expect(wide.status).toBe(400);
    const both = await call('GET', `/v1/admin/audit?subjectId=${subjectId}&subjectPseudonym=${'a'.repeat(64)}`, { token: admin.token });
    expect(both.status).toBe(400);
    expect((await call('GET', '/v1/admin/audit?action=launch', { token: admin.token })).status).toBe(400);
  });
});

describe('page cursors (issue 12)', () => {
  const base64url = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

  function expectCursorRefused(answer: { status: number; body: Json; headers: Headers }) {
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ type: '/problems/validation-failed', status: 400 });
    expect(answer.body.errors).toEqual([{ path: 'query.cursor', message: expect.stringContaining('Not a cursor this API issued') }]);
  }

  it('answers 400, not 500, to the crafted cursors of the review', async () => {
    const { token } = await registered();
    // {"key":{"foo":"bar"}} reached DynamoDB as an ExclusiveStartKey; {"day":"2026-99-99"} reached the day walk
    expect(base64url({ key: { foo: 'bar' } })).toBe('eyJrZXkiOnsiZm9vIjoiYmFyIn19');
    expect(base64url({ day: '2026-99-99' })).toBe('eyJkYXkiOiIyMDI2LTk5LTk5In0');
    expectCursorRefused(await call('GET', '/v1/me/audit?cursor=eyJrZXkiOnsiZm9vIjoiYmFyIn19', { token }));
    expectCursorRefused(await call('GET', '/v1/admin/audit?cursor=eyJkYXkiOiIyMDI2LTk5LTk5In0', { token: admin.token }));
    expectCursorRefused(await call('GET', `/v1/me/consents/history?cursor=${base64url({ sk: 'event#x' })}`, { token }));
  });

  it('refuses a cursor issued to another subject, and one issued for another route', async () => {
    const a = await registered();
    const b = await registered();
    for (let i = 0; i < 2; i++) await call('GET', '/v1/me', { token: a.token });
    const page = await call('GET', '/v1/me/audit?limit=1', { token: a.token });
    expect(page.status).toBe(200);
    const cursor = page.body.next as string;
    expect(cursor).toEqual(expect.any(String));
    // the cursor carries a's chain position, but nothing readable: neither pseudonym nor key shows
    expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain(await pseudonymOf(a.subjectId));
    expectCursorRefused(await call('GET', `/v1/me/audit?limit=1&cursor=${cursor}`, { token: b.token }));
    expectCursorRefused(await call('GET', `/v1/me/consents/history?cursor=${cursor}`, { token: a.token }));
    expectCursorRefused(await call('GET', `/v1/admin/audit?subjectId=${a.subjectId}&cursor=${cursor}`, { token: admin.token }));
    // still good for its owner
    const next = await call('GET', `/v1/me/audit?limit=1&cursor=${cursor}`, { token: a.token });
    expect(next.status).toBe(200);
    expect(next.body.entries).toHaveLength(1);
  });

  it('refuses a cursor with other filters than the query it was issued for, and accepts another page size', async () => {
    const a = await registered();
    const b = await registered();
    for (let i = 0; i < 2; i++) await call('GET', '/v1/me', { token: a.token });
    const first = await call('GET', `/v1/admin/audit?subjectId=${a.subjectId}&limit=1`, { token: admin.token });
    const cursor = first.body.next as string;
    expect(cursor).toEqual(expect.any(String));
    expectCursorRefused(await call('GET', `/v1/admin/audit?subjectId=${b.subjectId}&limit=1&cursor=${cursor}`, { token: admin.token }));
    expectCursorRefused(await call('GET', `/v1/admin/audit?subjectId=${a.subjectId}&action=read&limit=1&cursor=${cursor}`, { token: admin.token }));
    expectCursorRefused(await call('GET', `/v1/admin/audit?limit=1&cursor=${cursor}`, { token: admin.token }));
    // another admin may not continue this admin's search either
    const other = await createAdmin(cloud);
    expectCursorRefused(await call('GET', `/v1/admin/audit?subjectId=${a.subjectId}&limit=1&cursor=${cursor}`, { token: other.token }));
    const more = await call('GET', `/v1/admin/audit?subjectId=${a.subjectId}&limit=5&cursor=${cursor}`, { token: admin.token });
    expect(more.status).toBe(200);
    expect(more.body.entries[0].entryId).not.toBe(first.body.entries[0].entryId);
  });

  it('pages the actor index and the day index to the end, every entry once', async () => {
    const { subjectId, token } = await registered();
    for (let i = 0; i < 3; i++) await call('GET', '/v1/me', { token });
    const walk = async (query: string) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await call('GET', `/v1/admin/audit?${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: admin.token });
        expect(page.status).toBe(200);
        seen.push(...page.body.entries.map((e: Json) => e.entryId));
        cursor = page.body.next;
        pages++;
      } while (cursor && pages < 200);
      expect(cursor).toBeUndefined();
      expect(new Set(seen).size).toBe(seen.length);
      return seen;
    };
    const byActor = await walk(`actorSubjectId=${subjectId}`);
    expect(byActor.length).toBeGreaterThanOrEqual(4);
    const from = new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const to = new Date().toISOString();
    const byDay = await walk(`action=create&from=${from}&to=${to}`);
    expect(byDay.length).toBeGreaterThanOrEqual(1);
    // Pages of 2, merged across the day's shards, hand out what one large page does, in the same order: nothing skipped.
    const whole = await call('GET', `/v1/admin/audit?action=create&from=${from}&to=${to}&limit=100`, { token: admin.token });
    expect(whole.status).toBe(200);
    if (whole.body.next === undefined) expect(byDay).toEqual((whole.body.entries as Json[]).map((e) => e.entryId));
  });
});

describe('tamper evidence', () => {
  async function subjectWithChain() {
    const { subjectId, token } = await registered();
    await call('GET', '/v1/me', { token });
    await call('PATCH', '/v1/me', { token, body: { displayName: 'Someone New' } });
    await call('GET', '/v1/sessions', { token });
    const chain = await chainOf(subjectId);
    expect(chain.length).toBeGreaterThanOrEqual(5);
    return { subjectId, chain };
  }

  const reportOf = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!) as Json;

  it('verifies an untouched chain', async () => {
    const { subjectId, chain } = await subjectWithChain();
    const result = await verify(subjectId);
    expect(result.code).toBe(0);
    expect(reportOf(result.stdout)).toMatchObject({ ok: true, checked: chain.length });
  });

  it('finds an edited entry', async () => {
    const { subjectId, chain } = await subjectWithChain();
    await db.send(
      new UpdateCommand({ TableName: auditTable(), Key: { chainId: chain[2].chainId, seq: 3 }, UpdateExpression: 'SET #f = :f', ExpressionAttributeNames: { '#f': 'fields' }, ExpressionAttributeValues: { ':f': ['users.roles'] } }),
    );
    const result = await verify(subjectId);
    expect(result.code).toBe(1);
    expect(reportOf(result.stdout).firstBreak).toMatchObject({ seq: 3, reason: 'content-changed' });
  });

  it('finds a deleted entry, in the middle or at the end', async () => {
    const { subjectId, chain } = await subjectWithChain();
    await db.send(new DeleteCommand({ TableName: auditTable(), Key: { chainId: chain[1].chainId, seq: 2 } }));
    const middle = await verify(subjectId);
    expect(middle.code).toBe(1);
    expect(reportOf(middle.stdout).firstBreak).toMatchObject({ seq: 2, reason: 'missing-entry' });

    const other = await subjectWithChain();
    const last = other.chain.at(-1)!;
    await db.send(new DeleteCommand({ TableName: auditTable(), Key: { chainId: last.chainId, seq: last.seq } }));
    const tail = await verify(other.subjectId);
    expect(tail.code).toBe(1);
    expect(reportOf(tail.stdout).firstBreak).toMatchObject({ seq: last.seq, reason: 'head-mismatch' });
  });

  it('finds reordered entries', async () => {
    const { subjectId, chain } = await subjectWithChain();
    // Swap the contents of entries 2 and 3, each keeping its position, as someone rewriting history would.
    const [second, third] = [chain[1], chain[2]];
    await db.send(new PutCommand({ TableName: auditTable(), Item: { ...third, seq: 2 } }));
    await db.send(new PutCommand({ TableName: auditTable(), Item: { ...second, seq: 3 } }));
    const result = await verify(subjectId);
    expect(result.code).toBe(1);
    expect(reportOf(result.stdout).firstBreak.seq).toBe(2);
  });
});

describe('an audit write that fails', () => {
  it('fails the request and leaves the data unchanged, for writes and for reads', async () => {
    const { subjectId, token, person } = await registered();
    const head = (await headOf(subjectId))!;
    // Point the head one entry back: every append now collides with an existing entry, as a write to a broken or
    // unavailable trail would fail.
    await db.send(
      new UpdateCommand({ TableName: auditTable(), Key: { chainId: head.chainId, seq: 0 }, UpdateExpression: 'SET headSeq = :s', ExpressionAttributeValues: { ':s': head.headSeq - 1 } }),
    );
    const entriesBefore = (await chainOf(subjectId)).length;
    const users = await scanAll(db, cloud.env.USERS_TABLE_NAME);
    const userBefore = users.find((u) => u.subjectId === subjectId);

    // The trail cannot be appended to, so nothing is applied; the answer says to retry (409), never that it worked.
    const patch = await call('PATCH', '/v1/me', { token, body: { displayName: 'Should Not Stick' } });
    expect(patch.status).toBe(409);
    expect(patch.body.type).toBe('/problems/concurrent-update');
    expect(patch.headers.get('content-type')).toMatch(/problem\+json/);
    const read = await call('GET', '/v1/me', { token });
    expect(read.status).toBe(409);
    expect(JSON.stringify(read.body)).not.toContain(person.displayName);

    const userAfter = (await scanAll(db, cloud.env.USERS_TABLE_NAME)).find((u) => u.subjectId === subjectId);
    expect(userAfter).toEqual(userBefore);
    expect((await chainOf(subjectId)).length).toBe(entriesBefore);

    // Repaired, the same request goes through and the chain verifies again.
    await db.send(
      new UpdateCommand({ TableName: auditTable(), Key: { chainId: head.chainId, seq: 0 }, UpdateExpression: 'SET headSeq = :s', ExpressionAttributeValues: { ':s': head.headSeq } }),
    );
    expect((await call('GET', '/v1/me', { token })).body.profile.displayName).toBe(person.displayName);
    expect((await verify(subjectId)).code).toBe(0);
  });
});
