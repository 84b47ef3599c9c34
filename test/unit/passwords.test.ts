import {
  DEFAULT_SCRYPT,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  decoyHash,
  hashPassword,
  needsRehash,
  verifyPassword,
  type ScryptParams,
} from '../../lambdas/domain/passwords';
import { registerBody } from '../../lambdas/handlers/register.route';

// N = 2^4 keeps each hash well under a millisecond; the format and the checks are the same as with the real parameters.
const FAST: ScryptParams = { logN: 4, r: 8, p: 1 };
const PASSWORD = 'correct horse battery staple';

describe('password length limits', () => {
  it('are 12 and 256 characters', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(12);
    expect(PASSWORD_MAX_LENGTH).toBe(256);
  });

  // hashPassword itself takes any string; the limits are enforced where passwords enter, in the request schema.
  const body = (password: string) => ({ email: 'ana@example.com', displayName: 'Ana', password });
  it.each([
    [11, false],
    [12, true],
    [256, true],
    [257, false],
  ])('the registration schema accepts a %i-character password: %s', (length, accepted) => {
    expect(registerBody.safeParse(body('p'.repeat(length))).success).toBe(accepted);
  });
});

describe('hashPassword', () => {
  it('writes scrypt$logN$r$p$salt$hash with the parameters it was given', async () => {
    const stored = await hashPassword(PASSWORD, FAST);

    const [scheme, logN, r, p, salt, hash] = stored.split('$');
    expect(scheme).toBe('scrypt');
    expect([logN, r, p]).toEqual(['4', '8', '1']);
    expect(Buffer.from(salt, 'base64url')).toHaveLength(16);
    expect(Buffer.from(hash, 'base64url')).toHaveLength(32);
    expect(stored).not.toContain(PASSWORD);
  });

  it('salts each hash, so the same password never hashes the same twice', async () => {
    const [a, b] = await Promise.all([hashPassword(PASSWORD, FAST), hashPassword(PASSWORD, FAST)]);

    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
  });

  it('uses the OWASP parameters by default', () => {
    expect(DEFAULT_SCRYPT).toEqual({ logN: 17, r: 8, p: 1 });
  });
});

describe('verifyPassword', () => {
  let stored: string;
  beforeAll(async () => {
    stored = await hashPassword(PASSWORD, FAST);
  });

  it('accepts the right password', async () => {
    await expect(verifyPassword(PASSWORD, stored)).resolves.toBe(true);
  });

  it.each([
    ['a different password', 'correct horse battery stapl3'],
    ['a prefix', 'correct horse battery'],
    ['a different case', 'Correct horse battery staple'],
    ['trailing space', `${PASSWORD} `],
    ['the empty string', ''],
  ])('rejects %s', async (_label, attempt) => {
    await expect(verifyPassword(attempt, stored)).resolves.toBe(false);
  });

  it('reads the parameters from the stored hash, not from the defaults', async () => {
    const other = await hashPassword(PASSWORD, { logN: 5, r: 4, p: 2 });

    await expect(verifyPassword(PASSWORD, other)).resolves.toBe(true);
  });

  it('rejects a hash whose parameters were altered', async () => {
    const altered = stored.replace(/^scrypt\$4\$/, 'scrypt$5$');

    await expect(verifyPassword(PASSWORD, altered)).resolves.toBe(false);
  });

  it('rejects a hash whose digest was altered', async () => {
    const parts = stored.split('$');
    const digest = Buffer.from(parts[5], 'base64url');
    digest[0] ^= 0x01;
    parts[5] = digest.toString('base64url');

    await expect(verifyPassword(PASSWORD, parts.join('$'))).resolves.toBe(false);
  });

  it('rejects a truncated digest instead of comparing a prefix', async () => {
    const parts = stored.split('$');
    parts[5] = Buffer.from(parts[5], 'base64url').subarray(0, 16).toString('base64url');

    await expect(verifyPassword(PASSWORD, parts.join('$'))).resolves.toBe(false);
  });

  it.each([
    ['another scheme', (s: string) => s.replace(/^scrypt/, 'bcrypt')],
    ['no salt', (s: string) => s.split('$').map((part, i) => (i === 4 ? '' : part)).join('$')],
    ['no digest', (s: string) => s.split('$').slice(0, 5).join('$')],
    ['an empty string', () => ''],
    ['a non-numeric cost', (s: string) => s.split('$').map((part, i) => (i === 1 ? 'x' : part)).join('$')],
    ['a cost too high to compute', (s: string) => s.split('$').map((part, i) => (i === 1 ? '40' : part)).join('$')],
    ['a zero block size', (s: string) => s.split('$').map((part, i) => (i === 2 ? '0' : part)).join('$')],
    ['a negative parallelism', (s: string) => s.split('$').map((part, i) => (i === 3 ? '-1' : part)).join('$')],
  ])('rejects a stored value with %s', async (_label, mangle) => {
    await expect(verifyPassword(PASSWORD, mangle(stored))).resolves.toBe(false);
  });

  it('compares Unicode passwords after NFKC normalisation', async () => {
    // "é" precomposed (U+00E9) and decomposed (e + U+0301); the "ﬁ" ligature (U+FB01) and "fi".
    const hashed = await hashPassword('caf\u00e9 \ufb01ve-and-more', FAST);

    await expect(verifyPassword('cafe\u0301 five-and-more', hashed)).resolves.toBe(true);
    await expect(verifyPassword('cafe five-and-more', hashed)).resolves.toBe(false);
  });

  it('handles a maximum-length password', async () => {
    const long = 'x'.repeat(PASSWORD_MAX_LENGTH);
    const hashed = await hashPassword(long, FAST);

    await expect(verifyPassword(long, hashed)).resolves.toBe(true);
    await expect(verifyPassword(long.slice(1), hashed)).resolves.toBe(false);
  });
});

describe('needsRehash', () => {
  const stored = (logN: number, r: number, p: number) => `scrypt$${logN}$${r}$${p}$c2FsdA$aGFzaA`;

  it('is false when the stored parameters equal the current ones', () => {
    expect(needsRehash(stored(17, 8, 1))).toBe(false);
    expect(needsRehash(stored(4, 8, 1), FAST)).toBe(false);
  });

  it.each([
    ['a smaller N', stored(16, 8, 1)],
    ['a smaller r', stored(17, 4, 1)],
    ['a smaller p', stored(17, 8, 0)],
  ])('is true for %s than the current parameters', (_label, hash) => {
    expect(needsRehash(hash)).toBe(true);
  });

  it('is false for stronger stored parameters (never downgrades)', () => {
    expect(needsRehash(stored(18, 8, 1))).toBe(false);
    expect(needsRehash(stored(17, 16, 2))).toBe(false);
  });

  it('compares numerically, not as strings', () => {
    // "9" > "17" as strings; 9 < 17 as numbers.
    expect(needsRehash(stored(9, 8, 1))).toBe(true);
  });

  it('flags a real hash made with weaker parameters than the current ones', async () => {
    const weak = await hashPassword(PASSWORD, FAST);

    expect(needsRehash(weak, { ...FAST, logN: 5 })).toBe(true);
    expect(needsRehash(weak, FAST)).toBe(false);
  });
});

describe('decoyHash', () => {
  it('is a well-formed scrypt hash that no guessable password matches', async () => {
    const decoy = await decoyHash(FAST);

    expect(decoy).toMatch(/^scrypt\$4\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    await expect(verifyPassword('', decoy)).resolves.toBe(false);
    await expect(verifyPassword(PASSWORD, decoy)).resolves.toBe(false);
  });

  it('is computed once and reused', async () => {
    const first = decoyHash(FAST);
    const second = decoyHash(FAST);

    expect(second).toBe(first);
    expect(await second).toBe(await first);
  });
});
