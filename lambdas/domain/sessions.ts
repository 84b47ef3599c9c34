/**
 * Session rules as plain functions. Tokens are never stored: the sessions table is keyed by the token's SHA-256.
 */
import { createHash } from 'node:crypto';

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

/** What the authorizer reads and changes of a session. */
export interface SessionLookup {
  get(tokenHash: string): Promise<(SessionRecord & { readonly lastUsedAt?: string; readonly createdAt?: string }) | undefined>;
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
