/**
 * Deployment settings read at cold start (a missing or malformed value fails fast, an unset optional one falls back) and
 * the stored-hash corner cases of password verification that answer `false` instead of throwing.
 */
import { intEnv, listEnv, requireEnv } from '../../lambdas/runtime/env';
import { hashPassword, verifyPassword, type ScryptParams } from '../../lambdas/domain/passwords';

const NAME = 'FMN_UNIT_ENV_PROBE';
afterEach(() => {
  delete process.env[NAME];
});

describe('requireEnv', () => {
  it('returns a set value', () => {
    process.env[NAME] = 'users-table';
    expect(requireEnv(NAME)).toBe('users-table');
  });

  it.each([
    ['unset', undefined],
    ['empty', ''],
  ])('throws, naming only the variable, when it is %s', (_label, value) => {
    if (value !== undefined) process.env[NAME] = value;
    expect(() => requireEnv(NAME)).toThrow(`Missing required environment variable ${NAME}`);
  });
});

describe('intEnv', () => {
  it.each([
    ['unset', undefined, 24],
    ['empty', '', 24],
    ['zero', '0', 0],
    ['a positive integer', '90', 90],
  ])('reads %s as the number it means', (_label, value, expected) => {
    if (value !== undefined) process.env[NAME] = value;
    expect(intEnv(NAME, 24)).toBe(expected);
  });

  it.each([['abc'], ['-1'], ['1.5'], ['12 months']])('refuses the malformed value %p without echoing it', (value) => {
    process.env[NAME] = value;
    let message = '';
    try {
      intEnv(NAME, 24);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(`Environment variable ${NAME} must be a non-negative integer`);
  });
});

describe('listEnv', () => {
  it('splits, trims and drops empty entries; unset is an empty list', () => {
    expect(listEnv(NAME)).toEqual([]);
    process.env[NAME] = ' a, b ,,c ';
    expect(listEnv(NAME)).toEqual(['a', 'b', 'c']);
  });
});

describe('verifyPassword on malformed stored values', () => {
  const FAST: ScryptParams = { logN: 4, r: 8, p: 1 };
  const PASSWORD = 'correct horse battery staple';
  let stored: string;
  beforeAll(async () => {
    stored = await hashPassword(PASSWORD, FAST);
  });
  const withPart = (index: number, value: string) => stored.split('$').map((part, i) => (i === index ? value : part)).join('$');

  it.each([
    ['an empty cost', 1],
    ['an empty block size', 2],
    ['an empty parallelism', 3],
  ])('answers false for %s', async (_label, index) => {
    await expect(verifyPassword(PASSWORD, withPart(index, ''))).resolves.toBe(false);
  });

  it('answers false (not an error) when in-bounds parameters still exceed the memory scrypt may use', async () => {
    // N = 2^22 and r = 32 are each within bounds, but together need 16 GiB: scrypt refuses, which verifies nothing.
    const hostile = withPart(2, '32').replace(/^scrypt\$4\$/, 'scrypt$22$');

    await expect(verifyPassword(PASSWORD, hostile)).resolves.toBe(false);
  });
});
