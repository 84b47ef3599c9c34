/**
 * OpenID Connect login end to end: a stand-in identity provider (its own RS256 key, a JWKS over plain HTTP on 127.0.0.1)
 * and the real local cloud configured to trust it through OIDC_PROVIDERS. Tokens are signed by the provider's key, by an
 * attacker's key it never published, or not at all; every answer crossed a socket, and the handler fetched the JWKS itself.
 */
import { createHash, randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';
import { startServiceInChild, type ChildService } from './helpers/run-tsx';
import type { TestIdpSignRequest } from './helpers/test-idp';
import { assertContract } from './helpers/contract';

let cloud: LocalCloudHandle;
let idp: ChildService;
let issuer: string;
/** The `kid` of the one key the provider publishes. */
let publishedKid: string;

const PROVIDER = 'testidp';
const AUDIENCE = 'fmn-test-client';
const PASSWORD = 'correct horse battery staple';

/** Every email, name, provider subject and raw ID token a test sent, for the leak check at the end. */
const personalData = new Set<string>();

beforeAll(async () => {
  idp = await startServiceInChild('test/integration/helpers/test-idp.ts', 'startTestIdp');
  issuer = idp.endpoint;
  const jwks = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: { kid: string; kty: string; d?: string }[] };
  // exactly one public RSA key, no private part
  expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'RSA', kid: expect.any(String) })]);
  expect(jwks.keys[0].d).toBeUndefined();
  publishedKid = jwks.keys[0].kid;
  cloud = await startLocalCloudProcess([], {
    // a cheaper scrypt cost keeps registrations fast; the code path is the same
    PASSWORD_SCRYPT_LOG_N: '12',
    OIDC_PROVIDERS: JSON.stringify([{ name: PROVIDER, issuer, audience: AUDIENCE, jwksUri: `${issuer}/jwks` }]),
  });
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
  await idp?.close();
});

type Json = Record<string, any>;

async function call(method: string, path: string, options: { body?: unknown; token?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${cloud.apiUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  assertContract({ method, path, status: response.status, contentType: response.headers.get('content-type'), text });
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Json, headers: response.headers, text };
}

function expectProblem(response: Awaited<ReturnType<typeof call>>, status: number, type?: string) {
  expect({ status: response.status, body: response.body }).toMatchObject({ status, body: { status } });
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (type) expect(response.body.type).toBe(type);
  expect(response.text).not.toMatch(/at .*\.ts:\d+|Error:/);
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A person as the identity provider knows them; unique per call. */
function idpPerson(overrides: Json = {}) {
  const tag = randomUUID().slice(0, 8);
  const person = {
    sub: `idp-user-${randomUUID()}`,
    email: `grace.${tag}@example.org`,
    email_verified: true,
    name: `Grace Hopper ${tag}`,
    given_name: `Grace${tag}`,
    locale: 'en-US',
    ...overrides,
  };
  for (const value of [person.sub, person.email, person.name, person.given_name]) if (typeof value === 'string') personalData.add(value);
  return person;
}

/** Standard claims for a token the provider issues now, for our audience. */
const standardClaims = () => ({ iss: issuer, aud: AUDIENCE, iat: nowSeconds(), exp: nowSeconds() + 300 });

async function idToken(claims: Json, signer: TestIdpSignRequest['signer'] = 'trusted', kid?: string): Promise<string> {
  const request: TestIdpSignRequest = { signer, claims, kid };
  const response = await fetch(`${idp.endpoint}/sign`, { method: 'POST', body: JSON.stringify(request) });
  expect(response.status).toBe(200);
  const { token } = (await response.json()) as { token: string };
  personalData.add(token);
  return token;
}

const oidcLogin = (token: string) => call('POST', '/v1/sessions/oidc', { body: { idToken: token } });

async function register(email: string) {
  const displayName = `Ada ${randomUUID().slice(0, 8)}`;
  personalData.add(email);
  personalData.add(displayName);
  const response = await call('POST', '/v1/accounts', { body: { email, displayName, password: PASSWORD } });
  expect(response.status).toBe(201);
  return { subjectId: response.body.account.subjectId as string, token: response.body.session.token as string };
}

describe('signing up and logging in with an ID token', () => {
  it('creates an account from the claims, marks every field as provider-sourced, and issues a working session', async () => {
    const person = idpPerson();
    const token = await idToken({ ...standardClaims(), ...person });

    const login = await oidcLogin(token);

    expect(login.status).toBe(201);
    expect(login.body).toMatchObject({ created: true, linked: false, subjectId: expect.any(String) });
    expect(login.body.session.token).toEqual(expect.any(String));
    const me = await call('GET', '/v1/me', { token: login.body.session.token });
    expect(me.status).toBe(200);
    expect(me.body.subjectId).toBe(login.body.subjectId);
    expect(me.body.profile).toEqual({
      email: person.email,
      displayName: person.name,
      givenName: person.given_name,
      locale: person.locale,
    });
    const source = `provider:${PROVIDER}`;
    expect(me.body.sources).toEqual({ email: source, displayName: source, givenName: source, locale: source });
    expect(me.body.hasPassword).toBe(false);
    expect(me.body.roles).toEqual(['subject']);
  });

  it('logs the same identity into the same subject again, without creating another account', async () => {
    const person = idpPerson();
    const first = await oidcLogin(await idToken({ ...standardClaims(), ...person }));
    expect(first.status).toBe(201);

    const second = await oidcLogin(await idToken({ ...standardClaims(), ...person }));

    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ created: false, linked: false, subjectId: first.body.subjectId });
    expect(second.body.session.token).not.toBe(first.body.session.token);
    const me = await call('GET', '/v1/me', { token: second.body.session.token });
    expect(me.body.subjectId).toBe(first.body.subjectId);
  });
});

describe('refusing tokens it cannot trust', () => {
  const invalidToken = '/problems/invalid-identity-token';

  it('refuses a token from an issuer it was not configured with, even when the signature is good', async () => {
    const token = await idToken({ ...standardClaims(), ...idpPerson(), iss: `${issuer}/someone-else` });

    expectProblem(await oidcLogin(token), 401, invalidToken);
  });

  it('refuses a token signed by a key the provider never published, with or without the published kid', async () => {
    const claims = { ...standardClaims(), ...idpPerson() };

    const impersonating = await oidcLogin(await idToken(claims, 'attacker', publishedKid));
    const ownKid = await oidcLogin(await idToken(claims, 'attacker'));

    expectProblem(impersonating, 401, invalidToken);
    expectProblem(ownKid, 401, invalidToken);
  });

  it('refuses an unsigned (alg none) token carrying valid claims', async () => {
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const token = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ ...standardClaims(), ...idpPerson() })}.`;
    personalData.add(token);

    expectProblem(await oidcLogin(token), 401, invalidToken);
  });

  it('refuses an expired token (beyond the clock tolerance)', async () => {
    const token = await idToken({ ...standardClaims(), ...idpPerson(), iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 });

    expectProblem(await oidcLogin(token), 401, invalidToken);
  });

  it('refuses a token issued to another client (wrong audience)', async () => {
    const token = await idToken({ ...standardClaims(), ...idpPerson(), aud: 'some-other-client' });

    expectProblem(await oidcLogin(token), 401, invalidToken);
  });

  it('answers garbage with a problem, never a 500: 400 when too short for the schema, 401 when it is not a JWT', async () => {
    const short = await oidcLogin('garbage');
    const long = await oidcLogin('this-is-not-a-jwt-at-all-'.repeat(4));
    const dotted = await oidcLogin('aaaaaaaaaa.bbbbbbbbbbbb.cccccccccccc');

    expectProblem(short, 400);
    expectProblem(long, 401, invalidToken);
    expectProblem(dotted, 401, invalidToken);
  });
});

describe('linking to an existing account by email', () => {
  it('links a verified email to the password account that holds it', async () => {
    const person = idpPerson();
    const registration = await register(person.email);

    // the provider may spell the address differently; emails are compared normalised
    const login = await oidcLogin(await idToken({ ...standardClaims(), ...person, email: person.email.toUpperCase() }));

    expect(login.status).toBe(201);
    expect(login.body).toMatchObject({ created: false, linked: true, subjectId: registration.subjectId });
    const me = await call('GET', '/v1/me', { token: login.body.session.token });
    expect(me.body.subjectId).toBe(registration.subjectId);
    // linking does not overwrite what the subject entered
    expect(me.body.profile.email).toBe(person.email);
    expect(me.body.sources.email).toBe('user');
    expect(me.body.hasPassword).toBe(true);

    const again = await oidcLogin(await idToken({ ...standardClaims(), ...person }));
    expect(again.body).toMatchObject({ created: false, linked: false, subjectId: registration.subjectId });
  });

  it('never links an unverified email to the account that holds it', async () => {
    const person = idpPerson({ email_verified: false });
    const registration = await register(person.email);

    const login = await oidcLogin(await idToken({ ...standardClaims(), ...person }));

    // the same answer as for an address nobody holds (below): it says nothing about who is registered
    expectProblem(login, 422, '/problems/email-unverified');
    expect(login.text).not.toContain(person.email);
    expectProblem(await oidcLogin(await idToken({ ...standardClaims(), ...person })), 422, '/problems/email-unverified');
    const owner = await call('POST', '/v1/sessions', { body: { email: person.email, password: PASSWORD } });
    expect(owner.status).toBe(201);
    expect(owner.body.subjectId).toBe(registration.subjectId);
  });

  it('never lets an unverified email claim an address nobody holds yet, so its owner can still register', async () => {
    const person = idpPerson({ email_verified: false });

    expectProblem(await oidcLogin(await idToken({ ...standardClaims(), ...person })), 422, '/problems/email-unverified');

    const owner = await register(person.email);
    expect(owner.subjectId).toEqual(expect.any(String));
  });
});

describe('correcting provider-sourced data (Art. 16)', () => {
  it('lets an OIDC-only account correct its email without a password, and a later login does not undo it', async () => {
    const person = idpPerson();
    const token = await idToken({ ...standardClaims(), ...person });
    const signup = await oidcLogin(token);
    expect(signup.body.created).toBe(true);
    const corrected = `corrected.${randomUUID().slice(0, 8)}@example.net`;
    personalData.add(corrected);

    // the account has no password, so the domain asks for none: the session is the only credential it has
    const patch = await call('PATCH', '/v1/me', { token: signup.body.session.token, body: { email: corrected } });

    expect(patch.status).toBe(200);
    expect(patch.body.hasPassword).toBe(false);
    const me = await call('GET', '/v1/me', { token: signup.body.session.token });
    expect(me.body.profile.email).toBe(corrected);
    expect(me.body.sources.email).toBe('user');
    expect(me.body.sources.displayName).toBe(`provider:${PROVIDER}`);

    // the very same provider token again: the identity claim, not the email, finds the subject
    const again = await oidcLogin(token);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ created: false, linked: false, subjectId: signup.body.subjectId });
    const after = await call('GET', '/v1/me', { token: again.body.session.token });
    expect(after.body.profile.email).toBe(corrected);
    expect(after.body.sources.email).toBe('user');
  });

  it('asks a password-less account for a recent provider login before an email or password change', async () => {
    const person = idpPerson();
    const signup = await oidcLogin(await idToken({ ...standardClaims(), ...person }));
    expect(signup.status).toBe(201);
    // The session's login was an hour ago (as a stolen, long-lived session's would be).
    const db = documentClient(cloud);
    await db.send(
      new UpdateCommand({
        TableName: cloud.env.SESSIONS_TABLE_NAME,
        Key: { tokenHash: createHash('sha256').update(signup.body.session.token).digest('hex') },
        UpdateExpression: 'SET createdAt = :t',
        ExpressionAttributeValues: { ':t': new Date(Date.now() - 3600_000).toISOString() },
      }),
    );
    db.destroy();
    const corrected = `stale.${randomUUID().slice(0, 8)}@example.net`;
    personalData.add(corrected);
    const refused = await call('PATCH', '/v1/me', { token: signup.body.session.token, body: { email: corrected } });
    expect(refused.status).toBe(403);
    expect(refused.body.type).toBe('/problems/recent-login-required');
    const password = await call('PATCH', '/v1/me', { token: signup.body.session.token, body: { newPassword: 'a password of my own' } });
    expect(password.status).toBe(403);
    // Other fields stay correctable with any live session.
    expect((await call('PATCH', '/v1/me', { token: signup.body.session.token, body: { locale: 'de-DE' } })).status).toBe(200);

    const fresh = await oidcLogin(await idToken({ ...standardClaims(), ...person }));
    expect((await call('PATCH', '/v1/me', { token: fresh.body.session.token, body: { email: corrected } })).status).toBe(200);
  });

  it('releases the provider email on correction, so nobody else is blocked by it', async () => {
    const person = idpPerson();
    const signup = await oidcLogin(await idToken({ ...standardClaims(), ...person }));
    const corrected = `corrected.${randomUUID().slice(0, 8)}@example.net`;
    personalData.add(corrected);
    expect((await call('PATCH', '/v1/me', { token: signup.body.session.token, body: { email: corrected } })).status).toBe(200);

    const someoneElse = await register(person.email);

    expect(someoneElse.subjectId).not.toBe(signup.body.subjectId);
  });
});

describe('personal data in the logs', () => {
  it('never writes an email, a name, a provider subject or a raw ID token to the local cloud output', async () => {
    // one more round trip of each kind, so this test holds on its own
    const person = idpPerson();
    const token = await idToken({ ...standardClaims(), ...person });
    expect((await oidcLogin(token)).status).toBe(201);
    expectProblem(await oidcLogin(await idToken({ ...standardClaims(), ...person }, 'attacker')), 401);
    await new Promise((resolve) => setTimeout(resolve, 500)); // let the child's last log lines arrive

    const output = cloud.output();

    expect(output).toContain('FMN_READY'); // the output is really being captured
    const leaked = [...personalData].filter((value) => output.includes(value));
    expect(leaked).toEqual([]);
  });
});
