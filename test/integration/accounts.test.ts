/**
 * Accounts end to end on the local cloud: the real HTTP server, DynamoDB Local and the KMS emulator. Time-dependent rules
 * (lockout, session expiry) are exercised by moving the stored timestamps back, which is what the passing of time does to
 * them; the rules themselves are unit-tested with a fake clock in test/unit.
 */
import { createHash, randomUUID } from 'node:crypto';
import { DeleteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { apiClient, documentClient, newPerson, PASSWORD, runOpsCommand, scanAll as scanTable, totpNow, type Json } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';

let cloud: LocalCloudHandle;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  // A cheaper scrypt cost keeps the suite fast; the cost parameter is configuration, the code path is the same.
  cloud = await startLocalCloudProcess([], { PASSWORD_SCRYPT_LOG_N: '12' });
  db = documentClient(cloud);
  call = apiClient(cloud);
});

afterAll(async () => {
  db?.destroy();
  await cloud?.stop();
});

const table = (envVar: string) => cloud.env[envVar];
let call: ReturnType<typeof apiClient>;
const scanAll = (tableName: string) => scanTable(db, tableName);

async function registered(overrides: Json = {}) {
  const person = newPerson(overrides);
  const response = await call('POST', '/v1/accounts', { body: person });
  expect(response.status).toBe(201);
  return { person, subjectId: response.body.account.subjectId as string, token: response.body.session.token as string };
}

/** Every table the local cloud created, with a fingerprint of its contents, to prove a rejected request wrote nothing. */
/** JSON with object keys sorted at every level: DynamoDB does not promise attribute order, so plain JSON could differ. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Json)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

async function snapshotAllTables(): Promise<Record<string, string>> {
  const names = Object.entries(cloud.env).filter(([k]) => k.endsWith('_TABLE_NAME')).map(([, v]) => v).sort();
  // Per table, so a failure names the table that changed.
  const parts = await Promise.all(
    names.map(async (name) => {
      // Items past their TTL may vanish at any moment (DynamoDB deletes them in the background, and items aged by other
      // tests here are past it): they are left out, as if already gone.
      const now = Math.floor(Date.now() / 1000);
      const live = (await scanAll(name)).filter((i) => !(typeof i.expiresAt === 'number' && i.expiresAt <= now));
      return [name, createHash('sha256').update(live.map(canonical).sort().join('\n')).digest('hex')];
    }),
  );
  return Object.fromEntries(parts);
}

/** Moves a session's clock: its timestamps as if `seconds` had passed. */
async function ageSession(token: string, attributes: Partial<Record<'idleExpiresAt' | 'expiresAt', number>>) {
  const tokenHash = createHash('sha256').update(token).digest('hex');
  const names = Object.keys(attributes);
  await db.send(
    new UpdateCommand({
      TableName: table('SESSIONS_TABLE_NAME'),
      Key: { tokenHash },
      UpdateExpression: `SET ${names.map((_, i) => `#a${i} = :v${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#a${i}`, n])),
      ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:v${i}`, attributes[n as keyof typeof attributes]])),
      ConditionExpression: 'attribute_exists(tokenHash)',
    }),
  );
}

/** Lets every throttle window and lock pass: all counters' times move `seconds` into the past. */
async function letThrottleTimePass(seconds: number) {
  const name = table('LOGIN_THROTTLE_TABLE_NAME');
  for (const item of await scanAll(name)) {
    await db.send(
      new UpdateCommand({
        TableName: name,
        Key: { counterKey: item.counterKey },
        UpdateExpression: 'SET windowStart = :w, lockedUntil = :l, expiresAt = :e',
        ExpressionAttributeValues: { ':w': item.windowStart - seconds, ':l': item.lockedUntil - seconds, ':e': item.expiresAt - seconds },
      }),
    );
  }
}

function expectProblem(response: { status: number; body: Json; headers: Headers }, status: number, type?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body.status).toBe(status);
  if (type) expect(response.body.type).toBe(`/problems/${type}`);
}

describe('registration', () => {
  it('creates an account with every profile field and returns a working session', async () => {
    const person = newPerson();
    const response = await call('POST', '/v1/accounts', { body: person });
    expect(response.status).toBe(201);
    const { password: _password, ...profile } = person;
    expect(response.body.account.profile).toEqual(profile);
    expect(response.body.account.roles).toEqual(['subject']);
    expect(response.body.account.hasPassword).toBe(true);
    expect(Object.values(response.body.account.sources)).toEqual(Object.keys(profile).map(() => 'user'));
    expect(JSON.stringify(response.body)).not.toContain(PASSWORD);
    expect(response.body.session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const me = await call('GET', '/v1/me', { token: response.body.session.token });
    expect(me.status).toBe(200);
    expect(me.body.profile).toEqual(profile);
    expect(me.body.subjectId).toBe(response.body.account.subjectId);
  });

  it('gives a random subject id not derived from the email', async () => {
    const a = await registered();
    expect(a.subjectId).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.subjectId).not.toContain(a.person.email.split('@')[0]);
  });

  it('refuses a duplicate email (compared case-insensitively) with 409 and writes nothing', async () => {
    const { person } = await registered();
    const before = await snapshotAllTables();
    const again = await call('POST', '/v1/accounts', { body: newPerson({ email: person.email.toUpperCase() }) });
    expectProblem(again, 409, 'email-taken');
    expect(await snapshotAllTables()).toEqual(before);
  });

  it('refuses a password shorter than 12 characters', async () => {
    const response = await call('POST', '/v1/accounts', { body: newPerson({ password: 'short pass1' }) });
    expectProblem(response, 400, 'validation-failed');
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'body.password' })]));
  });

  it('ignores nothing silently: roles cannot be self-assigned', async () => {
    const response = await call('POST', '/v1/accounts', { body: { ...newPerson(), roles: ['admin'] } });
    expectProblem(response, 400, 'validation-failed');
  });
});

describe('storage is encrypted per subject', () => {
  it('keeps none of the registered personal values in plaintext in any table', async () => {
    const { person } = await registered();
    const secrets = [
      person.email,
      person.email.split('@')[0],
      person.displayName,
      person.givenName,
      person.familyName,
      person.phone,
      person.postalAddress.street,
      PASSWORD,
    ];
    const tables = Object.entries(cloud.env).filter(([k]) => k.endsWith('_TABLE_NAME'));
    expect(tables.length).toBeGreaterThanOrEqual(8);
    let scanned = 0;
    for (const [, name] of tables) {
      const raw = JSON.stringify(await scanAll(name));
      scanned += raw.length;
      for (const secret of secrets) expect({ table: name, leaks: raw.includes(secret) }).toEqual({ table: name, leaks: false });
    }
    expect(scanned).toBeGreaterThan(0);
    // …and the process output (logs) carries none of them either.
    for (const secret of secrets) expect(cloud.output().includes(secret)).toBe(false);
  });

  it('makes the profile unreadable once the subject key item is destroyed, and answers 410 cleanly', async () => {
    const { subjectId, token } = await registered();
    expect((await call('GET', '/v1/me', { token })).status).toBe(200);
    await db.send(new DeleteCommand({ TableName: table('SUBJECT_KEYS_TABLE_NAME'), Key: { subjectId } }));

    const me = await call('GET', '/v1/me', { token });
    expectProblem(me, 410, 'profile-erased');
    expect(JSON.stringify(me.body)).not.toMatch(/Error|\.ts:\d+/);
    const patch = await call('PATCH', '/v1/me', { token, body: { displayName: 'Someone Else' } });
    expectProblem(patch, 410);
    // The ciphertext is still in the users table, but nothing can open it any more.
    const users = await scanAll(table('USERS_TABLE_NAME'));
    expect(users.find((u) => u.subjectId === subjectId)).toBeDefined();
  });
});

describe('login', () => {
  it('logs in with the right password and gets a new session', async () => {
    const { person, subjectId } = await registered();
    const response = await call('POST', '/v1/sessions', { body: { email: person.email, password: PASSWORD } });
    expect(response.status).toBe(201);
    expect(response.body.subjectId).toBe(subjectId);
    expect((await call('GET', '/v1/me', { token: response.body.session.token })).status).toBe(200);
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const { person } = await registered();
    const wrong = await call('POST', '/v1/sessions', { body: { email: person.email, password: 'not the password at all' } });
    const unknown = await call('POST', '/v1/sessions', { body: { email: `nobody.${randomUUID()}@example.com`, password: 'not the password at all' } });
    expectProblem(wrong, 401, 'invalid-credentials');
    expectProblem(unknown, 401, 'invalid-credentials');
    const strip = (b: Json) => ({ ...b, instance: undefined });
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
    await letThrottleTimePass(3600);
  });

  it('locks an account after 5 failures, refuses even the right password while locked, and lets it in once the lock ends', async () => {
    const { person, subjectId } = await registered();
    for (let i = 0; i < 5; i++) {
      expectProblem(await call('POST', '/v1/sessions', { body: { email: person.email, password: `wrong password ${i}` } }), 401);
    }
    const sixth = await call('POST', '/v1/sessions', { body: { email: person.email, password: 'wrong password 6' } });
    expectProblem(sixth, 401);
    const locked = await call('POST', '/v1/sessions', { body: { email: person.email, password: PASSWORD } });
    expectProblem(locked, 429, 'too-many-attempts');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);

    // An unregistered email locks the same way, so a lock reveals nothing about registration.
    const ghost = `ghost.${randomUUID()}@example.com`;
    for (let i = 0; i < 6; i++) await call('POST', '/v1/sessions', { body: { email: ghost, password: `wrong password ${i}` } });
    expectProblem(await call('POST', '/v1/sessions', { body: { email: ghost, password: PASSWORD } }), 429, 'too-many-attempts');

    // The counters store hashed keys only, never the email or the client address.
    const counters = JSON.stringify(await scanAll(table('LOGIN_THROTTLE_TABLE_NAME')));
    expect(counters).not.toContain(person.email);
    expect(counters).not.toContain('127.0.0.1');

    await letThrottleTimePass(3600);
    const after = await call('POST', '/v1/sessions', { body: { email: person.email, password: PASSWORD } });
    expect(after.status).toBe(201);
    expect(after.body.subjectId).toBe(subjectId);
  });

  it('counts concurrent failures one by one, so a burst cannot race past the lock', async () => {
    const { person } = await registered();
    const burst = await Promise.all(
      Array.from({ length: 5 }, (_, i) => call('POST', '/v1/sessions', { body: { email: person.email, password: `burst ${i}` } })),
    );
    for (const answer of burst) expectProblem(answer, 401);
    expectProblem(await call('POST', '/v1/sessions', { body: { email: person.email, password: 'wrong password 6' } }), 401);
    expectProblem(await call('POST', '/v1/sessions', { body: { email: person.email, password: PASSWORD } }), 429, 'too-many-attempts');
    await letThrottleTimePass(3600);
  });

  it('locks a client that tries many accounts, per client and not only per account', async () => {
    const { person } = await registered();
    for (let i = 0; i < 21; i++) {
      await call('POST', '/v1/sessions', { body: { email: `spray.${i}.${randomUUID()}@example.com`, password: 'password spraying' } });
    }
    // A different, untouched account from the same client is refused while the client is locked.
    expectProblem(await call('POST', '/v1/sessions', { body: { email: person.email, password: PASSWORD } }), 429, 'too-many-attempts');
    await letThrottleTimePass(3 * 3600);
    expect((await call('POST', '/v1/sessions', { body: { email: person.email, password: PASSWORD } })).status).toBe(201);
  });
});

describe('sessions', () => {
  it('stores only the SHA-256 of the token', async () => {
    const { token, subjectId } = await registered();
    const sessions = (await scanAll(table('SESSIONS_TABLE_NAME'))).filter((s) => s.subjectId === subjectId);
    expect(sessions).toHaveLength(1);
    expect(sessions[0].tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(sessions)).not.toContain(token);
    expect(Object.keys(sessions[0])).not.toEqual(expect.arrayContaining(['sourceIp']));
  });

  it('ends a session after its idle expiry', async () => {
    const { token } = await registered();
    await ageSession(token, { idleExpiresAt: Math.floor(Date.now() / 1000) - 1 });
    expectProblem(await call('GET', '/v1/me', { token }), 401);
  });

  it('ends a session at its absolute expiry even if it is in use', async () => {
    const { token } = await registered();
    await ageSession(token, { expiresAt: Math.floor(Date.now() / 1000) - 1 });
    expectProblem(await call('GET', '/v1/me', { token }), 401);
  });

  it('refuses missing, malformed and unknown tokens with 401 problem+json', async () => {
    expectProblem(await call('GET', '/v1/me'), 401);
    expectProblem(await call('GET', '/v1/me', { headers: { authorization: 'Basic abc' } }), 401);
    expectProblem(await call('GET', '/v1/me', { token: 'A'.repeat(43) }), 401);
  });

  it('lists my sessions with a coarse device label and no address, and marks the current one', async () => {
    const { person, token } = await registered();
    await call('POST', '/v1/sessions', {
      body: { email: person.email, password: PASSWORD },
      headers: { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1' },
    });
    const list = await call('GET', '/v1/sessions', { token });
    expect(list.status).toBe(200);
    expect(list.body.sessions).toHaveLength(2);
    expect(list.body.sessions.filter((s: Json) => s.current)).toHaveLength(1);
    for (const s of list.body.sessions) {
      expect(s).not.toHaveProperty('token');
      expect(s).not.toHaveProperty('tokenHash');
      expect(s.deviceLabel.length).toBeLessThanOrEqual(64);
      expect(s.deviceLabel).not.toContain('605.1.15');
    }
  });

  it('logs out the current session only', async () => {
    const { person, token } = await registered();
    const other = await call('POST', '/v1/sessions', { body: { email: person.email, password: PASSWORD } });
    expect((await call('DELETE', '/v1/sessions/current', { token })).status).toBe(204);
    expectProblem(await call('GET', '/v1/me', { token }), 401);
    expect((await call('GET', '/v1/me', { token: other.body.session.token })).status).toBe(200);
  });

  it('logs out everywhere', async () => {
    const { person, token, subjectId } = await registered();
    const other = await call('POST', '/v1/sessions', { body: { email: person.email, password: PASSWORD } });
    expect((await call('DELETE', '/v1/sessions', { token })).status).toBe(204);
    expectProblem(await call('GET', '/v1/me', { token }), 401);
    expectProblem(await call('GET', '/v1/me', { token: other.body.session.token }), 401);
    expect((await scanAll(table('SESSIONS_TABLE_NAME'))).filter((s) => s.subjectId === subjectId)).toHaveLength(0);
  });
});

describe('profile read and rectification (Art. 16)', () => {
  const corrections: Array<[string, unknown]> = [
    ['displayName', 'Countess of Lovelace'],
    ['givenName', 'Ada'],
    ['familyName', 'King'],
    ['locale', 'fr-FR'],
    ['phone', '+33612345678'],
    ['postalAddress', { street: '1 Rue de Rivoli', postalCode: '75001', city: 'Paris', country: 'FR' }],
  ];

  it.each(corrections)('corrects %s and shows the correction on read', async (field, value) => {
    const { token } = await registered();
    const patched = await call('PATCH', '/v1/me', { token, body: { [field]: value } });
    expect(patched.status).toBe(200);
    expect(patched.body.profile[field]).toEqual(value);
    expect(patched.body.sources[field]).toBe('user');
    const me = await call('GET', '/v1/me', { token });
    expect(me.body.profile[field]).toEqual(value);
  });

  it('removes an optional field with null', async () => {
    const { token } = await registered();
    const patched = await call('PATCH', '/v1/me', { token, body: { phone: null, postalAddress: null } });
    expect(patched.status).toBe(200);
    expect(patched.body.profile).not.toHaveProperty('phone');
    expect((await call('GET', '/v1/me', { token })).body.profile).not.toHaveProperty('postalAddress');
  });

  it('changes the email only with the current password, and the new email logs in while the old one does not', async () => {
    const { person, token, subjectId } = await registered();
    const newEmail = `renamed.${randomUUID()}@example.com`;
    expectProblem(await call('PATCH', '/v1/me', { token, body: { email: newEmail } }), 403, 'current-password-required');
    expectProblem(await call('PATCH', '/v1/me', { token, body: { email: newEmail, currentPassword: 'not my password!' } }), 403);
    const ok = await call('PATCH', '/v1/me', { token, body: { email: newEmail, currentPassword: PASSWORD } });
    expect(ok.status).toBe(200);
    expect(ok.body.profile.email).toBe(newEmail);

    const viaNew = await call('POST', '/v1/sessions', { body: { email: newEmail, password: PASSWORD } });
    expect(viaNew.body.subjectId).toBe(subjectId);
    expectProblem(await call('POST', '/v1/sessions', { body: { email: person.email, password: PASSWORD } }), 401);
    // The old address is free again.
    expect((await call('POST', '/v1/accounts', { body: newPerson({ email: person.email }) })).status).toBe(201);
    await letThrottleTimePass(3600);
  });

  it('refuses an email change to an address another account holds, and changes nothing', async () => {
    const other = await registered();
    const { token, person } = await registered();
    const clash = await call('PATCH', '/v1/me', { token, body: { email: other.person.email, displayName: 'Changed', currentPassword: PASSWORD } });
    expectProblem(clash, 409, 'email-taken');
    const me = await call('GET', '/v1/me', { token });
    expect(me.body.profile.email).toBe(person.email);
    expect(me.body.profile.displayName).toBe(person.displayName);
  });

  it('changes the password only with the current one, and ends every other session', async () => {
    const { person, token } = await registered();
    const other = await call('POST', '/v1/sessions', { body: { email: person.email, password: PASSWORD } });
    const newPassword = 'an entirely new passphrase';
    expectProblem(await call('PATCH', '/v1/me', { token, body: { newPassword } }), 403, 'current-password-required');
    expect((await call('PATCH', '/v1/me', { token, body: { newPassword, currentPassword: PASSWORD } })).status).toBe(200);

    expect((await call('GET', '/v1/me', { token })).status).toBe(200);
    expectProblem(await call('GET', '/v1/me', { token: other.body.session.token }), 401);
    expectProblem(await call('POST', '/v1/sessions', { body: { email: person.email, password: PASSWORD } }), 401);
    expect((await call('POST', '/v1/sessions', { body: { email: person.email, password: newPassword } })).status).toBe(201);
    await letThrottleTimePass(3600);
  });
});

describe('bad input on every route gets a 4xx problem+json and writes nothing', () => {
  let token: string;
  beforeAll(async () => {
    ({ token } = await registered());
  });

  const cases: Array<{ name: string; method: string; path: string; auth: boolean; body?: unknown; raw?: string; headers?: Record<string, string>; status: number }> = [];
  const bodyRoutes = [
    { method: 'POST', path: '/v1/accounts', auth: false, valid: () => newPerson() },
    { method: 'POST', path: '/v1/sessions', auth: false, valid: () => ({ email: 'someone@example.com', password: PASSWORD }) },
    { method: 'POST', path: '/v1/sessions/oidc', auth: false, valid: () => ({ idToken: 'x'.repeat(40) }) },
    { method: 'PATCH', path: '/v1/me', auth: true, valid: () => ({ displayName: 'New Name' }) },
  ];
  for (const route of bodyRoutes) {
    const label = `${route.method} ${route.path}`;
    cases.push(
      { name: `${label}: malformed JSON`, ...route, raw: '{"a":', status: 400 },
      { name: `${label}: not JSON`, ...route, raw: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415 },
      { name: `${label}: oversized body`, ...route, body: { ...route.valid(), displayName: 'x'.repeat(17 * 1024) }, status: 413 },
      { name: `${label}: unknown field`, ...route, body: { ...route.valid(), isAdmin: true }, status: 400 },
      { name: `${label}: wrong types`, ...route, body: Object.fromEntries(Object.keys(route.valid()).map((k) => [k, 42])), status: 400 },
      { name: `${label}: an array`, ...route, body: [route.valid()], status: 400 },
    );
    if (route.path !== '/v1/me') cases.push({ name: `${label}: missing fields`, ...route, body: {}, status: 400 });
  }
  cases.push({ name: 'PATCH /v1/me: empty correction', method: 'PATCH', path: '/v1/me', auth: true, body: {}, status: 400 });
  cases.push({ name: 'PATCH /v1/me: bad phone', method: 'PATCH', path: '/v1/me', auth: true, body: { phone: '0123' }, status: 400 });
  cases.push({ name: 'PATCH /v1/me: bad country', method: 'PATCH', path: '/v1/me', auth: true, body: { postalAddress: { street: 'a', postalCode: 'b', city: 'c', country: 'gb' } }, status: 400 });

  it.each(cases)('$name → $status', async (c) => {
    const before = await snapshotAllTables();
    const response = await call(c.method, c.path, { body: c.body, raw: c.raw, headers: c.headers, token: c.auth ? token : undefined });
    expectProblem(response, c.status);
    expect(JSON.stringify(response.body)).not.toMatch(/\s+at \S+ \(|\.ts:\d+|stack/i);
    // Every table, the audit trail included: a refused request touched no personal data, so it left no entry either. (The
    // authorizer may slide a session's idle expiry, but not for a session used moments ago.)
    expect(await snapshotAllTables()).toEqual(before);
  });
});

describe('admin accounts', () => {
  it('are created by the ops command, not the API, and log in with the admin role', async () => {
    const email = `dpo.${randomUUID()}@example.com`;
    const run = (args: string[], input: string) => runOpsCommand(cloud, 'create-admin', args, input);

    const created = await run(['--email', email, '--display-name', 'Data Protection Officer'], `${PASSWORD}\n`);
    expect(created.stderr).not.toContain(PASSWORD);
    expect(created.code).toBe(0);
    const { subjectId, roles, otpauthUri, recoveryCodes } = JSON.parse(created.stdout.trim().split('\n').pop()!);
    expect(roles).toEqual(['subject', 'admin']);
    // The second factor is shown once: the URI (and a QR code of it on stderr) and the recovery codes; neither is stored
    // in clear.
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Forget-Me-Not%20local:.+\?.*secret=[A-Z2-7]{32}/);
    expect(recoveryCodes).toHaveLength(10);
    expect(created.stderr).toMatch(/▀|▄|█/);
    const secret = new URL(otpauthUri).searchParams.get('secret')!;
    const stored = JSON.stringify(await scanAll(table('USERS_TABLE_NAME')));
    expect(stored).not.toContain(secret);
    for (const code of recoveryCodes) expect(stored).not.toContain(code);

    const again = await run(['--email', email, '--display-name', 'Someone'], `${PASSWORD}\n`);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(again.stderr).not.toContain(email);

    const short = await run(['--email', `x.${email}`, '--display-name', 'Someone'], 'short\n');
    expect(short.code).toBe(2);

    // The admin role needs the code: without it, or with a wrong one, the answer is the wrong-password one.
    const withoutCode = await call('POST', '/v1/sessions', { body: { email, password: PASSWORD } });
    expect(withoutCode.status).toBe(401);
    expect(withoutCode.body.type).toBe('/problems/invalid-credentials');
    const right = totpNow(otpauthUri);
    const wrongCode = await call('POST', '/v1/sessions', { body: { email, password: PASSWORD, code: right === '000000' ? '111111' : '000000' } });
    expect(wrongCode.status).toBe(401);
    const login = await call('POST', '/v1/sessions', { body: { email, password: PASSWORD, code: right } });
    expect(login.status).toBe(201);
    expect(login.body.subjectId).toBe(subjectId);
    // The same code again is a replay; a recovery code works once.
    expect((await call('POST', '/v1/sessions', { body: { email, password: PASSWORD, code: right } })).status).toBe(401);
    const recovered = await call('POST', '/v1/sessions', { body: { email, password: PASSWORD, code: recoveryCodes[0] } });
    expect(recovered.status).toBe(201);
    expect((await call('POST', '/v1/sessions', { body: { email, password: PASSWORD, code: recoveryCodes[0] } })).status).toBe(401);
    await call('DELETE', '/v1/sessions/current', { token: recovered.body.session.token });
    const me = await call('GET', '/v1/me', { token: login.body.session.token });
    expect(me.body.roles).toEqual(['subject', 'admin']);
    // No session was left behind by the command itself.
    const sessions = (await scanAll(table('SESSIONS_TABLE_NAME'))).filter((s) => s.subjectId === subjectId);
    expect(sessions).toHaveLength(1);
  }, 60_000);
});
