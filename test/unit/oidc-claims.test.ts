// jose 6 is ESM-only and the unit project does not transform it; these pure functions never call it.
jest.mock('jose', () => ({
  createRemoteJWKSet: jest.fn(),
  decodeJwt: jest.fn(),
  jwtVerify: jest.fn(),
  errors: { JOSEError: class JOSEError extends Error {} },
}));

import { InvalidIdentityTokenError, identityFromClaims, providersFromEnv } from '../../lambdas/adapters/oidc-verifier';

const ISSUER = 'https://accounts.google.com';

describe('identityFromClaims', () => {
  it('maps the standard profile claims', () => {
    const identity = identityFromClaims('google', ISSUER, {
      iss: ISSUER,
      sub: '108234567890123456789',
      email: 'ana@example.com',
      email_verified: true,
      name: 'Ana Lima',
      given_name: 'Ana',
      family_name: 'Lima',
      locale: 'pt-BR',
    });

    expect(identity).toEqual({
      provider: 'google',
      issuer: ISSUER,
      subject: '108234567890123456789',
      email: 'ana@example.com',
      emailVerified: true,
      displayName: 'Ana Lima',
      givenName: 'Ana',
      familyName: 'Lima',
      locale: 'pt-BR',
    });
  });

  it('ignores every claim beyond the profile ones (data minimisation)', () => {
    const identity = identityFromClaims('google', ISSUER, {
      sub: 's',
      picture: 'https://example.com/me.jpg',
      birthdate: '1990-01-01',
      phone_number: '+4915112345678',
      address: { street_address: 'x' },
      hd: 'example.com',
    });

    expect(Object.keys(identity).sort()).toEqual(
      ['provider', 'issuer', 'subject', 'email', 'emailVerified', 'displayName', 'givenName', 'familyName', 'locale'].sort(),
    );
    expect(JSON.stringify(identity)).not.toMatch(/picture|1990|4915|street|hd/);
  });

  it.each([
    ['missing', {}],
    ['empty', { sub: '' }],
    ['blank', { sub: '   ' }],
    ['not a string', { sub: 12345 }],
  ])('refuses a token whose subject is %s', (_label, claims) => {
    expect(() => identityFromClaims('google', ISSUER, claims as never)).toThrow(InvalidIdentityTokenError);
  });

  it('answers 401 invalid-identity-token for a missing subject', () => {
    let caught: unknown;
    try {
      identityFromClaims('google', ISSUER, {});
    } catch (error) {
      caught = error;
    }

    expect(caught).toMatchObject({ status: 401, slug: 'invalid-identity-token', message: 'The ID token has no subject.' });
  });

  describe('email_verified', () => {
    it.each([
      [true, true],
      ['true', true], // some providers send it as a string
      [false, false],
      ['false', false],
      [1, false],
      ['yes', false],
      [undefined, false],
    ])('%j → %s', (claim, verified) => {
      expect(identityFromClaims('google', ISSUER, { sub: 's', email: 'a@example.com', email_verified: claim }).emailVerified).toBe(verified);
    });
  });

  describe('limits', () => {
    it('drops an overlong email instead of cutting it to another address', () => {
      const long = `${'a'.repeat(250)}@example.com`;
      expect(identityFromClaims('g', ISSUER, { sub: 's', email: long }).email).toBeUndefined();
    });

    it('uses the subject exactly as issued, and refuses an overlong one', () => {
      expect(identityFromClaims('g', ISSUER, { sub: ' abc ' }).subject).toBe(' abc ');
      expect(() => identityFromClaims('g', ISSUER, { sub: 'x'.repeat(256) })).toThrow();
    });
  });

  describe('email', () => {
    it('trims it', () => {
      expect(identityFromClaims('g', ISSUER, { sub: 's', email: '  ana@example.com ' }).email).toBe('ana@example.com');
    });

    it.each([
      ['no @', 'ana.example.com'],
      ['two @', 'ana@b@example.com'],
      ['whitespace inside', 'ana lima@example.com'],
      ['nothing before @', '@example.com'],
      ['nothing after @', 'ana@'],
      ['a non-string', 42],
      ['an empty string', ''],
    ])('drops one with %s', (_label, email) => {
      expect(identityFromClaims('g', ISSUER, { sub: 's', email }).email).toBeUndefined();
    });
  });

  describe('names', () => {
    it('builds the display name from given and family names when name is absent', () => {
      const identity = identityFromClaims('g', ISSUER, { sub: 's', given_name: ' Ana ', family_name: 'Lima' });

      expect(identity).toMatchObject({ displayName: 'Ana Lima', givenName: 'Ana', familyName: 'Lima' });
    });

    it('uses whichever name part exists', () => {
      expect(identityFromClaims('g', ISSUER, { sub: 's', family_name: 'Lima' }).displayName).toBe('Lima');
      expect(identityFromClaims('g', ISSUER, { sub: 's', given_name: 'Ana' }).displayName).toBe('Ana');
    });

    it('leaves the display name undefined when there is no name at all', () => {
      expect(identityFromClaims('g', ISSUER, { sub: 's', name: '  ' }).displayName).toBeUndefined();
    });

    it('caps names at 100 characters', () => {
      const identity = identityFromClaims('g', ISSUER, { sub: 's', name: 'n'.repeat(150), given_name: 'g'.repeat(101), family_name: 'f'.repeat(100) });

      expect(identity.displayName).toHaveLength(100);
      expect(identity.givenName).toHaveLength(100);
      expect(identity.familyName).toHaveLength(100);
    });

    it('drops names that are not strings', () => {
      const identity = identityFromClaims('g', ISSUER, { sub: 's', name: { first: 'Ana' }, given_name: ['Ana'], family_name: 7 });

      expect(identity).toMatchObject({ displayName: undefined, givenName: undefined, familyName: undefined });
    });
  });

  describe('locale', () => {
    it.each([
      ['en', 'en'],
      ['pt-BR', 'pt-BR'],
      ['pt_BR', 'pt-BR'],
      ['zh-Hant-TW', 'zh-Hant-TW'],
      ['es-419', 'es-419'],
    ])('keeps %j as %j', (claim, locale) => {
      expect(identityFromClaims('g', ISSUER, { sub: 's', locale: claim }).locale).toBe(locale);
    });

    it.each([['e'], ['english please'], ['en-'], ['12'], ['en;DROP'], ['x'.repeat(40)]])('drops %j', (claim) => {
      expect(identityFromClaims('g', ISSUER, { sub: 's', locale: claim }).locale).toBeUndefined();
    });
  });

  it('keeps the provider name and issuer it was given, whatever the claims say', () => {
    const identity = identityFromClaims('google', ISSUER, { sub: 's', iss: 'https://evil.example' });

    expect(identity.provider).toBe('google');
    expect(identity.issuer).toBe(ISSUER);
  });
});

describe('providersFromEnv', () => {
  const google = { name: 'google', issuer: ISSUER, audience: 'client-id.apps.googleusercontent.com', jwksUri: 'https://www.googleapis.com/oauth2/v3/certs' };

  it.each([[''], ['   ']])('is empty for %j', (raw) => {
    expect(providersFromEnv(raw)).toEqual([]);
  });

  it('is empty when OIDC_PROVIDERS is unset', () => {
    const saved = process.env.OIDC_PROVIDERS;
    delete process.env.OIDC_PROVIDERS;
    try {
      expect(providersFromEnv()).toEqual([]);
    } finally {
      if (saved !== undefined) process.env.OIDC_PROVIDERS = saved;
    }
  });

  it('parses a list of providers', () => {
    const other = { name: 'my-idp-2', issuer: 'https://id.example.org', audience: ['a', 'b'], jwksUri: 'https://id.example.org/jwks' };

    expect(providersFromEnv(JSON.stringify([google, other]))).toEqual([google, other]);
  });

  it('reads OIDC_PROVIDERS by default', () => {
    const saved = process.env.OIDC_PROVIDERS;
    process.env.OIDC_PROVIDERS = JSON.stringify([google]);
    try {
      expect(providersFromEnv()).toEqual([google]);
    } finally {
      if (saved === undefined) delete process.env.OIDC_PROVIDERS;
      else process.env.OIDC_PROVIDERS = saved;
    }
  });

  it('fails loudly on malformed JSON, without echoing the value', () => {
    expect(() => providersFromEnv('[{"name": "google",')).toThrow(new Error('OIDC_PROVIDERS is not valid JSON'));
  });

  it.each([
    ['an upper-case name', { ...google, name: 'Google' }, '0.name'],
    ['a name with spaces', { ...google, name: 'my idp' }, '0.name'],
    ['a too-long name', { ...google, name: 'a'.repeat(33) }, '0.name'],
    ['an issuer that is not a URL', { ...google, issuer: 'accounts.google.com' }, '0.issuer'],
    ['an empty audience', { ...google, audience: '' }, '0.audience'],
    ['an empty audience list', { ...google, audience: [] }, '0.audience'],
    ['a JWKS URI that is not a URL', { ...google, jwksUri: 'certs' }, '0.jwksUri'],
    ['a missing field', { name: 'google', issuer: ISSUER, audience: 'x' }, '0.jwksUri'],
    ['an unknown field', { ...google, clientSecret: 's3cret' }, '0'],
  ])('refuses %s, naming the path', (_label, provider, path) => {
    expect(() => providersFromEnv(JSON.stringify([provider]))).toThrow(new RegExp(`^OIDC_PROVIDERS is invalid: .*${path.replace('.', '\\.')}`));
  });

  it('refuses a single object instead of a list', () => {
    expect(() => providersFromEnv(JSON.stringify(google))).toThrow(/^OIDC_PROVIDERS is invalid/);
  });

  it('does not put a secret from an unknown field in its message', () => {
    expect(() => providersFromEnv(JSON.stringify([{ ...google, clientSecret: 's3cret' }]))).toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cret') }));
  });
});
