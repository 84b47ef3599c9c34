/**
 * Verifies OpenID Connect ID tokens against the providers named in configuration, with jose.
 *
 * Configuration (env OIDC_PROVIDERS) is a JSON array of `{ name, issuer, audience, jwksUri }`. Only configured issuers are
 * accepted: the unverified `iss` claim picks the provider, then the signature, issuer, audience and expiry are checked
 * against that provider's JWKS. Nothing about the token is logged: it is personal data.
 */
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import * as z from 'zod/mini';
import type { ExternalIdentity } from '../domain/accounts';
import { ProblemError } from '../http/problems';

export const oidcProviderConfig = z.array(
  z.strictObject({
    name: z.string().check(z.regex(/^[a-z0-9-]{1,32}$/)),
    issuer: z.url(),
    audience: z.union([z.string().check(z.minLength(1)), z.array(z.string().check(z.minLength(1))).check(z.minLength(1))]),
    jwksUri: z.url(),
  }),
);
export type OidcProvider = z.infer<typeof oidcProviderConfig>[number];

export class InvalidIdentityTokenError extends ProblemError {
  constructor(detail = 'The ID token is invalid, expired, or from an issuer this service does not accept.') {
    super(401, 'invalid-identity-token', 'Invalid identity token', detail);
  }
}

/** Reads OIDC_PROVIDERS; a malformed value fails the cold start loudly rather than accepting tokens it cannot check. */
export function providersFromEnv(raw = process.env.OIDC_PROVIDERS): OidcProvider[] {
  if (!raw || raw.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('OIDC_PROVIDERS is not valid JSON');
  }
  const result = oidcProviderConfig.safeParse(parsed);
  if (!result.success) throw new Error(`OIDC_PROVIDERS is invalid: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return result.data;
}

export interface IdTokenVerifier {
  verify(idToken: string): Promise<ExternalIdentity>;
}

/** Clock skew tolerated between us and the provider. */
const CLOCK_TOLERANCE_SECONDS = 60;

export function oidcVerifier(providers: readonly OidcProvider[]): IdTokenVerifier {
  // One JWKS cache per provider, at module scope in the handler: keys are fetched once per cold start and on rotation.
  const byIssuer = new Map(providers.map((p) => [p.issuer, { provider: p, jwks: createRemoteJWKSet(new URL(p.jwksUri)) }]));
  return {
    async verify(idToken) {
      let issuer: string | undefined;
      try {
        issuer = decodeJwt(idToken).iss;
      } catch {
        throw new InvalidIdentityTokenError('The ID token is not a well-formed JWT.');
      }
      const entry = issuer ? byIssuer.get(issuer) : undefined;
      if (!entry) throw new InvalidIdentityTokenError('The ID token was issued by an identity provider this service does not accept.');
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(idToken, entry.jwks, {
          issuer: entry.provider.issuer,
          audience: entry.provider.audience,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['sub', 'exp', 'iat'],
        }));
      } catch (error) {
        if (error instanceof errors.JOSEError) throw new InvalidIdentityTokenError();
        throw error;
      }
      return identityFromClaims(entry.provider.name, entry.provider.issuer, payload);
    },
  };
}

const str = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : undefined;

/** Maps standard OIDC claims to an identity; anything beyond the profile claims we store is ignored (data minimisation). */
export function identityFromClaims(provider: string, issuer: string, claims: JWTPayload): ExternalIdentity {
  // The subject is an identifier: used exactly as issued (never trimmed or cut, or two identities could become one).
  const subject = typeof claims.sub === 'string' && claims.sub.trim() !== '' && claims.sub.length <= 255 ? claims.sub : undefined;
  if (!subject) throw new InvalidIdentityTokenError('The ID token has no subject.');
  // An address cut short is another address: an overlong one is dropped, not truncated.
  const rawEmail = str(claims.email, Number.POSITIVE_INFINITY);
  const email = rawEmail && rawEmail.length <= 254 ? rawEmail : undefined;
  const given = str(claims.given_name, 100);
  const family = str(claims.family_name, 100);
  const name = str(claims.name, 100) ?? ([given, family].filter(Boolean).join(' ') || undefined);
  const locale = str(claims.locale, 35);
  return {
    provider,
    issuer,
    subject,
    email: email && /^[^@\s]+@[^@\s]+$/.test(email) ? email : undefined,
    emailVerified: claims.email_verified === true || claims.email_verified === 'true',
    displayName: name,
    givenName: given,
    familyName: family,
    locale: locale && /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/.test(locale) ? locale.replaceAll('_', '-') : undefined,
  };
}
