/**
 * The admin role's second factor: TOTP (RFC 6238) and single-use recovery codes.
 *
 * The TOTP secret is sealed under the subject's own data key, like the profile, so erasing the subject's key also destroys
 * it; recovery codes are kept only as SHA-256 hashes (each is 50 random bits, shown once). A code's time step is remembered
 * so the same code cannot be used twice, and a used recovery code is removed.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { openValue, sealValue } from './subject-cipher';

/** What the users table holds for an admin's second factor. */
export interface SecondFactorRecord {
  /** The TOTP secret (base32), sealed under the subject's data key. */
  readonly secret: string;
  /** SHA-256 (hex) of each unused recovery code. */
  readonly recoveryCodes: readonly string[];
  /** The last TOTP time step accepted: a code of this step or an earlier one is refused (no replay). */
  readonly lastStep: number;
}

/** The TOTP algorithm, behind a port: the domain imports no library (lambdas/adapters/totp.ts implements it). */
export interface TotpCodes {
  /** A new random secret (base32) and the otpauth:// URI an authenticator app scans. */
  newSecret(accountLabel: string): { secret: string; uri: string };
  /** The time step `code` belongs to, if it is valid for `secret` within one step of `now`; otherwise undefined. */
  matchStep(secret: string, code: string, now: Date): number | undefined;
}

export const RECOVERY_CODE_COUNT = 10;
const SEALED_FIELD = 'secondFactor.secret';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A recovery code as typed: case, spaces and dashes do not matter. */
function normalise(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

function hashCode(code: string): string {
  return createHash('sha256').update(normalise(code)).digest('hex');
}

function newRecoveryCode(): string {
  const chars = [...randomBytes(10)].map((b) => BASE32[b & 31]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/**
 * Enrols a second factor for a new admin.
 * 1. a new TOTP secret; 2. recovery codes; 3. the record to store (secret sealed, codes hashed) and what to show once.
 */
export function enrolSecondFactor(
  totp: TotpCodes,
  key: Uint8Array,
  subjectId: string,
  accountLabel: string,
): { record: SecondFactorRecord; uri: string; recoveryCodes: string[] } {
  const { secret, uri } = totp.newSecret(accountLabel);
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  return {
    record: { secret: sealValue(key, subjectId, SEALED_FIELD, secret), recoveryCodes: recoveryCodes.map(hashCode), lastStep: 0 },
    uri,
    recoveryCodes,
  };
}

/**
 * Checks a code: a TOTP code newer than the last one accepted, or an unused recovery code.
 * Returns the record to store after it (step moved on, or the recovery code removed), or undefined when the code is wrong.
 */
export function acceptSecondFactor(
  totp: TotpCodes,
  key: Uint8Array,
  subjectId: string,
  record: SecondFactorRecord,
  code: string,
  now: Date,
): SecondFactorRecord | undefined {
  if (/^\d{6}$/.test(code)) {
    const step = totp.matchStep(openValue<string>(key, subjectId, SEALED_FIELD, record.secret), code, now);
    return step !== undefined && step > record.lastStep ? { ...record, lastStep: step } : undefined;
  }
  const hash = Buffer.from(hashCode(code), 'hex');
  const used = record.recoveryCodes.find((stored) => timingSafeEqual(Buffer.from(stored, 'hex'), hash));
  return used ? { ...record, recoveryCodes: record.recoveryCodes.filter((c) => c !== used) } : undefined;
}
