/**
 * Accounts: registration, login, sessions, profile and its correction (Art. 16), and external (OIDC) login.
 *
 * Plain functions over ports. Every personal field is sealed under the subject's own data key before it reaches a store;
 * emails are found through a blind index; identifiers (email, external identity) are claimed in one place so two accounts
 * can never share one.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Conflict, Gone, Invalid, Refused, Throttled } from './errors';
import {
  ACCOUNT_POLICY,
  CLIENT_POLICY,
  afterFailure,
  counterExpiry,
  secondsLocked,
  type ThrottleCounter,
  type ThrottlePolicy,
} from './login-throttle';
import { accountFacts } from './export-document';
import { decoyHash, hashPassword, needsRehash, verifyPassword, type ScryptParams, DEFAULT_SCRYPT } from './passwords';
import { PREVIOUS_EMAIL_FIELD, profileChangeOutboxEvent, type PendingRecipientEvent } from './recipient-outbox';
import { activityMonth, type LegalHold } from './retention';
import { hashToken, REAUTHENTICATION_WINDOW_SECONDS, type SessionRecord } from './sessions';
import { acceptSecondFactor, enrolSecondFactor, type SecondFactorRecord, type TotpCodes } from './second-factor';
import { openValue, sealValue } from './subject-cipher';

export interface PostalAddress {
  readonly street: string;
  readonly postalCode: string;
  readonly city: string;
  readonly country: string;
}

/** Every personal field an account holds. All are correctable by the subject, whatever their source. */
export interface Profile {
  readonly email: string;
  readonly displayName: string;
  readonly givenName?: string;
  readonly familyName?: string;
  readonly locale?: string;
  readonly phone?: string;
  readonly postalAddress?: PostalAddress;
}
export type ProfileField = keyof Profile;
export const PROFILE_FIELDS: readonly ProfileField[] = ['email', 'displayName', 'givenName', 'familyName', 'locale', 'phone', 'postalAddress'];

/** Where a field's value came from: the subject, or an identity provider (`provider:google`). */
export type FieldSource = 'user' | `provider:${string}`;

export interface UserRecord {
  readonly subjectId: string;
  readonly emailIndex: string;
  /** Sealed `{ profile, sources }`. */
  readonly profile: string;
  readonly passwordHash?: string;
  readonly roles: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Retention (`domain/retention.ts`): the last login, and its month (the activity index's partition). */
  readonly lastActiveAt?: string;
  readonly activityMonth?: string;
  /** Retention: the inactivity notice and the erasure date it announced; a login removes both. */
  readonly inactivityNoticeAt?: string;
  readonly inactivityErasureAt?: string;
  /** An admin's legal hold: stops the retention notice and erasure while it stands. */
  readonly legalHold?: LegalHold;
  /** The admin role's second factor (TOTP and recovery codes), enrolled when the admin is created. */
  readonly secondFactor?: SecondFactorRecord;
}

export interface SealedContent {
  readonly profile: Profile;
  readonly sources: Partial<Record<ProfileField, FieldSource>>;
}

// ---- ports ---------------------------------------------------------------------------------------------------------

export interface SubjectKeyring {
  /** A fresh data key for a new subject: the plaintext for this invocation, and its KMS-wrapped form to store. */
  create(subjectId: string): Promise<{ key: Uint8Array; wrapped: string }>;
  /** The subject's key, or undefined when it has been destroyed (crypto-shredded). */
  open(subjectId: string): Promise<Uint8Array | undefined>;
}

export interface Pseudonyms {
  /** Blind index of a normalised email. */
  emailIndex(normalisedEmail: string): Promise<string>;
  /** Key for an external identity (issuer + subject claim). */
  externalIdentity(issuer: string, subject: string): Promise<string>;
  /** Key for a client address, for throttling; the address is never stored. */
  client(address: string): Promise<string>;
}

export interface IdentityClaim {
  readonly identityKey: string;
  readonly kind: 'email' | 'oidc';
}

export interface AccountStore {
  /** Writes user, wrapped key, identity claims and first session in one transaction; EmailTakenError if a claim exists. */
  create(user: UserRecord, wrappedKey: string, claims: readonly IdentityClaim[], session: SessionRecord): Promise<void>;
  subjectFor(identityKey: string): Promise<string | undefined>;
  get(subjectId: string): Promise<UserRecord | undefined>;
  /** Replaces sealed profile (and optionally password hash and email claim) if `updatedAt` is unchanged. */
  update(
    previous: UserRecord,
    next: UserRecord,
    emailClaimChange?: { remove: string; add: string },
    addClaims?: readonly IdentityClaim[],
    /** What changed, as field names (`users.profile.phone`), for the audit entry; never values. */
    fields?: readonly string[],
    /** The recipients' pending event, written in the same transaction (Art. 19: recipients of a corrected field are told). */
    outbox?: PendingRecipientEvent,
  ): Promise<void>;
}

export interface SessionStore {
  /**
   * Stores a new session. `recordActivity` (a login) also sets the account's `lastActiveAt` and clears an inactivity
   * notice, in the same write: the retention clock restarts exactly when a session is issued.
   */
  put(session: SessionRecord, options?: { recordActivity?: boolean }): Promise<void>;
  listForSubject(subjectId: string): Promise<SessionRecord[]>;
  /** Deletes one session of the subject (a session of someone else is left alone). */
  delete(tokenHash: string, subjectId: string): Promise<void>;
  /** Deletes every session of the subject except `keep` (a token hash), and returns how many it deleted. */
  deleteAllForSubject(subjectId: string, keep?: string): Promise<number>;
  /** Records a re-authentication on the subject's own session; false when that session no longer exists. */
  markReauthenticated(tokenHash: string, subjectId: string, at: string): Promise<boolean>;
}

export interface ThrottleStore {
  get(key: string): Promise<ThrottleCounter>;
  /** Several counters at once, in the order of `keys` (one round trip where the store allows). */
  getMany(keys: readonly string[]): Promise<ThrottleCounter[]>;
  /**
   * Stores `next` only if the stored counter is still `expected` (compare-and-set); false when another attempt changed it
   * first. Concurrent failures would otherwise overwrite each other's count and an attacker could race past the lock.
   */
  recordFailure(key: string, expected: ThrottleCounter, next: ThrottleCounter, expiresAt: number): Promise<boolean>;
  clear(key: string): Promise<void>;
}

export interface AccountsDeps {
  readonly keyring: SubjectKeyring;
  readonly pseudonyms: Pseudonyms;
  readonly accounts: AccountStore;
  readonly sessions: SessionStore;
  readonly throttle: ThrottleStore;
  readonly now: () => Date;
  readonly sessionPolicy: SessionPolicy;
  readonly scrypt?: ScryptParams;
  /** TOTP for the admin role's second factor: needed by admin creation and login. */
  readonly totp?: TotpCodes;
}

export interface SessionPolicy {
  readonly idleSeconds: number;
  readonly absoluteSeconds: number;
}

// ---- errors --------------------------------------------------------------------------------------------------------

export class EmailUnverifiedError extends Invalid<'email-unverified'> {
  constructor() {
    super('email-unverified', {});
  }
}

/** An identity provider that shares no email address cannot create an account (it would have nothing to be found by). */
export class EmailRequiredError extends Invalid<'email-required'> {
  constructor() {
    super('email-required', {});
  }
}

export class EmailTakenError extends Conflict<'email-taken'> {
  constructor() {
    super('email-taken', {});
  }
}

/** The same error for an unknown email and a wrong password. */
export class InvalidCredentialsError extends Refused<'invalid-credentials'> {
  constructor() {
    super('invalid-credentials', {});
  }
}

export class TooManyAttemptsError extends Throttled<'too-many-attempts'> {
  constructor(retryAfterSeconds: number) {
    super('too-many-attempts', { retryAfterSeconds });
  }
}

/** A re-authentication with a wrong password or code; it counts on the login throttle like a failed login. */
export class ReauthenticationFailedError extends Refused<'reauthentication-failed'> {
  constructor() {
    super('reauthentication-failed', {});
  }
}

/** The session ended (logged out elsewhere) between the authorizer's check and the write. */
export class SessionEndedError extends Refused<'session-ended'> {
  constructor() {
    super('session-ended', {});
  }
}

export class CurrentPasswordRequiredError extends Refused<'current-password-required'> {
  constructor() {
    super('current-password-required', {});
  }
}

/** An account without a password proves who it is by a recent login with its identity provider instead. */
export const RECENT_LOGIN_SECONDS = 15 * 60;

export class RecentLoginRequiredError extends Refused<'recent-login-required'> {
  constructor() {
    super('recent-login-required', { withinSeconds: RECENT_LOGIN_SECONDS });
  }
}

export class ProfileUnavailableError extends Gone<'profile-erased'> {
  constructor() {
    super('profile-erased', {});
  }
}

export class AccountChangedError extends Conflict<'account-changed'> {
  constructor() {
    super('account-changed', {});
  }
}

// ---- helpers -------------------------------------------------------------------------------------------------------

export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

/** 256-bit random session token, base64url (43 characters); shown to the client once, stored only as its hash. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

export function newSession(subjectId: string, roles: readonly string[], deviceLabel: string, now: Date, policy: SessionPolicy) {
  const token = newSessionToken();
  const nowSeconds = epoch(now);
  const session: SessionRecord & { createdAt: string; lastUsedAt: string; deviceLabel: string } = {
    tokenHash: hashToken(token),
    subjectId,
    roles: [...roles],
    createdAt: now.toISOString(),
    lastUsedAt: now.toISOString(),
    deviceLabel,
    idleExpiresAt: nowSeconds + policy.idleSeconds,
    expiresAt: nowSeconds + policy.absoluteSeconds,
  };
  return { token, session };
}

export function seal(key: Uint8Array, subjectId: string, content: SealedContent): string {
  return sealValue(key, subjectId, 'profile', content);
}

export function unseal(key: Uint8Array, subjectId: string, sealed: string): SealedContent {
  return openValue<SealedContent>(key, subjectId, 'profile', sealed);
}

export interface AccountView {
  readonly subjectId: string;
  readonly profile: Profile;
  readonly sources: Partial<Record<ProfileField, FieldSource>>;
  readonly roles: readonly string[];
  readonly hasPassword: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Present while the account is due for erasure for inactivity: logging in again keeps it. */
  readonly inactivityNotice?: { readonly noticeAt: string; readonly erasureAt?: string };
}

export interface IssuedSession {
  readonly token: string;
  readonly expiresAt: number;
  readonly idleExpiresAt: number;
}

// ---- use cases -----------------------------------------------------------------------------------------------------

/**
 * Register.
 * 1. normalise and blind-index the email; 2. hash the password; 3. create the subject's data key;
 * 4. seal the profile; 5. write user, key, email claim and first session in one transaction.
 */
export async function register(
  deps: AccountsDeps,
  input: {
    profile: Profile;
    password: string;
    deviceLabel: string;
    /** Only the ops command passes roles beyond `subject`; the public route cannot (its schema has no such field). */
    roles?: readonly Role[];
  },
): Promise<{ account: AccountView; session: IssuedSession; secondFactor?: { uri: string; recoveryCodes: string[] } }> {
  const email = normaliseEmail(input.profile.email);
  const profile: Profile = { ...input.profile, email };
  const subjectId = randomUUID();
  const [emailIndex, passwordHash, { key, wrapped }] = await Promise.all([
    deps.pseudonyms.emailIndex(email),
    hashPassword(input.password, deps.scrypt ?? DEFAULT_SCRYPT),
    deps.keyring.create(subjectId),
  ]);
  const sources = Object.fromEntries(
    PROFILE_FIELDS.filter((f) => profile[f] !== undefined).map((f) => [f, 'user' as FieldSource]),
  ) as SealedContent['sources'];
  const now = deps.now();
  const roles = [...new Set<Role>(['subject', ...(input.roles ?? [])])];
  // Whoever can read everyone's audit trail signs in with a second factor, from the first login on.
  const enrolled = roles.includes('admin') ? enrolSecondFactor(requireTotp(deps), key, subjectId, email) : undefined;
  const user: UserRecord = {
    subjectId,
    emailIndex,
    profile: seal(key, subjectId, { profile, sources }),
    passwordHash,
    roles,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    ...activitySince(now),
    ...(enrolled ? { secondFactor: enrolled.record } : {}),
  };
  const { token, session } = newSession(subjectId, user.roles, input.deviceLabel, now, deps.sessionPolicy);
  await deps.accounts.create(user, wrapped, [{ identityKey: emailClaim(emailIndex), kind: 'email' }], session);
  return {
    account: view(user, { profile, sources }),
    session: { token, expiresAt: session.expiresAt, idleExpiresAt: session.idleExpiresAt },
    ...(enrolled ? { secondFactor: { uri: enrolled.uri, recoveryCodes: enrolled.recoveryCodes } } : {}),
  };
}

function requireTotp(deps: Pick<AccountsDeps, 'totp'>): TotpCodes {
  if (!deps.totp) throw new Error('the admin second factor needs TOTP in the account dependencies');
  return deps.totp;
}

export const ROLES = ['subject', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const emailClaim = (emailIndex: string) => `email#${emailIndex}`;
export const oidcClaim = (identityKey: string) => `oidc#${identityKey}`;

/** A new account starts its retention clock at creation (registration is a login). */
function activitySince(now: Date): Pick<UserRecord, 'lastActiveAt' | 'activityMonth'> {
  return { lastActiveAt: now.toISOString(), activityMonth: activityMonth(now) };
}

/**
 * The API's account resource, from the same facts as the export's account section (`accountFacts`), so the two never
 * drift. Only their published shapes differ: the API leaves out what is absent and calls the announced date `erasureAt`
 * (the OpenAPI `Account`); export@1 writes nulls and says `erasureFrom`, and adds the last activity and a legal hold,
 * which the subject's app does not show but a copy of their data (Art. 15) must.
 */
function view(user: UserRecord, content: SealedContent): AccountView {
  const { roles, hasPassword, createdAt, updatedAt, inactivityNotice } = accountFacts(user);
  return {
    subjectId: user.subjectId,
    profile: content.profile,
    sources: content.sources,
    roles,
    hasPassword,
    createdAt,
    updatedAt,
    ...(inactivityNotice
      ? { inactivityNotice: { noticeAt: inactivityNotice.noticeAt, ...(inactivityNotice.erasureFrom ? { erasureAt: inactivityNotice.erasureFrom } : {}) } }
      : {}),
  };
}

/** Compare-and-set attempts before a failure is left uncounted: each lost race means another failure was counted. */
const COUNT_ATTEMPTS = 8;

/** Adds one failure to a counter, re-reading and recomputing when a concurrent attempt changed it in between. */
async function countFailure(
  throttle: ThrottleStore,
  key: string,
  seen: ThrottleCounter,
  nowSeconds: number,
  policy: ThrottlePolicy,
): Promise<void> {
  let current = seen;
  for (let attempt = 0; attempt < COUNT_ATTEMPTS; attempt++) {
    const next = afterFailure(current, nowSeconds, policy);
    if (await throttle.recordFailure(key, current, next, counterExpiry(next, policy))) return;
    current = await throttle.get(key);
  }
}

/**
 * Log in with email and password.
 * 1. refuse early while the account or client counter is locked; 2. find the subject by blind index;
 * 3. verify the password (a decoy hash when the email is unknown, so timing reveals nothing);
 * 4. for the admin role, check the second factor (a TOTP code or a recovery code) and record its use;
 * 5. on failure count it on both counters; on success clear the account counter and issue a session.
 */
export async function login(
  deps: AccountsDeps,
  input: { email: string; password: string; code?: string; clientAddress: string; deviceLabel: string },
): Promise<{ subjectId: string; session: IssuedSession }> {
  const email = normaliseEmail(input.email);
  const [emailIndex, clientKey] = await Promise.all([
    deps.pseudonyms.emailIndex(email),
    deps.pseudonyms.client(input.clientAddress),
  ]);
  const accountKey = `account#${emailIndex}`;
  const clientCounterKey = `client#${clientKey}`;
  const nowSeconds = epoch(deps.now());
  const [accountCounter, clientCounter] = await deps.throttle.getMany([accountKey, clientCounterKey]);
  const locked = Math.max(secondsLocked(accountCounter, nowSeconds), secondsLocked(clientCounter, nowSeconds));
  if (locked > 0) throw new TooManyAttemptsError(locked);

  const subjectId = await deps.accounts.subjectFor(emailClaim(emailIndex));
  const user = subjectId ? await deps.accounts.get(subjectId) : undefined;
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash(deps.scrypt ?? DEFAULT_SCRYPT)));
  // A missing or wrong code answers like a wrong password and counts on the same throttle: guessing codes is as slow as
  // guessing passwords, and the answer does not say which of the two was wrong.
  let current = user;
  if (user && user.passwordHash && ok && user.roles.includes('admin')) current = await checkSecondFactor(deps, user, input.code);
  if (!user || !user.passwordHash || !ok || !current) {
    await Promise.all([
      countFailure(deps.throttle, accountKey, accountCounter, nowSeconds, ACCOUNT_POLICY),
      countFailure(deps.throttle, clientCounterKey, clientCounter, nowSeconds, CLIENT_POLICY),
    ]);
    throw new InvalidCredentialsError();
  }
  if (accountCounter.failures > 0) await deps.throttle.clear(accountKey);
  if (needsRehash(user.passwordHash, deps.scrypt ?? DEFAULT_SCRYPT)) {
    const passwordHash = await hashPassword(input.password, deps.scrypt ?? DEFAULT_SCRYPT);
    await deps.accounts
      .update(current, { ...current, passwordHash, updatedAt: laterThan(current.updatedAt, deps.now()) }, undefined, [], ['users.passwordHash'])
      .catch(() => undefined); // best effort: the next login tries again
  }
  const { token, session } = newSession(user.subjectId, user.roles, input.deviceLabel, deps.now(), deps.sessionPolicy);
  await deps.sessions.put(session, { recordActivity: true });
  return { subjectId: user.subjectId, session: { token, expiresAt: session.expiresAt, idleExpiresAt: session.idleExpiresAt } };
}

/**
 * Find an account by its email, for an admin (the console's "find by email"): the email is blind-indexed and never
 * stored or logged; undefined when no account has it.
 */
export async function findSubjectByEmail(deps: Pick<AccountsDeps, 'pseudonyms' | 'accounts'>, email: string): Promise<string | undefined> {
  const emailIndex = await deps.pseudonyms.emailIndex(normaliseEmail(email));
  return deps.accounts.subjectFor(emailClaim(emailIndex));
}

/**
 * Re-authenticate the current admin session: the password and a second-factor code again, so that destructive actions
 * (`requireRecentAuthentication`) are allowed for the next few minutes.
 * 1. refuse early while the account or client counter is locked (the login's counters: guessing here is no faster);
 * 2. verify the password and the second factor (using the code up, as at login);
 * 3. on failure count it on both counters; on success clear the account counter and stamp the session (audited).
 */
export async function reauthenticate(
  deps: AccountsDeps,
  input: { subjectId: string; sessionId: string; password: string; code: string; clientAddress: string },
): Promise<{ reauthenticatedAt: string; validUntil: string }> {
  const user = await deps.accounts.get(input.subjectId);
  if (!user) throw new SessionEndedError();
  const accountKey = `account#${user.emailIndex}`;
  const clientCounterKey = `client#${await deps.pseudonyms.client(input.clientAddress)}`;
  const nowSeconds = epoch(deps.now());
  const [accountCounter, clientCounter] = await deps.throttle.getMany([accountKey, clientCounterKey]);
  const locked = Math.max(secondsLocked(accountCounter, nowSeconds), secondsLocked(clientCounter, nowSeconds));
  if (locked > 0) throw new TooManyAttemptsError(locked);

  const ok = user.passwordHash !== undefined && (await verifyPassword(input.password, user.passwordHash));
  const current = ok && user.roles.includes('admin') ? await checkSecondFactor(deps, user, input.code) : undefined;
  if (!current) {
    await Promise.all([
      countFailure(deps.throttle, accountKey, accountCounter, nowSeconds, ACCOUNT_POLICY),
      countFailure(deps.throttle, clientCounterKey, clientCounter, nowSeconds, CLIENT_POLICY),
    ]);
    throw new ReauthenticationFailedError();
  }
  if (accountCounter.failures > 0) await deps.throttle.clear(accountKey);
  const now = deps.now();
  if (!(await deps.sessions.markReauthenticated(input.sessionId, input.subjectId, now.toISOString()))) throw new SessionEndedError();
  return {
    reauthenticatedAt: now.toISOString(),
    validUntil: new Date(now.getTime() + REAUTHENTICATION_WINDOW_SECONDS * 1000).toISOString(),
  };
}

/**
 * The admin's second factor, once the password is right: the account as stored after the code was used up, or undefined
 * for a missing or wrong code (or an admin without one enrolled). The use is written before the session is issued, so a
 * code cannot be replayed, not even by two logins racing (the write is conditional on the account being unchanged).
 */
async function checkSecondFactor(deps: AccountsDeps, user: UserRecord, code: string | undefined): Promise<UserRecord | undefined> {
  if (!code || !user.secondFactor) return undefined;
  const key = await deps.keyring.open(user.subjectId);
  if (!key) return undefined;
  const now = deps.now();
  const next = acceptSecondFactor(requireTotp(deps), key, user.subjectId, user.secondFactor, code, now);
  if (!next) return undefined;
  const updated: UserRecord = { ...user, secondFactor: next, updatedAt: laterThan(user.updatedAt, now) };
  try {
    await deps.accounts.update(user, updated, undefined, [], ['users.secondFactor']);
  } catch (error) {
    if (error instanceof AccountChangedError) return undefined;
    throw error;
  }
  return updated;
}

/** An `updatedAt` that differs from the previous one, so the optimistic-concurrency check sees every write. */
function laterThan(previous: string, now: Date): string {
  const at = now.toISOString();
  return at > previous ? at : new Date(Date.parse(previous) + 1).toISOString();
}

/** The account and its unsealed profile; ProfileUnavailableError when there is no account or its key is destroyed. */
export async function readAccount(deps: Pick<AccountsDeps, 'accounts' | 'keyring'>, subjectId: string) {
  const user = await deps.accounts.get(subjectId);
  if (!user) throw new ProfileUnavailableError();
  const key = await deps.keyring.open(subjectId);
  if (!key) throw new ProfileUnavailableError();
  return { user, key, content: unseal(key, subjectId, user.profile) };
}

/** Read my account (Art. 15's first, simplest form). */
export async function getAccount(deps: Pick<AccountsDeps, 'accounts' | 'keyring'>, subjectId: string): Promise<AccountView> {
  const { user, content } = await readAccount(deps, subjectId);
  return view(user, content);
}

export type ProfilePatch = {
  readonly [F in ProfileField]?: F extends 'email' | 'displayName' ? Profile[F] : Profile[F] | null;
};

/**
 * Correct my data (Art. 16): any field, whatever its source; the corrected field's source becomes `user`.
 * Changing the email or the password requires the current password (when the account has one).
 * 1. read and unseal; 2. check the current password if needed; 3. apply; 4. re-seal; 5. write, moving the email claim
 * in the same transaction.
 */
export async function correctAccount(
  deps: AccountsDeps,
  subjectId: string,
  patch: {
    profile: ProfilePatch;
    newPassword?: string;
    currentPassword?: string;
    currentSession?: string;
    /** When the current session was created (its login), epoch seconds. */
    sessionCreatedAt?: number;
  },
): Promise<{ account: AccountView; changed: ProfileField[]; passwordChanged: boolean; sessionsEnded: number }> {
  const { user, key, content } = await readAccount(deps, subjectId);
  const nextEmail = patch.profile.email !== undefined ? normaliseEmail(patch.profile.email) : undefined;
  const emailChanges = nextEmail !== undefined && nextEmail !== content.profile.email;
  if (emailChanges || patch.newPassword !== undefined) {
    if (user.passwordHash) {
      if (!patch.currentPassword || !(await verifyPassword(patch.currentPassword, user.passwordHash))) {
        throw new CurrentPasswordRequiredError();
      }
    } else if (patch.sessionCreatedAt === undefined || epoch(deps.now()) - patch.sessionCreatedAt > RECENT_LOGIN_SECONDS) {
      // Without a password to ask for, a stolen long-lived session must not be enough to take the account over.
      throw new RecentLoginRequiredError();
    }
  }
  const profile: Record<string, unknown> = { ...content.profile };
  const sources: Record<string, FieldSource> = { ...content.sources };
  const changed: ProfileField[] = [];
  for (const field of PROFILE_FIELDS) {
    if (!(field in patch.profile)) continue;
    const value = field === 'email' ? nextEmail : patch.profile[field];
    if (value === undefined) continue;
    if (JSON.stringify(value) === JSON.stringify(profile[field] ?? null)) continue;
    if (value === null) {
      delete profile[field];
      delete sources[field];
    } else {
      profile[field] = value;
      sources[field] = 'user';
    }
    changed.push(field);
  }
  const passwordHash = patch.newPassword !== undefined ? await hashPassword(patch.newPassword, deps.scrypt ?? DEFAULT_SCRYPT) : user.passwordHash;
  const emailIndex = emailChanges ? await deps.pseudonyms.emailIndex(nextEmail!) : user.emailIndex;
  const nextContent: SealedContent = { profile: profile as unknown as Profile, sources };
  const next: UserRecord = {
    ...user,
    emailIndex,
    passwordHash,
    profile: seal(key, subjectId, nextContent),
    updatedAt: deps.now().toISOString(),
  };
  if (changed.length > 0 || patch.newPassword !== undefined) {
    await deps.accounts.update(
      user,
      next,
      emailChanges ? { remove: emailClaim(user.emailIndex), add: emailClaim(emailIndex) } : undefined,
      [],
      [
        ...changed.map((field) => `users.profile.${field}`),
        ...(emailChanges ? ['users.emailIndex', 'identities.identityKey'] : []),
        ...(patch.newPassword !== undefined ? ['users.passwordHash'] : []),
      ],
      // the recipients find the subject by the old email: it travels sealed under the subject's key, opened at publish time
      profileChangeOutboxEvent(
        subjectId,
        changed,
        deps.now(),
        undefined,
        emailChanges && content.profile.email ? sealValue(key, subjectId, PREVIOUS_EMAIL_FIELD, content.profile.email) : undefined,
      ),
    );
  }
  // A new password means the old one may have leaked: every other session ends, this one stays.
  const sessionsEnded =
    patch.newPassword !== undefined ? await deps.sessions.deleteAllForSubject(subjectId, patch.currentSession) : 0;
  return { account: view(next, nextContent), changed, passwordChanged: patch.newPassword !== undefined, sessionsEnded };
}

// ---- external identity (OIDC) -------------------------------------------------------------------------------------

export interface ExternalIdentity {
  /** Configured provider name, e.g. `google`. */
  readonly provider: string;
  readonly issuer: string;
  readonly subject: string;
  readonly email?: string;
  readonly emailVerified: boolean;
  readonly displayName?: string;
  readonly givenName?: string;
  readonly familyName?: string;
  readonly locale?: string;
}

/**
 * Log in with a verified ID token's claims.
 * 1. a known external identity logs its subject in; 2. otherwise, a verified email that matches an account links the
 * identity to it (an unverified email never links: that would let anyone claim an account); 3. otherwise, from a verified
 * email only, a new account is created whose fields are marked `provider:<name>`, correctable like any other.
 */
export async function loginWithExternalIdentity(
  deps: AccountsDeps,
  identity: ExternalIdentity,
  deviceLabel: string,
): Promise<{ subjectId: string; created: boolean; linked: boolean; session: IssuedSession }> {
  const identityKey = oidcClaim(await deps.pseudonyms.externalIdentity(identity.issuer, identity.subject));
  let subjectId = await deps.accounts.subjectFor(identityKey);
  let created = false;
  let linked = false;
  let roles: readonly string[] = ['subject'];
  const now = deps.now();

  if (subjectId) {
    roles = (await deps.accounts.get(subjectId))?.roles ?? roles;
  } else {
    const email = identity.email ? normaliseEmail(identity.email) : undefined;
    const emailIndex = email ? await deps.pseudonyms.emailIndex(email) : undefined;
    const existing = emailIndex && identity.emailVerified ? await deps.accounts.subjectFor(emailClaim(emailIndex)) : undefined;
    if (existing) {
      const user = await deps.accounts.get(existing);
      if (!user) throw new ProfileUnavailableError();
      await deps.accounts.update(user, { ...user, updatedAt: now.toISOString() }, undefined, [{ identityKey, kind: 'oidc' }], [
        'identities.identityKey',
      ]);
      subjectId = existing;
      roles = user.roles;
      linked = true;
    } else {
      if (!email || !emailIndex) throw new EmailRequiredError();
      // A new account claims its email: from an unverified address that would let anyone who can sign up at some provider
      // take a stranger's address before they register (and lock them out of it). The same answer whether or not the
      // address is registered here, so it reveals nothing.
      if (!identity.emailVerified) throw new EmailUnverifiedError();
      const source: FieldSource = `provider:${identity.provider}`;
      const profile: Profile = {
        email,
        displayName: identity.displayName || [identity.givenName, identity.familyName].filter(Boolean).join(' ') || email.split('@')[0],
        ...(identity.givenName ? { givenName: identity.givenName } : {}),
        ...(identity.familyName ? { familyName: identity.familyName } : {}),
        ...(identity.locale ? { locale: identity.locale } : {}),
      };
      const sources = Object.fromEntries(PROFILE_FIELDS.filter((f) => profile[f] !== undefined).map((f) => [f, source]));
      subjectId = randomUUID();
      const { key, wrapped } = await deps.keyring.create(subjectId);
      const user: UserRecord = {
        subjectId,
        emailIndex,
        profile: seal(key, subjectId, { profile, sources }),
        roles,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        ...activitySince(now),
      };
      const { token, session } = newSession(subjectId, roles, deviceLabel, now, deps.sessionPolicy);
      await deps.accounts.create(
        user,
        wrapped,
        [
          { identityKey: emailClaim(emailIndex), kind: 'email' },
          { identityKey, kind: 'oidc' },
        ],
        session,
      );
      return { subjectId, created: true, linked: false, session: { token, expiresAt: session.expiresAt, idleExpiresAt: session.idleExpiresAt } };
    }
  }
  // The admin role needs the second factor, which an identity provider's token does not prove: such a session is the
  // subject's own, and the admin signs in with password and code for admin work.
  const sessionRoles = roles.filter((role) => role !== 'admin');
  const { token, session } = newSession(subjectId, sessionRoles, deviceLabel, now, deps.sessionPolicy);
  await deps.sessions.put(session, { recordActivity: true });
  return { subjectId, created, linked, session: { token, expiresAt: session.expiresAt, idleExpiresAt: session.idleExpiresAt } };
}
