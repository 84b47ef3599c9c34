/**
 * Session rules as plain functions. Tokens are never stored: the sessions table is keyed by the token's SHA-256.
 */
import { createHash } from 'node:crypto';
import { Refused } from './errors';

export interface SessionRecord {
  readonly tokenHash: string;
  readonly subjectId: string;
  readonly roles: readonly string[];
  /** Epoch seconds; absolute end of the session (also the DynamoDB TTL attribute). */
  readonly expiresAt: number;
  /** Epoch seconds; the session ends early if unused until then. */
  readonly idleExpiresAt: number;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** DynamoDB TTL deletes lazily (and DynamoDB Local never does), so expiry is always checked on read. */
export function isSessionLive(session: SessionRecord, nowSeconds: number): boolean {
  return nowSeconds < session.expiresAt && nowSeconds < session.idleExpiresAt;
}

/** `Authorization: Bearer <token>` → token; anything else → undefined. Tokens are 43 base64url characters (256 bits). */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer ([A-Za-z0-9_-]{43})$/.exec(header?.trim() ?? '');
  return match?.[1];
}

/** When a session was used, opened and last re-authenticated (ISO 8601), as the sessions table holds them. */
export interface SessionTimes {
  readonly lastUsedAt?: string;
  readonly createdAt?: string;
  /** The last time the session's owner gave password and second factor again (admin sessions only). */
  readonly reauthenticatedAt?: string;
}

/** What the authorizer reads and changes of a session. */
export interface SessionLookup {
  get(tokenHash: string): Promise<(SessionRecord & SessionTimes) | undefined>;
  /** Records a use and slides the idle expiry; never resurrects a session deleted meanwhile. */
  touch(tokenHash: string, usedAt: string, idleExpiresAt: number): Promise<void>;
}

export interface SessionCheckDeps {
  readonly sessions: SessionLookup;
  readonly idleSeconds: number;
  readonly now: () => Date;
}

/** Sliding the idle expiry on every request would be a write per request; a few minutes' precision is enough. */
export const TOUCH_AFTER_SECONDS = 300;

/** Who the caller is, as a live session says: ids and roles only. */
export interface SessionPrincipal {
  readonly subjectId: string;
  readonly roles: readonly string[];
  readonly sessionId: string;
  /** Epoch seconds of the session's login, 0 when unknown. */
  readonly authTime: number;
}

/**
 * The live session behind an `Authorization` header, or undefined (no token, no such session, or expired). Slides the
 * idle expiry at most every few minutes; a failed slide does not refuse the request.
 */
export async function checkSession(deps: SessionCheckDeps, authorization: string | undefined): Promise<SessionPrincipal | undefined> {
  const token = bearerToken(authorization);
  if (!token) return undefined;
  const tokenHash = hashToken(token);
  const session = await deps.sessions.get(tokenHash);
  const now = Math.floor(deps.now().getTime() / 1000);
  if (!session || !isSessionLive(session, now)) return undefined;
  const lastUsed = session.lastUsedAt ? Math.floor(Date.parse(session.lastUsedAt) / 1000) : 0;
  if (now - lastUsed >= TOUCH_AFTER_SECONDS) {
    await deps.sessions.touch(tokenHash, new Date(now * 1000).toISOString(), Math.min(now + deps.idleSeconds, session.expiresAt)).catch(() => undefined);
  }
  return {
    subjectId: session.subjectId,
    roles: session.roles,
    sessionId: tokenHash,
    authTime: Math.floor(Date.parse(session.createdAt ?? '') / 1000) || 0,
  };
}

// ---- re-authentication -----------------------------------------------------------------------------------------------

/**
 * How long a proof of presence lasts for destructive admin actions (approve or complete a request, lift a legal hold):
 * a stolen or unattended session must not be enough to erase someone. Short, so an officer who walks away leaves
 * nothing destructive open, yet long enough for a bulk approval after one confirmation.
 */
export const REAUTHENTICATION_WINDOW_SECONDS = 5 * 60;

export class ReauthenticationRequiredError extends Refused<'reauthentication-required'> {
  constructor() {
    super('reauthentication-required', { withinSeconds: REAUTHENTICATION_WINDOW_SECONDS });
  }
}

/**
 * When the session's owner last proved who they are, epoch seconds (0 when unknown): the later of the login (an admin
 * logs in with password and second factor, so the login itself is such a proof) and the last re-authentication.
 */
export function lastAuthenticatedAt(session: SessionTimes): number {
  const seconds = (iso: string | undefined) => Math.floor(Date.parse(iso ?? '') / 1000) || 0;
  return Math.max(seconds(session.createdAt), seconds(session.reauthenticatedAt));
}

/** True while the last proof of presence is inside the window. */
export function isRecentlyAuthenticated(session: SessionTimes, nowSeconds: number): boolean {
  const at = lastAuthenticatedAt(session);
  return at > 0 && nowSeconds - at < REAUTHENTICATION_WINDOW_SECONDS;
}

/**
 * The guard of destructive admin routes: the caller's session must have been authenticated (login or re-authentication)
 * within the window. Read from the table on every call, not from the authorizer's context, which API Gateway caches.
 */
export async function requireRecentAuthentication(
  deps: { readonly sessions: Pick<SessionLookup, 'get'>; readonly now: () => Date },
  sessionId: string | undefined,
): Promise<void> {
  const session = sessionId ? await deps.sessions.get(sessionId) : undefined;
  if (!session || !isRecentlyAuthenticated(session, Math.floor(deps.now().getTime() / 1000))) throw new ReauthenticationRequiredError();
}
