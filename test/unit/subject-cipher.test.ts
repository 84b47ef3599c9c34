import { randomBytes } from 'node:crypto';
import { UnreadableDataError, openValue, sealValue } from '../../lambdas/domain/subject-cipher';

const key = randomBytes(32);
const SUBJECT = '6f1c2a4e-0000-4000-8000-000000000001';
const OTHER_SUBJECT = '6f1c2a4e-0000-4000-8000-000000000002';

/** Flips one bit of the decoded byte at `index` in the dot-separated part `part` of a sealed value. */
function flip(sealed: string, part: 1 | 2, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part], 'base64url');
  bytes[index < 0 ? bytes.length + index : index] ^= 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('sealValue / openValue round trip', () => {
  it.each([
    ['a string', 'ana@example.com'],
    ['an object', { street: 'Rua Augusta 1', postalCode: '1100-048', city: 'Lisboa', country: 'PT' }],
    ['a number', 42],
    ['a boolean', false],
    ['null', null],
    ['an array', ['a', 1, null]],
    ['non-ASCII text', 'Zoë Ångström — 東京 🙂'],
    ['an empty string', ''],
  ])('returns %s unchanged', (_label, value) => {
    const sealed = sealValue(key, SUBJECT, 'profile', value);

    expect(openValue(key, SUBJECT, 'profile', sealed)).toEqual(value);
  });

  it('writes v1.<iv>.<ciphertext+tag> with a 96-bit IV and a 128-bit tag, and no plaintext', () => {
    const sealed = sealValue(key, SUBJECT, 'email', 'ana@example.com');

    const [version, iv, payload, ...rest] = sealed.split('.');
    expect(version).toBe('v1');
    expect(rest).toEqual([]);
    expect(Buffer.from(iv, 'base64url')).toHaveLength(12);
    // JSON of the string is 17 bytes; GCM adds no padding, then the 16-byte tag.
    expect(Buffer.from(payload, 'base64url')).toHaveLength(JSON.stringify('ana@example.com').length + 16);
    expect(sealed).not.toContain('ana');
    expect(Buffer.from(payload, 'base64url').toString('utf8')).not.toContain('example');
  });

  it('uses a fresh IV each time, so equal values give unrelated ciphertexts', () => {
    const sealed = Array.from({ length: 20 }, () => sealValue(key, SUBJECT, 'email', 'ana@example.com'));

    const ivs = new Set(sealed.map((s) => s.split('.')[1]));
    const payloads = new Set(sealed.map((s) => s.split('.')[2]));
    expect(ivs.size).toBe(20);
    expect(payloads.size).toBe(20);
    for (const s of sealed) expect(openValue(key, SUBJECT, 'email', s)).toBe('ana@example.com');
  });
});

describe('openValue binds the value to its subject and field (AAD)', () => {
  const sealed = sealValue(key, SUBJECT, 'email', 'ana@example.com');

  it('refuses the value under another field of the same subject', () => {
    expect(() => openValue(key, SUBJECT, 'phone', sealed)).toThrow(UnreadableDataError);
  });

  it('refuses the value under the same field of another subject', () => {
    expect(() => openValue(key, OTHER_SUBJECT, 'email', sealed)).toThrow(UnreadableDataError);
  });

  it('refuses when subject and field are swapped', () => {
    expect(() => openValue(key, 'email', SUBJECT, sealed)).toThrow(UnreadableDataError);
  });

  it('keeps the subject/field boundary: moving characters across it changes the binding', () => {
    const bound = sealValue(key, 'subject-a', 'bfield', 'x');

    expect(() => openValue(key, 'subject-ab', 'field', bound)).toThrow(UnreadableDataError);
    expect(() => openValue(key, 'subject-', 'abfield', bound)).toThrow(UnreadableDataError);
  });

  it('refuses the value under another subject key (crypto-shredding)', () => {
    expect(() => openValue(randomBytes(32), SUBJECT, 'email', sealed)).toThrow(UnreadableDataError);
  });
});

describe('openValue refuses tampered or malformed input', () => {
  const sealed = sealValue(key, SUBJECT, 'profile', { displayName: 'Ana' });

  it.each([
    ['the first ciphertext byte', 2, 0],
    ['the last ciphertext byte', 2, -17],
    ['the authentication tag', 2, -1],
    ['the IV', 1, 0],
  ] as const)('when a bit of %s is flipped', (_label, part, index) => {
    const tampered = flip(sealed, part, index);

    expect(tampered).not.toBe(sealed);
    expect(() => openValue(key, SUBJECT, 'profile', tampered)).toThrow(UnreadableDataError);
  });

  it('when the tag is cut off', () => {
    const [version, iv, payload] = sealed.split('.');
    const cut = Buffer.from(payload, 'base64url').subarray(0, -16).toString('base64url');

    expect(() => openValue(key, SUBJECT, 'profile', [version, iv, cut].join('.'))).toThrow(UnreadableDataError);
  });

  it('when the payload is shorter than a tag', () => {
    const [version, iv] = sealed.split('.');

    expect(() => openValue(key, SUBJECT, 'profile', [version, iv, 'AAAAAAAA'].join('.'))).toThrow(UnreadableDataError);
  });

  it('when payloads of two sealed values are spliced together', () => {
    const other = sealValue(key, SUBJECT, 'profile', { displayName: 'Bob' });
    const [version, iv] = sealed.split('.');
    const [, , otherPayload] = other.split('.');

    expect(() => openValue(key, SUBJECT, 'profile', [version, iv, otherPayload].join('.'))).toThrow(UnreadableDataError);
  });

  it.each([
    ['an unknown version', (s: string) => s.replace(/^v1\./, 'v2.')],
    ['no version', (s: string) => s.split('.').slice(1).join('.')],
    ['no payload', (s: string) => s.split('.').slice(0, 2).join('.')],
    ['an empty IV', (s: string) => s.split('.').map((p, i) => (i === 1 ? '' : p)).join('.')],
    ['an empty string', () => ''],
    ['plain text', () => 'ana@example.com'],
  ])('when the value has %s', (_label, mangle) => {
    expect(() => openValue(key, SUBJECT, 'profile', mangle(sealed))).toThrow(UnreadableDataError);
  });

  it('says nothing about the value or the key in its message', () => {
    let caught: unknown;
    try {
      openValue(key, OTHER_SUBJECT, 'profile', sealed);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(UnreadableDataError);
    expect((caught as Error).name).toBe('UnreadableDataError');
    expect((caught as Error).message).toBe('Encrypted data cannot be read with this key');
  });
});
