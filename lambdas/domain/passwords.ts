/**
 * Password hashing with scrypt from node:crypto: memory-hard, no native add-on to bundle for arm64 Lambda.
 * Parameters follow OWASP's scrypt recommendation (N = 2^17, r = 8, p = 1: 128 MiB, ~0.5 s on one core) and are stored in
 * each hash, so raising them later re-hashes on the next successful login.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export interface ScryptParams {
  readonly logN: number;
  readonly r: number;
  readonly p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { logN: 17, r: 8, p: 1 };
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** params.logN, r: params.r, p: params.p, maxmem: 256 * 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$<logN>$<r>$<p>$<salt b64url>$<hash b64url>` */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, params);
  return ['scrypt', params.logN, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Bounds a stored hash's parameters must fall in. A corrupted or hostile stored value (logN = 40, r = "x") would otherwise
 * make scrypt throw or try to allocate gigabytes; such a value verifies nothing, so it answers false like any mismatch.
 */
const PARAM_BOUNDS = { logN: [1, 22], r: [1, 32], p: [1, 16] } as const;

function parseParam(value: string | undefined, [min, max]: readonly [number, number]): number | undefined {
  if (!value || !/^\d{1,2}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= min && n <= max ? n : undefined;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logNText, rText, pText, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const logN = parseParam(logNText, PARAM_BOUNDS.logN);
  const r = parseParam(rText, PARAM_BOUNDS.r);
  const p = parseParam(pText, PARAM_BOUNDS.p);
  if (logN === undefined || r === undefined || p === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), { logN, r, p }).catch(() => undefined);
  return actual !== undefined && actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** True when a stored hash uses weaker parameters than the current ones. */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT): boolean {
  const [, logN, r, p] = stored.split('$');
  return Number(logN) < params.logN || Number(r) < params.r || Number(p) < params.p;
}

/**
 * A hash of a random password, computed once, verified against when the email is unknown, so a login for an unregistered
 * email costs the same time as one with a wrong password.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  decoy ??= hashPassword(randomBytes(24).toString('base64url'), params);
  return decoy;
}
