/**
 * Accounts (domain/accounts.ts) at the edges the main tests leave out: the default scrypt parameters when the deployment
 * sets none (registration, the decoy for an unknown email, upgrading a weak stored hash at login, a new password), an
 * admin created without TOTP configured, an inactivity notice that announces no date, re-authentication of an account
 * that is gone or has no password, the admin's second factor when the subject key is gone or the account changed under
 * the login (a raced code), a patch naming a field without a value, and an external login whose account vanished.
 * Small in-memory fakes stand in for the ports.
 */
import { randomBytes } from 'node:crypto';
import { URI, type TOTP } from 'otpauth';
import { OtpauthTotp } from '../../lambdas/adapters/totp';
import {
  AccountChangedError,
  InvalidCredentialsError,
  ReauthenticationFailedError,
  SessionEndedError,
  correctAccount,
  emailClaim,
  getAccount,
  login,
  loginWithExternalIdentity,
  oidcClaim,
  reauthenticate,
  register,
  type AccountStore,
  type AccountsDeps,
  type IdentityClaim,
  type Profile,
  type SessionStore,
  type ThrottleStore,
  type UserRecord,
} from '../../lambdas/domain/accounts';
import { EMPTY_COUNTER, type ThrottleCounter } from '../../lambdas/domain/login-throttle';
import { DEFAULT_SCRYPT, needsRehash, verifyPassword, type ScryptParams } from '../../lambdas/domain/passwords';
import type { SessionRecord } from '../../lambdas/domain/sessions';

const FAST: ScryptParams = { logN: 4, r: 8, p: 1 };
const PASSWORD = 'correct horse battery staple';
const ANA: Profile = { email: 'ana@example.com', displayName: 'Ana Lima' };
const START = new Date('2026-03-02T09:00:00.000Z');

function world(options: { scrypt?: ScryptParams; totp?: boolean } = { scrypt: FAST, totp: true }) {
  const keys = new Map<string, Uint8Array>();
  const users = new Map<string, UserRecord>();
  const claims = new Map<string, string>();
  const sessions = new Map<string, SessionRecord>();
  const counters = new Map<string, ThrottleCounter>();
  const updates: { fields?: readonly string[]; next: UserRecord }[] = [];
  /** Set to make the next account update fail this way. */
  let failUpdate: (() => Error) | undefined;

  const accounts: AccountStore = {
    async create(user: UserRecord, _wrapped: string, newClaims: readonly IdentityClaim[], session: SessionRecord) {
      users.set(user.subjectId, user);
      for (const c of newClaims) claims.set(c.identityKey, user.subjectId);
      sessions.set(session.tokenHash, session);
    },
    async subjectFor(identityKey: string) {
      return claims.get(identityKey);
    },
    async get(subjectId: string) {
      return users.get(subjectId);
    },
    async update(previous: UserRecord, next: UserRecord, _emailClaimChange?: unknown, addClaims: readonly IdentityClaim[] = [], fields?: readonly string[]) {
      const failure = failUpdate;
      failUpdate = undefined;
      if (failure) throw failure();
      if (users.get(previous.subjectId)?.updatedAt !== previous.updatedAt) throw new AccountChangedError();
      for (const c of addClaims) claims.set(c.identityKey, next.subjectId);
      updates.push({ fields, next });
      users.set(next.subjectId, next);
    },
  };
  const sessionStore: SessionStore = {
    async put(session: SessionRecord) {
      sessions.set(session.tokenHash, session);
    },
    async listForSubject(subjectId: string) {
      return [...sessions.values()].filter((s) => s.subjectId === subjectId);
    },
    async delete(tokenHash: string) {
      sessions.delete(tokenHash);
    },
    async deleteAllForSubject(subjectId: string, keep?: string) {
      const doomed = [...sessions.values()].filter((s) => s.subjectId === subjectId && s.tokenHash !== keep);
      for (const s of doomed) sessions.delete(s.tokenHash);
      return doomed.length;
    },
    async markReauthenticated(tokenHash: string, subjectId: string) {
      return sessions.get(tokenHash)?.subjectId === subjectId;
    },
  };
  const throttle: ThrottleStore = {
    async get(key: string) {
      return counters.get(key) ?? EMPTY_COUNTER;
    },
    async getMany(keys: readonly string[]) {
      return keys.map((key) => counters.get(key) ?? EMPTY_COUNTER);
    },
    async recordFailure(key: string, _expected: ThrottleCounter, next: ThrottleCounter) {
      counters.set(key, next);
      return true;
    },
    async clear(key: string) {
      counters.delete(key);
    },
  };
  const deps: AccountsDeps = {
    keyring: {
      async create(subjectId: string) {
        const key = randomBytes(32);
        keys.set(subjectId, key);
        return { key, wrapped: `wrapped:${subjectId}` };
      },
      async open(subjectId: string) {
        return keys.get(subjectId);
      },
    },
    pseudonyms: {
      emailIndex: async (email: string) => `ei:${email}`,
      externalIdentity: async (issuer: string, subject: string) => `xi:${issuer}:${subject}`,
      client: async (address: string) => `ci:${address}`,
    },
    accounts,
    sessions: sessionStore,
    throttle,
    now: () => START,
    sessionPolicy: { idleSeconds: 1800, absoluteSeconds: 43_200 },
    ...(options.scrypt ? { scrypt: options.scrypt } : {}),
    ...(options.totp ? { totp: new OtpauthTotp('test') } : {}),
  };
  return {
    deps,
    keys,
    users,
    claims,
    sessions,
    counters,
    updates,
    failNextUpdate: (error: () => Error) => {
      failUpdate = error;
    },
  };
}

const loginAs = (deps: AccountsDeps, password = PASSWORD, code?: string, email = ANA.email) =>
  login(deps, { email, password, ...(code ? { code } : {}), clientAddress: '203.0.113.7', deviceLabel: 'Firefox' });
const failures = (w: ReturnType<typeof world>) => [...w.counters.values()].map((c) => c.failures);

describe('the default scrypt parameters, when the deployment sets none', () => {
  jest.setTimeout(30_000);

  it('hashes a new account\'s password with them', async () => {
    const w = world({ totp: true });
    const { account } = await register(w.deps, { profile: ANA, password: PASSWORD, deviceLabel: 'Firefox' });
    const hash = w.users.get(account.subjectId)!.passwordHash!;
    expect(hash.split('$').slice(0, 4)).toEqual(['scrypt', String(DEFAULT_SCRYPT.logN), String(DEFAULT_SCRYPT.r), String(DEFAULT_SCRYPT.p)]);
    expect(needsRehash(hash)).toBe(false);
  });

  it('checks an unknown email against a decoy hash and refuses it like a wrong password, counting the failure', async () => {
    const w = world({ totp: true });
    await expect(loginAs(w.deps, PASSWORD, undefined, 'nobody@example.com')).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect(failures(w)).toEqual([1, 1]);
  });

  it('upgrades a weaker stored hash to them at login, and the password still works', async () => {
    const fast = world();
    const { account } = await register(fast.deps, { profile: ANA, password: PASSWORD, deviceLabel: 'Firefox' });
    // the same account, read by a deployment on the default parameters
    const w = world({ totp: true });
    for (const [k, v] of fast.users) w.users.set(k, v);
    for (const [k, v] of fast.claims) w.claims.set(k, v);
    const result = await loginAs(w.deps);
    expect(result.subjectId).toBe(account.subjectId);
    expect(w.updates.map((u) => u.fields)).toEqual([['users.passwordHash']]);
    const upgraded = w.users.get(account.subjectId)!.passwordHash!;
    expect(needsRehash(upgraded)).toBe(false);
    await expect(verifyPassword(PASSWORD, upgraded)).resolves.toBe(true);
  });

  it('hashes a new password with them, and ends the other sessions', async () => {
    const fast = world();
    const { account } = await register(fast.deps, { profile: ANA, password: PASSWORD, deviceLabel: 'Firefox' });
    const w = world({ totp: true });
    for (const [k, v] of fast.users) w.users.set(k, v);
    for (const [k, v] of fast.keys) w.keys.set(k, v);
    for (const [k, v] of fast.sessions) w.sessions.set(k, v);
    const result = await correctAccount(w.deps, account.subjectId, { profile: {}, newPassword: 'a much better passphrase 2026', currentPassword: PASSWORD });
    expect(result).toMatchObject({ changed: [], passwordChanged: true, sessionsEnded: 1 });
    expect(needsRehash(w.users.get(account.subjectId)!.passwordHash!)).toBe(false);
  });
});

describe('registration of an administrator', () => {
  it('refuses to create an admin when TOTP is not configured, and creates nothing', async () => {
    const w = world({ scrypt: FAST });
    await expect(register(w.deps, { profile: ANA, password: PASSWORD, deviceLabel: 'ops', roles: ['admin'] })).rejects.toThrow(
      'the admin second factor needs TOTP in the account dependencies',
    );
    expect(w.users.size).toBe(0);
  });
});

describe('the account view', () => {
  it('shows an inactivity notice without an erasure date when none was announced', async () => {
    const w = world();
    const { account } = await register(w.deps, { profile: ANA, password: PASSWORD, deviceLabel: 'Firefox' });
    const user = w.users.get(account.subjectId)!;
    w.users.set(account.subjectId, { ...user, inactivityNoticeAt: '2026-03-01T00:00:00.000Z' });
    const view = await getAccount(w.deps, account.subjectId);
    expect(view.inactivityNotice).toEqual({ noticeAt: '2026-03-01T00:00:00.000Z' });
  });

  it('changes nothing for a field named in the patch without a value', async () => {
    const w = world();
    const { account } = await register(w.deps, { profile: { ...ANA, phone: '+33 1 23 45 67 89' }, password: PASSWORD, deviceLabel: 'Firefox' });
    const result = await correctAccount(w.deps, account.subjectId, { profile: { phone: undefined } });
    expect(result.changed).toEqual([]);
    expect(result.account.profile.phone).toBe('+33 1 23 45 67 89');
    expect(w.updates).toEqual([]);
  });
});

describe('re-authentication', () => {
  const input = (subjectId: string) => ({ subjectId, sessionId: 'session-hash', password: PASSWORD, code: '000000', clientAddress: '203.0.113.7' });

  it('answers session-ended when the account is gone', async () => {
    const w = world();
    await expect(reauthenticate(w.deps, input('gone'))).rejects.toBeInstanceOf(SessionEndedError);
    expect(w.counters.size).toBe(0);
  });

  it('fails, and counts the failure, for an account without a password (it signs in with its provider)', async () => {
    const w = world();
    w.users.set('sub-oidc', { subjectId: 'sub-oidc', emailIndex: 'ei:x', profile: 'sealed', roles: ['subject', 'admin'], createdAt: START.toISOString(), updatedAt: START.toISOString() });
    await expect(reauthenticate(w.deps, input('sub-oidc'))).rejects.toBeInstanceOf(ReauthenticationFailedError);
    expect(failures(w)).toEqual([1, 1]);
  });
});

describe("the admin's second factor at login", () => {
  const codeAt = (uri: string) => (URI.parse(uri) as TOTP).generate({ timestamp: START.getTime() });

  async function admin() {
    const w = world();
    const { account, secondFactor } = await register(w.deps, { profile: ANA, password: PASSWORD, deviceLabel: 'ops', roles: ['admin'] });
    return { w, subjectId: account.subjectId, code: codeAt(secondFactor!.uri) };
  }

  it('refuses a right code once the subject key is gone (the secret cannot be opened)', async () => {
    const { w, subjectId, code } = await admin();
    w.keys.delete(subjectId);
    await expect(loginAs(w.deps, PASSWORD, code)).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect(w.updates).toEqual([]);
  });

  it('refuses the login that lost the race to use a code (the account changed meanwhile), like a wrong code', async () => {
    const { w, code } = await admin();
    const sessionsBefore = w.sessions.size;
    w.failNextUpdate(() => new AccountChangedError());
    await expect(loginAs(w.deps, PASSWORD, code)).rejects.toBeInstanceOf(InvalidCredentialsError);
    expect(w.sessions.size).toBe(sessionsBefore);
    expect(failures(w)).toEqual([1, 1]);
  });

  it('passes on any other failure to record the code, issuing no session and counting nothing', async () => {
    const { w, code } = await admin();
    const sessionsBefore = w.sessions.size;
    w.failNextUpdate(() => new Error('table unavailable'));
    await expect(loginAs(w.deps, PASSWORD, code)).rejects.toThrow('table unavailable');
    expect(w.sessions.size).toBe(sessionsBefore);
    expect(w.counters.size).toBe(0);
  });
});

describe('external login', () => {
  it('logs a known identity in with the subject role when its account is gone', async () => {
    const w = world();
    w.claims.set(oidcClaim('xi:https://accounts.google.com:g-1'), 'sub-gone');
    const result = await loginWithExternalIdentity(
      w.deps,
      { provider: 'google', issuer: 'https://accounts.google.com', subject: 'g-1', email: ANA.email, emailVerified: true },
      'Firefox',
    );
    expect(result).toMatchObject({ subjectId: 'sub-gone', created: false, linked: false });
    const session = [...w.sessions.values()].find((s) => s.subjectId === 'sub-gone');
    expect(session?.roles).toEqual(['subject']);
    expect(w.claims.has(emailClaim(`ei:${ANA.email}`))).toBe(false);
  });
});
