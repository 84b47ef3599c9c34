import { randomBytes } from 'node:crypto';
import { URI, type TOTP } from 'otpauth';
import { OtpauthTotp } from '../../lambdas/adapters/totp';
import {
  AccountChangedError,
  CurrentPasswordRequiredError,
  EmailTakenError,
  EmailUnverifiedError,
  InvalidCredentialsError,
  ProfileUnavailableError,
  RECENT_LOGIN_SECONDS,
  RecentLoginRequiredError,
  TooManyAttemptsError,
  correctAccount,
  emailClaim,
  getAccount,
  login,
  loginWithExternalIdentity,
  reauthenticate,
  ReauthenticationFailedError,
  SessionEndedError,
  newSessionToken,
  normaliseEmail,
  oidcClaim,
  register,
  unseal,
  type AccountStore,
  type AccountsDeps,
  type ExternalIdentity,
  type IdentityClaim,
  type Profile,
  type Pseudonyms,
  type SessionPolicy,
  type SessionStore,
  type SubjectKeyring,
  type ThrottleStore,
  type UserRecord,
} from '../../lambdas/domain/accounts';
import { EMPTY_COUNTER, type ThrottleCounter } from '../../lambdas/domain/login-throttle';
import { verifyPassword, type ScryptParams } from '../../lambdas/domain/passwords';
import {
  bearerToken,
  hashToken,
  isRecentlyAuthenticated,
  isSessionLive,
  REAUTHENTICATION_WINDOW_SECONDS,
  ReauthenticationRequiredError,
  requireRecentAuthentication,
  type SessionRecord,
} from '../../lambdas/domain/sessions';
import { UnreadableDataError } from '../../lambdas/domain/subject-cipher';
import { DomainError } from '../../lambdas/domain/errors';
import { problemOf, type ProblemError } from '../../lambdas/http/problems';

// ---- fakes of the ports -------------------------------------------------------------------------------------------

class FakeKeyring implements SubjectKeyring {
  readonly keys = new Map<string, Uint8Array>();
  async create(subjectId: string) {
    const key = randomBytes(32);
    this.keys.set(subjectId, key);
    return { key, wrapped: `wrapped:${subjectId}` };
  }
  async open(subjectId: string) {
    return this.keys.get(subjectId);
  }
  /** Crypto-shredding: the wrapped key is gone. */
  destroy(subjectId: string) {
    this.keys.delete(subjectId);
  }
}

/** Deterministic, and never the input itself, like the real HMACs. */
class FakePseudonyms implements Pseudonyms {
  async emailIndex(normalisedEmail: string) {
    return `ei:${Buffer.from(normalisedEmail).toString('base64url')}`;
  }
  async externalIdentity(issuer: string, subject: string) {
    return `xi:${Buffer.from(`${issuer}\u0000${subject}`).toString('base64url')}`;
  }
  async client(address: string) {
    return `ci:${Buffer.from(address).toString('base64url')}`;
  }
}

interface UpdateCall {
  previous: UserRecord;
  next: UserRecord;
  emailClaimChange?: { remove: string; add: string };
  addClaims?: readonly IdentityClaim[];
  fields?: readonly string[];
}

/** Same conditions as the DynamoDB adapter: claims are unique, updates are conditional on `updatedAt`. */
class FakeAccountStore implements AccountStore {
  readonly users = new Map<string, UserRecord>();
  readonly claims = new Map<string, { subjectId: string; kind: IdentityClaim['kind'] }>();
  readonly wrappedKeys = new Map<string, string>();
  readonly updates: UpdateCall[] = [];
  constructor(private readonly sessions: FakeSessionStore) {}

  async create(user: UserRecord, wrappedKey: string, claims: readonly IdentityClaim[], session: SessionRecord) {
    if (claims.some((c) => this.claims.has(c.identityKey))) throw new EmailTakenError();
    if (this.users.has(user.subjectId)) throw new Error('subject exists');
    this.users.set(user.subjectId, user);
    this.wrappedKeys.set(user.subjectId, wrappedKey);
    for (const c of claims) this.claims.set(c.identityKey, { subjectId: user.subjectId, kind: c.kind });
    await this.sessions.put(session);
  }
  async subjectFor(identityKey: string) {
    return this.claims.get(identityKey)?.subjectId;
  }
  async get(subjectId: string) {
    return this.users.get(subjectId);
  }
  async update(
    previous: UserRecord,
    next: UserRecord,
    emailClaimChange?: { remove: string; add: string },
    addClaims: readonly IdentityClaim[] = [],
    fields?: readonly string[],
  ) {
    this.updates.push({ previous, next, emailClaimChange, addClaims, fields });
    const puts = [...(emailClaimChange ? [{ identityKey: emailClaimChange.add, kind: 'email' as const }] : []), ...addClaims];
    if (puts.some((c) => this.claims.has(c.identityKey))) throw new EmailTakenError();
    if (this.users.get(previous.subjectId)?.updatedAt !== previous.updatedAt) throw new AccountChangedError();
    if (emailClaimChange && this.claims.get(emailClaimChange.remove)?.subjectId !== next.subjectId) throw new AccountChangedError();
    for (const c of puts) this.claims.set(c.identityKey, { subjectId: next.subjectId, kind: c.kind });
    if (emailClaimChange) this.claims.delete(emailClaimChange.remove);
    this.users.set(next.subjectId, next);
  }
}

class FakeSessionStore implements SessionStore {
  readonly sessions = new Map<string, SessionRecord>();
  async put(session: SessionRecord) {
    this.sessions.set(session.tokenHash, session);
  }
  async listForSubject(subjectId: string) {
    return [...this.sessions.values()].filter((s) => s.subjectId === subjectId);
  }
  async delete(tokenHash: string, subjectId: string) {
    if (this.sessions.get(tokenHash)?.subjectId === subjectId) this.sessions.delete(tokenHash);
  }
  async deleteAllForSubject(subjectId: string, keep?: string) {
    const doomed = (await this.listForSubject(subjectId)).filter((s) => s.tokenHash !== keep);
    for (const s of doomed) this.sessions.delete(s.tokenHash);
    return doomed.length;
  }
  async markReauthenticated(tokenHash: string, subjectId: string, at: string) {
    const session = this.sessions.get(tokenHash);
    if (session?.subjectId !== subjectId) return false;
    this.sessions.set(tokenHash, { ...session, reauthenticatedAt: at } as SessionRecord);
    return true;
  }
}

class FakeThrottleStore implements ThrottleStore {
  readonly counters = new Map<string, { counter: ThrottleCounter; expiresAt: number }>();
  async get(key: string) {
    return this.counters.get(key)?.counter ?? EMPTY_COUNTER;
  }
  async getMany(keys: readonly string[]) {
    return Promise.all(keys.map((key) => this.get(key)));
  }
  async recordFailure(key: string, expected: ThrottleCounter, next: ThrottleCounter, expiresAt: number) {
    const stored = this.counters.get(key)?.counter ?? EMPTY_COUNTER;
    if (JSON.stringify(stored) !== JSON.stringify(expected)) return false;
    this.counters.set(key, { counter: next, expiresAt });
    return true;
  }
  async clear(key: string) {
    this.counters.delete(key);
  }
}

// ---- the world each test runs in ------------------------------------------------------------------------------------

const FAST: ScryptParams = { logN: 4, r: 8, p: 1 };
const POLICY: SessionPolicy = { idleSeconds: 30 * 60, absoluteSeconds: 12 * 60 * 60 };
const START = new Date('2026-03-02T09:00:00.000Z');
const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a much better passphrase 2026';

function world() {
  let clock = new Date(START);
  const keyring = new FakeKeyring();
  const pseudonyms = new FakePseudonyms();
  const sessions = new FakeSessionStore();
  const accounts = new FakeAccountStore(sessions);
  const throttle = new FakeThrottleStore();
  const deps: AccountsDeps = { keyring, pseudonyms, accounts, sessions, throttle, now: () => clock, sessionPolicy: POLICY, scrypt: FAST, totp: new OtpauthTotp('test') };
  return {
    deps,
    keyring,
    accounts,
    sessions,
    throttle,
    /** Moves the fake clock forward. */
    advance: (seconds: number) => {
      clock = new Date(clock.getTime() + seconds * 1000);
    },
    nowSeconds: () => Math.floor(clock.getTime() / 1000),
  };
}
type World = ReturnType<typeof world>;

const ANA: Profile = { email: 'ana@example.com', displayName: 'Ana Lima' };

function registerAna(w: World, profile: Profile = ANA, password = PASSWORD) {
  return register(w.deps, { profile, password, deviceLabel: 'Firefox on Linux' });
}

function attempt(w: World, email: string, password: string, clientAddress = '203.0.113.7') {
  return login(w.deps, { email, password, clientAddress, deviceLabel: 'Firefox on Linux' });
}

/** The rejection of a promise as a client sees it (the HTTP layer's problem), with the domain's error as its `cause`. */
async function rejectionOf(promise: Promise<unknown>): Promise<ProblemError & { cause: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return Object.assign(problemOf(error), { cause: error });
  }
  throw new Error('expected the promise to reject');
}

const google = (overrides: Partial<ExternalIdentity> = {}): ExternalIdentity => ({
  provider: 'google',
  issuer: 'https://accounts.google.com',
  subject: '108234567890123456789',
  email: 'ana@example.com',
  emailVerified: true,
  displayName: 'Ana Lima',
  givenName: 'Ana',
  familyName: 'Lima',
  locale: 'pt-BR',
  ...overrides,
});

// ---- register ----------------------------------------------------------------------------------------------------------

describe('register', () => {
  it('creates the account with a normalised email, every given field marked as the user’s, and the subject role', async () => {
    const w = world();

    const { account } = await registerAna(w, { ...ANA, email: '  Ana@Example.COM ', phone: '+4915112345678' });

    expect(account.profile).toEqual({ email: 'ana@example.com', displayName: 'Ana Lima', phone: '+4915112345678' });
    expect(account.sources).toEqual({ email: 'user', displayName: 'user', phone: 'user' });
    expect(account.roles).toEqual(['subject']);
    expect(account.hasPassword).toBe(true);
    expect(account.createdAt).toBe(START.toISOString());
    expect(account.updatedAt).toBe(START.toISOString());
  });

  it('stores only sealed personal data, a password hash, and the email claim', async () => {
    const w = world();

    const { account } = await registerAna(w);

    const stored = w.accounts.users.get(account.subjectId)!;
    expect(JSON.stringify(stored)).not.toContain('ana@example.com');
    expect(JSON.stringify(stored)).not.toContain('Ana Lima');
    expect(JSON.stringify(stored)).not.toContain(PASSWORD);
    expect(unseal(w.keyring.keys.get(account.subjectId)!, account.subjectId, stored.profile).profile).toEqual(ANA);
    await expect(verifyPassword(PASSWORD, stored.passwordHash!)).resolves.toBe(true);
    expect(w.accounts.wrappedKeys.get(account.subjectId)).toBe(`wrapped:${account.subjectId}`);
    expect(w.accounts.claims.get(emailClaim(stored.emailIndex))).toEqual({ subjectId: account.subjectId, kind: 'email' });
  });

  it('issues a first session, stored only by the token’s hash', async () => {
    const w = world();

    const { account, session } = await registerAna(w);

    expect(bearerToken(`Bearer ${session.token}`)).toBe(session.token);
    expect(session.idleExpiresAt).toBe(w.nowSeconds() + POLICY.idleSeconds);
    expect(session.expiresAt).toBe(w.nowSeconds() + POLICY.absoluteSeconds);
    const stored = w.sessions.sessions.get(hashToken(session.token));
    expect(stored).toMatchObject({ subjectId: account.subjectId, roles: ['subject'], deviceLabel: 'Firefox on Linux' });
    expect(JSON.stringify([...w.sessions.sessions.values()])).not.toContain(session.token);
  });

  it('gives each account its own subject id and key', async () => {
    const w = world();

    const a = await registerAna(w);
    const b = await registerAna(w, { email: 'bo@example.com', displayName: 'Bo' });

    expect(a.account.subjectId).not.toBe(b.account.subjectId);
    expect(Buffer.from(w.keyring.keys.get(a.account.subjectId)!).equals(w.keyring.keys.get(b.account.subjectId)!)).toBe(false);
  });

  it('adds extra roles (ops command) without duplicating subject', async () => {
    const w = world();

    const { account } = await register(w.deps, { profile: ANA, password: PASSWORD, deviceLabel: 'cli', roles: ['admin', 'subject'] });

    expect([...account.roles].sort()).toEqual(['admin', 'subject']);
  });

  it.each(['ana@example.com', 'ANA@example.com', ' ana@EXAMPLE.com\t'])('refuses a second account for %j with EmailTaken', async (email) => {
    const w = world();
    await registerAna(w);

    const error = await rejectionOf(registerAna(w, { email, displayName: 'Impostor' }, 'another password!'));

    expect(error.cause).toBeInstanceOf(EmailTakenError);
    expect(error.status).toBe(409);
    expect(w.accounts.users.size).toBe(1);
  });
});

// ---- login ---------------------------------------------------------------------------------------------------------

describe('login', () => {
  it('logs in with the right password, whatever the case and spacing of the email', async () => {
    const w = world();
    const { account } = await registerAna(w);
    w.advance(60);

    const result = await attempt(w, '  ANA@example.com ', PASSWORD);

    expect(result.subjectId).toBe(account.subjectId);
    expect(result.session.idleExpiresAt).toBe(w.nowSeconds() + POLICY.idleSeconds);
    expect(result.session.expiresAt).toBe(w.nowSeconds() + POLICY.absoluteSeconds);
    const stored = w.sessions.sessions.get(hashToken(result.session.token))!;
    expect(stored).toMatchObject({ subjectId: account.subjectId, roles: ['subject'] });
    expect(isSessionLive(stored, w.nowSeconds())).toBe(true);
  });

  it('issues a new, different session on each login', async () => {
    const w = world();
    const { session: first } = await registerAna(w);

    const second = await attempt(w, ANA.email, PASSWORD);

    expect(second.session.token).not.toBe(first.token);
    expect(w.sessions.sessions.size).toBe(2);
  });

  it('refuses a wrong password with InvalidCredentials and issues no session', async () => {
    const w = world();
    await registerAna(w);

    const error = await rejectionOf(attempt(w, ANA.email, 'correct horse battery stapler'));

    expect(error.cause).toBeInstanceOf(InvalidCredentialsError);
    expect(error.status).toBe(401);
    expect(w.sessions.sessions.size).toBe(1); // only the one from registration
  });

  it('answers an unknown email exactly like a wrong password (no enumeration)', async () => {
    const w = world();
    await registerAna(w);

    const wrongPassword = await rejectionOf(attempt(w, ANA.email, 'not the password at all'));
    const unknownEmail = await rejectionOf(attempt(w, 'nobody@example.com', 'not the password at all'));

    expect(unknownEmail.cause).toBeInstanceOf(InvalidCredentialsError);
    expect([unknownEmail.status, unknownEmail.slug, unknownEmail.title, unknownEmail.message, unknownEmail.extras]).toEqual([
      wrongPassword.status,
      wrongPassword.slug,
      wrongPassword.title,
      wrongPassword.message,
      wrongPassword.extras,
    ]);
  });

  it('counts failures for an unknown email the same way as for a known one', async () => {
    const w = world();
    await registerAna(w);

    await rejectionOf(attempt(w, ANA.email, 'wrong wrong wrong'));
    await rejectionOf(attempt(w, 'nobody@example.com', 'wrong wrong wrong'));

    const counters = [...w.throttle.counters.entries()].filter(([key]) => key.startsWith('account#'));
    expect(counters).toHaveLength(2);
    expect(counters.map(([, { counter }]) => counter.failures)).toEqual([1, 1]);
  });

  it('refuses an account without a password (created through OIDC) with InvalidCredentials', async () => {
    const w = world();
    await loginWithExternalIdentity(w.deps, google(), 'phone');

    await expect(attempt(w, 'ana@example.com', '')).rejects.toBeInstanceOf(InvalidCredentialsError);
    await expect(attempt(w, 'ana@example.com', PASSWORD)).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  it('stores no client address and no email in the throttle keys', async () => {
    const w = world();

    await rejectionOf(attempt(w, 'ana@example.com', 'wrong wrong wrong', '198.51.100.23'));

    const keys = [...w.throttle.counters.keys()].join(' ');
    expect(keys).not.toContain('198.51.100.23');
    expect(keys).not.toContain('ana@example.com');
  });

  describe('lockout', () => {
    async function failTimes(w: World, times: number, email = ANA.email, clientAddress?: string) {
      for (let i = 0; i < times; i++) {
        await expect(attempt(w, email, `wrong password #${i}`, clientAddress)).rejects.toBeInstanceOf(InvalidCredentialsError);
      }
    }

    it('counts every one of many concurrent failures (compare-and-set, no lost updates)', async () => {
      const w = world();
      await registerAna(w);

      const outcomes = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => attempt(w, ANA.email, `wrong password #${i}`)));

      expect(outcomes.every((o) => o.status === 'rejected' && o.reason instanceof InvalidCredentialsError)).toBe(true);
      const counters = [...w.throttle.counters.values()].map(({ counter }) => counter.failures);
      // one account counter and one client counter, each holding all five failures
      expect(counters).toEqual([5, 5]);
      await expect(attempt(w, ANA.email, 'wrong password #6')).rejects.toBeInstanceOf(InvalidCredentialsError);
      await expect(attempt(w, ANA.email, PASSWORD)).rejects.toBeInstanceOf(TooManyAttemptsError);
    });

    it('allows five failures, locks after the sixth, and refuses even the right password while locked', async () => {
      const w = world();
      await registerAna(w);
      await failTimes(w, 5);
      await expect(attempt(w, ANA.email, PASSWORD)).resolves.toMatchObject({ subjectId: expect.any(String) });
      // that success cleared the account counter; fail past the free ones again
      await failTimes(w, 6);

      const error = await rejectionOf(attempt(w, ANA.email, PASSWORD));

      expect(error.cause).toBeInstanceOf(TooManyAttemptsError);
      expect(error.status).toBe(429);
      expect(error.extras.headers).toEqual({ 'retry-after': '30' });
    });

    it('counts the retry-after down with the clock and lets the right password in once the lock has passed', async () => {
      const w = world();
      const { account } = await registerAna(w);
      await failTimes(w, 6);

      w.advance(10);
      expect((await rejectionOf(attempt(w, ANA.email, PASSWORD))).extras.headers).toEqual({ 'retry-after': '20' });
      w.advance(19);
      expect((await rejectionOf(attempt(w, ANA.email, PASSWORD))).extras.headers).toEqual({ 'retry-after': '1' });
      w.advance(1);

      await expect(attempt(w, ANA.email, PASSWORD)).resolves.toMatchObject({ subjectId: account.subjectId });
    });

    it('does not count attempts refused during the lock', async () => {
      const w = world();
      await registerAna(w);
      await failTimes(w, 6);
      const before = [...w.throttle.counters.values()].map((c) => c.counter);

      await rejectionOf(attempt(w, ANA.email, 'wrong again'));
      await rejectionOf(attempt(w, ANA.email, 'wrong again'));

      expect([...w.throttle.counters.values()].map((c) => c.counter)).toEqual(before);
    });

    it('locks longer after a further failure once the first lock ends', async () => {
      const w = world();
      await registerAna(w);
      await failTimes(w, 6);
      w.advance(30);

      await expect(attempt(w, ANA.email, 'still wrong!')).rejects.toBeInstanceOf(InvalidCredentialsError);

      expect((await rejectionOf(attempt(w, ANA.email, PASSWORD))).extras.headers).toEqual({ 'retry-after': '60' });
    });

    it('clears the account counter after a successful login, so the free failures start again', async () => {
      const w = world();
      await registerAna(w);
      await failTimes(w, 5);

      await attempt(w, ANA.email, PASSWORD);

      expect([...w.throttle.counters.keys()].filter((k) => k.startsWith('account#'))).toEqual([]);
      await failTimes(w, 5);
      await expect(attempt(w, ANA.email, PASSWORD)).resolves.toBeDefined();
    });

    it('locks an unknown email the same way as a registered one', async () => {
      const w = world();
      await failTimes(w, 6, 'nobody@example.com');

      const error = await rejectionOf(attempt(w, 'nobody@example.com', 'anything at all'));

      expect(error.cause).toBeInstanceOf(TooManyAttemptsError);
      expect(error.extras.headers).toEqual({ 'retry-after': '30' });
    });

    it('keeps an account locked from any client address', async () => {
      const w = world();
      await registerAna(w);
      await failTimes(w, 6, ANA.email, '203.0.113.7');

      await expect(attempt(w, ANA.email, PASSWORD, '198.51.100.99')).rejects.toBeInstanceOf(TooManyAttemptsError);
    });

    it('does not lock other accounts when one is locked', async () => {
      const w = world();
      await registerAna(w);
      await register(w.deps, { profile: { email: 'bo@example.com', displayName: 'Bo' }, password: PASSWORD, deviceLabel: 'x' });
      await failTimes(w, 6, ANA.email, '203.0.113.7');

      await expect(attempt(w, 'bo@example.com', PASSWORD, '203.0.113.8')).resolves.toBeDefined();
    });

    it('locks a client after twenty failures spread over many emails, for that client only', async () => {
      const w = world();
      await registerAna(w);
      for (let i = 0; i < 21; i++) {
        await expect(attempt(w, `user${i}@example.com`, 'guess guess guess', '203.0.113.66')).rejects.toBeInstanceOf(
          InvalidCredentialsError,
        );
      }

      const error = await rejectionOf(attempt(w, ANA.email, PASSWORD, '203.0.113.66'));

      expect(error.cause).toBeInstanceOf(TooManyAttemptsError);
      expect(error.extras.headers).toEqual({ 'retry-after': '60' });
      await expect(attempt(w, ANA.email, PASSWORD, '203.0.113.67')).resolves.toBeDefined();
      w.advance(60);
      await expect(attempt(w, ANA.email, PASSWORD, '203.0.113.66')).resolves.toBeDefined();
    });

    it('gives the throttle items a TTL no earlier than the end of their lock or window', async () => {
      const w = world();
      await failTimes(w, 1);

      for (const { counter, expiresAt } of w.throttle.counters.values()) {
        expect(expiresAt).toBeGreaterThanOrEqual(counter.lockedUntil);
        expect(expiresAt).toBeGreaterThanOrEqual(w.nowSeconds() + 15 * 60);
      }
    });
  });

  describe('re-hashing', () => {
    it('re-hashes a password stored with weaker parameters on the next successful login', async () => {
      const w = world();
      const { account } = await registerAna(w);
      const stronger = { ...w.deps, scrypt: { logN: 5, r: 8, p: 1 } };
      w.advance(5);

      await login(stronger, { email: ANA.email, password: PASSWORD, clientAddress: '203.0.113.7', deviceLabel: 'x' });

      const stored = w.accounts.users.get(account.subjectId)!;
      expect(stored.passwordHash).toMatch(/^scrypt\$5\$8\$1\$/);
      await expect(verifyPassword(PASSWORD, stored.passwordHash!)).resolves.toBe(true);
      expect(w.accounts.updates.at(-1)?.fields).toEqual(['users.passwordHash']);
    });

    it('does not touch the account when the parameters are current', async () => {
      const w = world();
      await registerAna(w);

      await attempt(w, ANA.email, PASSWORD);

      expect(w.accounts.updates).toEqual([]);
    });

    it('still logs in when the re-hash cannot be written', async () => {
      const w = world();
      await registerAna(w);
      jest.spyOn(w.accounts, 'update').mockRejectedValueOnce(new AccountChangedError());

      await expect(
        login({ ...w.deps, scrypt: { logN: 5, r: 8, p: 1 } }, { email: ANA.email, password: PASSWORD, clientAddress: 'x', deviceLabel: 'x' }),
      ).resolves.toMatchObject({ subjectId: expect.any(String) });
    });
  });
});

// ---- sessions ------------------------------------------------------------------------------------------------------

describe('session expiry (sessions.ts)', () => {
  it('ends a session that stays unused past the idle limit', async () => {
    const w = world();
    const { session } = await registerAna(w);
    const stored = w.sessions.sessions.get(hashToken(session.token))!;

    expect(isSessionLive(stored, w.nowSeconds() + POLICY.idleSeconds - 1)).toBe(true);
    expect(isSessionLive(stored, w.nowSeconds() + POLICY.idleSeconds)).toBe(false);
  });

  it('ends a session at its absolute end even if it was kept busy', () => {
    const now = Math.floor(START.getTime() / 1000);
    // idle end pushed far ahead by use, absolute end unchanged
    const busy: SessionRecord = { tokenHash: 'h', subjectId: 's', roles: ['subject'], expiresAt: now + 100, idleExpiresAt: now + 10_000 };

    expect(isSessionLive(busy, now + 99)).toBe(true);
    expect(isSessionLive(busy, now + 100)).toBe(false);
    expect(isSessionLive(busy, now + 5_000)).toBe(false);
  });

  it('ends a session at whichever limit comes first', () => {
    const idleFirst: SessionRecord = { tokenHash: 'h', subjectId: 's', roles: [], expiresAt: 200, idleExpiresAt: 100 };

    expect(isSessionLive(idleFirst, 99)).toBe(true);
    expect(isSessionLive(idleFirst, 150)).toBe(false);
  });

  it('hashes tokens with SHA-256 (hex), deterministically and distinctly', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashToken(newSessionToken())).not.toBe(hashToken(newSessionToken()));
  });

  it('accepts only well-formed bearer tokens', () => {
    const token = newSessionToken();

    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(bearerToken(`Bearer ${token}`)).toBe(token);
    expect(bearerToken(`  Bearer ${token}  `)).toBe(token);
    expect(bearerToken(`bearer ${token}`)).toBeUndefined();
    expect(bearerToken(`Basic ${token}`)).toBeUndefined();
    expect(bearerToken(`Bearer ${token}x`)).toBeUndefined();
    expect(bearerToken(`Bearer ${token.slice(1)}`)).toBeUndefined();
    expect(bearerToken(`Bearer ${token.slice(1)}=`)).toBeUndefined();
    expect(bearerToken('Bearer ')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});

// ---- getAccount --------------------------------------------------------------------------------------------------------

describe('getAccount', () => {
  it('returns the unsealed profile, sources and roles', async () => {
    const w = world();
    const { account } = await registerAna(w, { ...ANA, postalAddress: { street: 'Rua A 1', postalCode: '1000-001', city: 'Lisboa', country: 'PT' } });

    const read = await getAccount(w.deps, account.subjectId);

    expect(read).toEqual(account);
    expect(read.profile.postalAddress).toEqual({ street: 'Rua A 1', postalCode: '1000-001', city: 'Lisboa', country: 'PT' });
  });

  it('answers ProfileUnavailable once the subject key is destroyed', async () => {
    const w = world();
    const { account } = await registerAna(w);
    w.keyring.destroy(account.subjectId);

    const error = await rejectionOf(getAccount(w.deps, account.subjectId));

    expect(error.cause).toBeInstanceOf(ProfileUnavailableError);
    expect(error.status).toBe(410);
  });

  it('answers ProfileUnavailable for an unknown subject', async () => {
    const w = world();

    await expect(getAccount(w.deps, 'no-such-subject')).rejects.toBeInstanceOf(ProfileUnavailableError);
  });

  it('refuses a profile sealed for another subject', async () => {
    const w = world();
    const { account: ana } = await registerAna(w);
    const { account: bo } = await registerAna(w, { email: 'bo@example.com', displayName: 'Bo' });
    // copy Bo's sealed profile into Ana's record, and give Ana Bo's key: the AAD still names Bo
    w.accounts.users.set(ana.subjectId, { ...w.accounts.users.get(ana.subjectId)!, profile: w.accounts.users.get(bo.subjectId)!.profile });
    w.keyring.keys.set(ana.subjectId, w.keyring.keys.get(bo.subjectId)!);

    await expect(getAccount(w.deps, ana.subjectId)).rejects.toBeInstanceOf(UnreadableDataError);
  });
});

// ---- correctAccount ----------------------------------------------------------------------------------------------------

describe('correctAccount', () => {
  const FULL: Profile = {
    email: 'ana@example.com',
    displayName: 'Ana Lima',
    givenName: 'Ana',
    familyName: 'Lima',
    locale: 'pt-BR',
    phone: '+351912345678',
    postalAddress: { street: 'Rua A 1', postalCode: '1000-001', city: 'Lisboa', country: 'PT' },
  };

  it.each([
    ['displayName', 'Ana L.'],
    ['givenName', 'Anabela'],
    ['familyName', 'Lima Santos'],
    ['locale', 'en-GB'],
    ['phone', '+4915112345678'],
    ['postalAddress', { street: 'Hauptstr. 5', postalCode: '10115', city: 'Berlin', country: 'DE' }],
  ] as const)('corrects %s, stores it sealed, and keeps the rest', async (field, value) => {
    const w = world();
    const { account } = await registerAna(w, FULL);
    w.advance(120);

    const result = await correctAccount(w.deps, account.subjectId, { profile: { [field]: value } });

    expect(result.changed).toEqual([field]);
    expect(result.passwordChanged).toBe(false);
    expect(result.sessionsEnded).toBe(0);
    expect(result.account.profile).toEqual({ ...FULL, [field]: value });
    expect(result.account.updatedAt).toBe(new Date(START.getTime() + 120_000).toISOString());
    const read = await getAccount(w.deps, account.subjectId);
    expect(read.profile).toEqual({ ...FULL, [field]: value });
    expect(read.sources[field]).toBe('user');
    expect(w.accounts.updates.at(-1)?.fields).toEqual([`users.profile.${field}`]);
    const needle = typeof value === 'string' ? value : value.street;
    expect(JSON.stringify(w.accounts.users.get(account.subjectId))).not.toContain(needle);
  });

  it.each(['givenName', 'familyName', 'locale', 'phone', 'postalAddress'] as const)('removes %s when sent null', async (field) => {
    const w = world();
    const { account } = await registerAna(w, FULL);

    const result = await correctAccount(w.deps, account.subjectId, { profile: { [field]: null } });

    expect(result.changed).toEqual([field]);
    const read = await getAccount(w.deps, account.subjectId);
    expect(read.profile).not.toHaveProperty(field);
    expect(read.sources).not.toHaveProperty(field);
  });

  it('adds an optional field the account did not have', async () => {
    const w = world();
    const { account } = await registerAna(w);

    await correctAccount(w.deps, account.subjectId, { profile: { phone: '+4915112345678' } });

    const read = await getAccount(w.deps, account.subjectId);
    expect(read.profile.phone).toBe('+4915112345678');
    expect(read.sources.phone).toBe('user');
  });

  it('writes nothing when the values equal the current ones (or remove what is absent)', async () => {
    const w = world();
    const { account } = await registerAna(w);

    const result = await correctAccount(w.deps, account.subjectId, { profile: { displayName: 'Ana Lima', phone: null, email: 'ANA@example.com' } });

    expect(result.changed).toEqual([]);
    expect(w.accounts.updates).toEqual([]);
  });

  it('corrects several fields at once and lists each', async () => {
    const w = world();
    const { account } = await registerAna(w, FULL);

    const result = await correctAccount(w.deps, account.subjectId, { profile: { displayName: 'A', locale: null, phone: '+4915112345678' } });

    expect(result.changed).toEqual(['displayName', 'locale', 'phone']);
  });

  it('needs no password for fields other than email', async () => {
    const w = world();
    const { account } = await registerAna(w);

    await expect(correctAccount(w.deps, account.subjectId, { profile: { displayName: 'Ana' } })).resolves.toMatchObject({ changed: ['displayName'] });
  });

  describe('email', () => {
    it('requires the current password (CurrentPasswordRequired) and changes nothing without it', async () => {
      const w = world();
      const { account } = await registerAna(w);

      const error = await rejectionOf(correctAccount(w.deps, account.subjectId, { profile: { email: 'new@example.com' } }));

      expect(error.cause).toBeInstanceOf(CurrentPasswordRequiredError);
      expect(error.status).toBe(403);
      expect(w.accounts.updates).toEqual([]);
    });

    it('rejects a wrong current password', async () => {
      const w = world();
      const { account } = await registerAna(w);

      await expect(
        correctAccount(w.deps, account.subjectId, { profile: { email: 'new@example.com' }, currentPassword: 'not my password' }),
      ).rejects.toBeInstanceOf(CurrentPasswordRequiredError);
      expect(w.accounts.updates).toEqual([]);
    });

    it('changes the email with the current password and moves the login to the new address', async () => {
      const w = world();
      const { account } = await registerAna(w);

      const result = await correctAccount(w.deps, account.subjectId, {
        profile: { email: ' New@Example.com ' },
        currentPassword: PASSWORD,
      });

      expect(result.changed).toEqual(['email']);
      expect(result.account.profile.email).toBe('new@example.com');
      expect(w.accounts.updates.at(-1)?.fields).toEqual(['users.profile.email', 'users.emailIndex', 'identities.identityKey']);
      await expect(attempt(w, 'new@example.com', PASSWORD)).resolves.toMatchObject({ subjectId: account.subjectId });
      await expect(attempt(w, 'ana@example.com', PASSWORD)).rejects.toBeInstanceOf(InvalidCredentialsError);
      // the old address is free again
      await expect(registerAna(w)).resolves.toBeDefined();
    });

    it('refuses an email another account holds with EmailTaken and keeps the old one', async () => {
      const w = world();
      const { account } = await registerAna(w);
      await registerAna(w, { email: 'bo@example.com', displayName: 'Bo' });

      await expect(
        correctAccount(w.deps, account.subjectId, { profile: { email: 'bo@example.com' }, currentPassword: PASSWORD }),
      ).rejects.toBeInstanceOf(EmailTakenError);

      expect((await getAccount(w.deps, account.subjectId)).profile.email).toBe('ana@example.com');
    });
  });

  describe('password', () => {
    it('requires the current password', async () => {
      const w = world();
      const { account } = await registerAna(w);

      await expect(correctAccount(w.deps, account.subjectId, { profile: {}, newPassword: NEW_PASSWORD })).rejects.toBeInstanceOf(
        CurrentPasswordRequiredError,
      );
      await expect(
        correctAccount(w.deps, account.subjectId, { profile: {}, newPassword: NEW_PASSWORD, currentPassword: NEW_PASSWORD }),
      ).rejects.toBeInstanceOf(CurrentPasswordRequiredError);
      await expect(attempt(w, ANA.email, PASSWORD)).resolves.toBeDefined();
    });

    it('changes the password and ends every other session, keeping the current one', async () => {
      const w = world();
      const { account, session: current } = await registerAna(w);
      const other = await attempt(w, ANA.email, PASSWORD);
      await attempt(w, ANA.email, PASSWORD);

      const result = await correctAccount(w.deps, account.subjectId, {
        profile: {},
        newPassword: NEW_PASSWORD,
        currentPassword: PASSWORD,
        currentSession: hashToken(current.token),
      });

      expect(result).toMatchObject({ changed: [], passwordChanged: true, sessionsEnded: 2 });
      expect([...w.sessions.sessions.keys()]).toEqual([hashToken(current.token)]);
      expect(w.sessions.sessions.has(hashToken(other.session.token))).toBe(false);
      expect(w.accounts.updates.at(-1)?.fields).toEqual(['users.passwordHash']);
      await expect(attempt(w, ANA.email, PASSWORD)).rejects.toBeInstanceOf(InvalidCredentialsError);
      await expect(attempt(w, ANA.email, NEW_PASSWORD)).resolves.toMatchObject({ subjectId: account.subjectId });
    });

    it('leaves other subjects’ sessions alone', async () => {
      const w = world();
      const { account } = await registerAna(w);
      const bo = await registerAna(w, { email: 'bo@example.com', displayName: 'Bo' });

      await correctAccount(w.deps, account.subjectId, { profile: {}, newPassword: NEW_PASSWORD, currentPassword: PASSWORD });

      expect(w.sessions.sessions.has(hashToken(bo.session.token))).toBe(true);
    });
  });

  describe('an account without a password (OIDC)', () => {
    async function oidcAccount(w: World) {
      const { subjectId, session } = await loginWithExternalIdentity(w.deps, google(), 'phone');
      return { subjectId, createdAt: w.nowSeconds(), session };
    }

    it('may correct ordinary fields without any proof', async () => {
      const w = world();
      const { subjectId } = await oidcAccount(w);

      await expect(correctAccount(w.deps, subjectId, { profile: { phone: '+4915112345678' } })).resolves.toMatchObject({ changed: ['phone'] });
    });

    it('needs a recent login, not a password, to change the email', async () => {
      const w = world();
      const { subjectId, createdAt } = await oidcAccount(w);

      await expect(correctAccount(w.deps, subjectId, { profile: { email: 'new@example.com' } })).rejects.toBeInstanceOf(RecentLoginRequiredError);
      w.advance(RECENT_LOGIN_SECONDS + 1);
      await expect(
        correctAccount(w.deps, subjectId, { profile: { email: 'new@example.com' }, sessionCreatedAt: createdAt }),
      ).rejects.toBeInstanceOf(RecentLoginRequiredError);
      expect(w.accounts.updates).toEqual([]);
    });

    it('changes the email within the recent-login window', async () => {
      const w = world();
      const { subjectId, createdAt } = await oidcAccount(w);
      w.advance(RECENT_LOGIN_SECONDS);

      const result = await correctAccount(w.deps, subjectId, { profile: { email: 'new@example.com' }, sessionCreatedAt: createdAt });

      expect(result.account.profile.email).toBe('new@example.com');
      expect(result.account.sources.email).toBe('user');
    });

    it('can set a first password within the recent-login window, and then log in with it', async () => {
      const w = world();
      const { subjectId, createdAt } = await oidcAccount(w);

      const result = await correctAccount(w.deps, subjectId, { profile: {}, newPassword: NEW_PASSWORD, sessionCreatedAt: createdAt });

      expect(result.account.hasPassword).toBe(true);
      await expect(attempt(w, 'ana@example.com', NEW_PASSWORD)).resolves.toMatchObject({ subjectId });
    });
  });

  it('answers ProfileUnavailable once the subject key is destroyed, and writes nothing', async () => {
    const w = world();
    const { account } = await registerAna(w);
    w.keyring.destroy(account.subjectId);

    await expect(correctAccount(w.deps, account.subjectId, { profile: { displayName: 'X' } })).rejects.toBeInstanceOf(ProfileUnavailableError);
    expect(w.accounts.updates).toEqual([]);
  });

  it('passes the record it read as the previous one, so a concurrent change is detected by the store', async () => {
    const w = world();
    const { account } = await registerAna(w);
    const realGet = w.accounts.get.bind(w.accounts);
    jest.spyOn(w.accounts, 'get').mockImplementationOnce(async (id) => {
      const read = await realGet(id);
      // another request writes between our read and our write
      w.accounts.users.set(id, { ...read!, updatedAt: '2026-03-02T09:00:00.500Z' });
      return read;
    });

    await expect(correctAccount(w.deps, account.subjectId, { profile: { displayName: 'X' } })).rejects.toBeInstanceOf(AccountChangedError);
  });
});

// ---- loginWithExternalIdentity ---------------------------------------------------------------------------------------

describe('loginWithExternalIdentity', () => {
  it('creates an account for a new identity, every field marked provider:<name>, and no password', async () => {
    const w = world();

    const result = await loginWithExternalIdentity(w.deps, google(), 'phone');

    expect(result).toMatchObject({ created: true, linked: false });
    const read = await getAccount(w.deps, result.subjectId);
    expect(read.profile).toEqual({ email: 'ana@example.com', displayName: 'Ana Lima', givenName: 'Ana', familyName: 'Lima', locale: 'pt-BR' });
    expect(read.sources).toEqual({
      email: 'provider:google',
      displayName: 'provider:google',
      givenName: 'provider:google',
      familyName: 'provider:google',
      locale: 'provider:google',
    });
    expect(read.hasPassword).toBe(false);
    expect(read.roles).toEqual(['subject']);
    expect(w.sessions.sessions.get(hashToken(result.session.token))).toMatchObject({ subjectId: result.subjectId });
  });

  it('claims both the email and the external identity for the new account', async () => {
    const w = world();
    const identity = google();

    const { subjectId } = await loginWithExternalIdentity(w.deps, identity, 'phone');

    const kinds = [...w.accounts.claims.values()].filter((c) => c.subjectId === subjectId).map((c) => c.kind).sort();
    expect(kinds).toEqual(['email', 'oidc']);
    const identityKey = oidcClaim(await w.deps.pseudonyms.externalIdentity(identity.issuer, identity.subject));
    expect(w.accounts.claims.get(identityKey)?.subjectId).toBe(subjectId);
  });

  it('builds the display name from given and family names, or the email, when the provider sends none', async () => {
    const w = world();

    const a = await loginWithExternalIdentity(w.deps, google({ subject: '1', email: 'a@example.com', displayName: undefined }), 'x');
    const b = await loginWithExternalIdentity(
      w.deps,
      google({ subject: '2', email: 'bo.silva@example.com', displayName: undefined, givenName: undefined, familyName: undefined, locale: undefined }),
      'x',
    );

    expect((await getAccount(w.deps, a.subjectId)).profile.displayName).toBe('Ana Lima');
    const bo = await getAccount(w.deps, b.subjectId);
    expect(bo.profile).toEqual({ email: 'bo.silva@example.com', displayName: 'bo.silva' });
    expect(bo.sources).toEqual({ email: 'provider:google', displayName: 'provider:google' });
  });

  it('logs a known identity in to the same subject, without creating or linking', async () => {
    const w = world();
    const first = await loginWithExternalIdentity(w.deps, google(), 'phone');
    w.advance(3600);

    const again = await loginWithExternalIdentity(w.deps, google({ email: 'changed@example.com', emailVerified: false }), 'laptop');

    expect(again).toMatchObject({ subjectId: first.subjectId, created: false, linked: false });
    expect(again.session.token).not.toBe(first.session.token);
    expect(again.session.expiresAt).toBe(w.nowSeconds() + POLICY.absoluteSeconds);
    expect(w.accounts.users.size).toBe(1);
    // provider data does not overwrite the stored profile on later logins
    expect((await getAccount(w.deps, first.subjectId)).profile.email).toBe('ana@example.com');
  });

  it('gives a known identity the roles its account holds, except admin: that role needs the second factor', async () => {
    const w = world();
    const { account } = await register(w.deps, { profile: ANA, password: PASSWORD, deviceLabel: 'cli', roles: ['admin'] });
    await loginWithExternalIdentity(w.deps, google(), 'x'); // links

    const again = await loginWithExternalIdentity(w.deps, google(), 'x');

    expect(again.subjectId).toBe(account.subjectId);
    expect(account.roles).toEqual(['subject', 'admin']);
    expect(w.sessions.sessions.get(hashToken(again.session.token))?.roles).toEqual(['subject']);
  });

  it('links a verified email to the existing account, keeping its profile and password', async () => {
    const w = world();
    const { account } = await registerAna(w, { email: 'Ana@Example.com', displayName: 'Ana (mine)' });

    const result = await loginWithExternalIdentity(w.deps, google({ email: 'ANA@example.com', emailVerified: true }), 'phone');

    expect(result).toMatchObject({ subjectId: account.subjectId, created: false, linked: true });
    expect(w.accounts.updates.at(-1)?.addClaims).toEqual([{ identityKey: expect.stringMatching(/^oidc#/), kind: 'oidc' }]);
    expect(w.accounts.updates.at(-1)?.fields).toEqual(['identities.identityKey']);
    const read = await getAccount(w.deps, account.subjectId);
    expect(read.profile).toEqual({ email: 'ana@example.com', displayName: 'Ana (mine)' });
    expect(read.sources).toEqual({ email: 'user', displayName: 'user' });
    expect(read.hasPassword).toBe(true);
    // from now on the identity alone logs in, even if the provider later stops sending the email
    await expect(loginWithExternalIdentity(w.deps, google({ email: undefined }), 'x')).resolves.toMatchObject({
      subjectId: account.subjectId,
      linked: false,
    });
  });

  it('never links an unverified email to an existing account: it refuses (422) and leaves the account alone', async () => {
    const w = world();
    const { account } = await registerAna(w);
    const identity = google({ subject: 'attacker', emailVerified: false });

    const error = await rejectionOf(loginWithExternalIdentity(w.deps, identity, 'phone'));

    expect(error.cause).toBeInstanceOf(EmailUnverifiedError);
    expect(w.accounts.updates).toEqual([]);
    expect(w.accounts.users.size).toBe(1);
    const identityKey = oidcClaim(await w.deps.pseudonyms.externalIdentity(identity.issuer, identity.subject));
    expect(w.accounts.claims.has(identityKey)).toBe(false);
    expect([...w.sessions.sessions.values()].every((s) => s.subjectId === account.subjectId)).toBe(true);
    expect(w.sessions.sessions.size).toBe(1);
  });

  it('does not let an unverified email claim an address nobody holds yet: 422, nothing created, the owner can still register', async () => {
    const w = world();

    const error = await rejectionOf(loginWithExternalIdentity(w.deps, google({ emailVerified: false }), 'phone'));

    expect(error.cause).toBeInstanceOf(EmailUnverifiedError);
    expect(error.status).toBe(422);
    expect(w.accounts.users.size).toBe(0);
    expect(w.accounts.claims.size).toBe(0);
    expect(w.keyring.keys.size).toBe(0);
    expect(w.sessions.sessions.size).toBe(0);
    await expect(loginWithExternalIdentity(w.deps, google(), 'phone')).resolves.toMatchObject({ created: true });
  });

  it('refuses a new identity without an email (422) and creates nothing', async () => {
    const w = world();

    const error = await rejectionOf(loginWithExternalIdentity(w.deps, google({ email: undefined }), 'phone'));

    expect(error.status).toBe(422);
    expect(error.slug).toBe('email-required');
    expect(w.accounts.users.size).toBe(0);
    expect(w.keyring.keys.size).toBe(0);
  });

  it('keeps identities from different issuers apart even with the same subject claim', async () => {
    const w = world();
    const a = await loginWithExternalIdentity(w.deps, google({ subject: 'same', email: 'a@example.com' }), 'x');

    const b = await loginWithExternalIdentity(
      w.deps,
      google({ provider: 'other', issuer: 'https://id.example.org', subject: 'same', email: 'b@example.com' }),
      'x',
    );

    expect(b.created).toBe(true);
    expect(b.subjectId).not.toBe(a.subjectId);
  });

  it('marks a corrected provider field as the user’s and leaves the others as the provider’s', async () => {
    const w = world();
    const { subjectId } = await loginWithExternalIdentity(w.deps, google(), 'phone');

    const result = await correctAccount(w.deps, subjectId, { profile: { displayName: 'Ana B. Lima', locale: null } });

    expect(result.account.sources).toEqual({
      email: 'provider:google',
      displayName: 'user',
      givenName: 'provider:google',
      familyName: 'provider:google',
    });
    expect((await getAccount(w.deps, subjectId)).sources.displayName).toBe('user');
  });

  it('answers ProfileUnavailable when a verified email points to an account whose record is gone', async () => {
    const w = world();
    const { account } = await registerAna(w);
    w.accounts.users.delete(account.subjectId);

    await expect(loginWithExternalIdentity(w.deps, google(), 'phone')).rejects.toBeInstanceOf(ProfileUnavailableError);
  });
});

describe('normaliseEmail', () => {
  it.each([
    ['Ana@Example.COM', 'ana@example.com'],
    ['  ana@example.com\n', 'ana@example.com'],
    ['\uff41na@example.com', 'ana@example.com'], // fullwidth "ａ" folds under NFKC
  ])('%j → %j', (input, expected) => {
    expect(normaliseEmail(input)).toBe(expected);
  });
});

describe('admin second factor (TOTP and recovery codes)', () => {
  const codeAt = (uri: string, at: Date) => (URI.parse(uri) as TOTP).generate({ timestamp: at.getTime() });
  const adminLogin = (w: World, code?: string, password = PASSWORD) =>
    login(w.deps, { email: ANA.email, password, code, clientAddress: '203.0.113.7', deviceLabel: 'Firefox on Linux' });
  const registerAdmin = (w: World) => register(w.deps, { profile: ANA, password: PASSWORD, deviceLabel: 'ops command', roles: ['admin'] });

  it('enrols admins at creation: an otpauth URI, ten recovery codes shown once, the secret sealed and the codes hashed', async () => {
    const w = world();
    const { account, secondFactor } = await registerAdmin(w);
    const stored = w.accounts.users.get(account.subjectId)!.secondFactor!;

    expect(secondFactor!.uri).toMatch(/^otpauth:\/\/totp\/test:ana%40example\.com\?issuer=test&secret=[A-Z2-7]{32}&algorithm=SHA1&digits=6&period=30$/);
    expect(secondFactor!.recoveryCodes).toHaveLength(10);
    const secret = new URL(secondFactor!.uri).searchParams.get('secret')!;
    expect(JSON.stringify(stored)).not.toContain(secret);
    for (const code of secondFactor!.recoveryCodes) expect(JSON.stringify(stored)).not.toContain(code);
    expect(stored.recoveryCodes).toHaveLength(10);
    // a subject registering gets none
    const other = await register(w.deps, { profile: { email: 'bo@example.com', displayName: 'Bo' }, password: PASSWORD, deviceLabel: 'x' });
    expect(other.secondFactor).toBeUndefined();
    expect(w.accounts.users.get(other.account.subjectId)!.secondFactor).toBeUndefined();
  });

  it('logs an admin in with password and the current code, and refuses the same code a second time', async () => {
    const w = world();
    const { secondFactor } = await registerAdmin(w);
    const code = codeAt(secondFactor!.uri, w.deps.now());

    const session = await adminLogin(w, code);
    expect(w.sessions.sessions.get(hashToken(session.session.token))?.roles).toEqual(['subject', 'admin']);

    expect((await rejectionOf(adminLogin(w, code))).cause).toBeInstanceOf(InvalidCredentialsError);
    w.advance(30);
    await expect(adminLogin(w, codeAt(secondFactor!.uri, w.deps.now()))).resolves.toMatchObject({ subjectId: session.subjectId });
  });

  it('answers a missing or wrong code like a wrong password, and counts it on the login throttle', async () => {
    const w = world();
    const { secondFactor } = await registerAdmin(w);
    const wrong = String((Number(codeAt(secondFactor!.uri, w.deps.now())) + 1) % 1_000_000).padStart(6, '0');

    expect((await rejectionOf(adminLogin(w))).cause).toBeInstanceOf(InvalidCredentialsError);
    for (let i = 0; i < 5; i++) expect((await rejectionOf(adminLogin(w, wrong))).cause).toBeInstanceOf(InvalidCredentialsError);
    expect([...w.throttle.counters.values()].map(({ counter }) => counter.failures)).toEqual([6, 6]);
    // past the five free failures the account is locked: even the right code now waits
    expect((await rejectionOf(adminLogin(w, codeAt(secondFactor!.uri, w.deps.now())))).cause).toBeInstanceOf(TooManyAttemptsError);
  });

  it('takes each recovery code once, in any case and with or without its dash', async () => {
    const w = world();
    const { account, secondFactor } = await registerAdmin(w);
    const [first, second] = secondFactor!.recoveryCodes;

    await expect(adminLogin(w, first)).resolves.toMatchObject({ subjectId: account.subjectId });
    expect(w.accounts.users.get(account.subjectId)!.secondFactor!.recoveryCodes).toHaveLength(9);
    expect(w.accounts.updates.at(-1)?.fields).toEqual(['users.secondFactor']);
    expect((await rejectionOf(adminLogin(w, first))).cause).toBeInstanceOf(InvalidCredentialsError);
    await expect(adminLogin(w, second.replace('-', '').toUpperCase())).resolves.toMatchObject({ subjectId: account.subjectId });
  });

  it('does not check a code before the password: a right code with a wrong password fails', async () => {
    const w = world();
    const { secondFactor } = await registerAdmin(w);
    expect((await rejectionOf(adminLogin(w, codeAt(secondFactor!.uri, w.deps.now()), 'not the password at all'))).cause).toBeInstanceOf(
      InvalidCredentialsError,
    );
    expect(w.accounts.updates).toHaveLength(0);
  });
});

describe('re-authentication of an admin session (destructive actions)', () => {
  const codeAt = (uri: string, at: Date) => (URI.parse(uri) as TOTP).generate({ timestamp: at.getTime() });
  const wrongCode = (uri: string, at: Date) => String((Number(codeAt(uri, at)) + 1) % 1_000_000).padStart(6, '0');

  async function signedInAdmin(w: World) {
    const { secondFactor } = await register(w.deps, { profile: ANA, password: PASSWORD, deviceLabel: 'ops command', roles: ['admin'] });
    const uri = secondFactor!.uri;
    const { subjectId, session } = await login(w.deps, {
      email: ANA.email, password: PASSWORD, code: codeAt(uri, w.deps.now()), clientAddress: '203.0.113.7', deviceLabel: 'Firefox',
    });
    return { uri, subjectId, sessionId: hashToken(session.token) };
  }
  const confirm = (w: World, admin: { subjectId: string; sessionId: string }, code: string, password = PASSWORD) =>
    reauthenticate(w.deps, { ...admin, password, code, clientAddress: '203.0.113.7' });
  const guard = (w: World, sessionId: string) =>
    requireRecentAuthentication({ sessions: { get: async (id) => w.sessions.sessions.get(id) }, now: w.deps.now }, sessionId);

  it('counts the login itself, then refuses once the window has passed', async () => {
    const w = world();
    const admin = await signedInAdmin(w);
    await expect(guard(w, admin.sessionId)).resolves.toBeUndefined();
    w.advance(REAUTHENTICATION_WINDOW_SECONDS - 1);
    await expect(guard(w, admin.sessionId)).resolves.toBeUndefined();
    w.advance(1);
    await expect(guard(w, admin.sessionId)).rejects.toBeInstanceOf(ReauthenticationRequiredError);
    await expect(guard(w, 'no-such-session')).rejects.toBeInstanceOf(ReauthenticationRequiredError);
    expect((await rejectionOf(guard(w, admin.sessionId))).status).toBe(403);
  });

  it('opens a new window with the password and a fresh code, stamped on this session only', async () => {
    const w = world();
    const admin = await signedInAdmin(w);
    w.advance(REAUTHENTICATION_WINDOW_SECONDS + 60);
    const answer = await confirm(w, admin, codeAt(admin.uri, w.deps.now()));
    expect(answer).toEqual({
      reauthenticatedAt: w.deps.now().toISOString(),
      validUntil: new Date(w.deps.now().getTime() + REAUTHENTICATION_WINDOW_SECONDS * 1000).toISOString(),
    });
    await expect(guard(w, admin.sessionId)).resolves.toBeUndefined();
    expect(isRecentlyAuthenticated(w.sessions.sessions.get(admin.sessionId) as SessionRecord & { reauthenticatedAt?: string }, w.nowSeconds() + REAUTHENTICATION_WINDOW_SECONDS)).toBe(false);
  });

  it('refuses a wrong code or password, counts it on the login throttle, and locks like a login', async () => {
    const w = world();
    const admin = await signedInAdmin(w);
    w.advance(30);
    expect((await rejectionOf(confirm(w, admin, wrongCode(admin.uri, w.deps.now())))).cause).toBeInstanceOf(ReauthenticationFailedError);
    expect((await rejectionOf(confirm(w, admin, codeAt(admin.uri, w.deps.now()), 'not the password'))).status).toBe(403);
    expect([...w.throttle.counters.values()].map(({ counter }) => counter.failures)).toEqual([2, 2]);
    for (let i = 0; i < 4; i++) await rejectionOf(confirm(w, admin, wrongCode(admin.uri, w.deps.now())));
    // the sixth failure locked the account: the right password and code now wait, here and at login
    expect((await rejectionOf(confirm(w, admin, codeAt(admin.uri, w.deps.now())))).cause).toBeInstanceOf(TooManyAttemptsError);
    expect(w.sessions.sessions.get(admin.sessionId)).not.toHaveProperty('reauthenticatedAt');
  });

  it('refuses a code already used (no replay of the login\'s code)', async () => {
    const w = world();
    const admin = await signedInAdmin(w);
    expect((await rejectionOf(confirm(w, admin, codeAt(admin.uri, w.deps.now())))).cause).toBeInstanceOf(ReauthenticationFailedError);
  });

  it('answers session-ended when the session was logged out meanwhile', async () => {
    const w = world();
    const admin = await signedInAdmin(w);
    w.advance(30);
    await w.sessions.delete(admin.sessionId, admin.subjectId);
    expect((await rejectionOf(confirm(w, admin, codeAt(admin.uri, w.deps.now())))).cause).toBeInstanceOf(SessionEndedError);
  });
});
