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
